#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The i386 build matrix: tests/fixture/ built with -m32 by each compiler,
# optimisation level, code generation and retpoline setting, run through
# pvlink, linked, verified and run.  The checks per cell are those of
# tests/t-matrix.sh:
#   - pvlink table accepts every unit and pvlink verify the image (exit 0);
#   - patching changes no output: the workload prints the same lines
#     before and after apply, after re-targeting to the other backend the
#     same lines as an unpatched run of that backend, and after restore;
#   - the fixture's own text check passes after every apply ("diff: ok");
#   - a second apply writes nothing;
#   - the tool's summary and the applier's counts equal the cell's line in
#     tests/matrix32.expect, so a loss of coverage fails the test.
#
# Code generation: nopie (-fno-pie), pie (-fpie -pie: every reference is
# GOT-relative, so nothing is patchable, every such call is reported, and
# the image has no table for verify to check), regparm (-fno-pie
# -mregparm=3, the kernel's convention; main.c, which calls the C library,
# keeps the stack convention, and the other units get a memcpy of their
# own, memcpy32.c).  The applier is compiled -m32 here: build/libpvops.a
# is the x86-64 one.
#
#   bash tests/t-matrix32.sh            36 cells (gcc, clang x -O0 -O2 -Os x
#                                       nopie pie regparm x plain retp), GNU ld
#   FULL=1 bash tests/t-matrix32.sh     also -O1 -O3, and each cell linked by
#                                       gold, lld and after ld -r
#   MATRIX_RECORD=FILE ...              write the observed lines to FILE
#   JOBS=N                              cells built at once (default nproc)
. "$(dirname "$0")/lib.sh"

fixture=$top/tests/fixture
expect_table=$top/tests/matrix32.expect
units="backend work local main"
unit_tables="table-backend.out table-work.out table-local.out table-main.out"

codegen_cflags() {
	case $1 in
	nopie)   echo "-fno-pie" ;;
	pie)     echo "-fpie" ;;
	regparm) echo "-fno-pie -mregparm=3 -DFIXTURE_REGPARM" ;;
	esac
}

. "$top/tests/matrix-lib.sh"

# Links ./prog from the cell's objects with one linker (lr: ld -r first).
link_prog() {
	local name=$1 link=$2 cc=$3 ldflags=$4
	local objs="backend.pv.o work.pv.o local.pv.o main.pv.o"

	if [ "$link" = lr ]; then
		if ! ld -m elf_i386 -r -o all.o backend.o work.o local.o main.o >table-lr.out 2>&1 ||
		   ! "$PVLINK" table all.o -o all.pv.o >table-lr.out 2>&1; then
			fail "$name: ld -r and pvlink table" "$(cat table-lr.out)"
			return 1
		fi
		# shellcheck disable=SC2086
		expect "$name: same summary as per unit" \
			"$(table_totals $unit_tables)" "$(table_totals table-lr.out)"
		objs=all.pv.o link=bfd
	fi
	[ -e memcpy32.o ] && objs="$objs memcpy32.o"
	rm -f prog
	# shellcheck disable=SC2086
	# shellcheck disable=SC2086
	if ! $cc -m32 $ldflags -fuse-ld=$link -Wl,--emit-relocs $objs thunks.o \
		"$lib32" -o prog >link.out 2>&1; then
		fail "$name: link" "$(cat link.out)"
		return 1
	fi
}

# One compile configuration, KEY = cc-opt-codegen-retpoline, built in DIR
# and linked with each linker in $LINKERS.  Prints PASS/FAIL lines.
run_cell() {
	local key=$1 cell_dir=$2 cc opt cg rp cflags mainflags ldflags u flags link

	IFS=- read -r cc opt cg rp <<<"$key"
	cflags="-m32 -std=gnu11 -Wall -Wextra -$opt $(codegen_cflags "$cg") $(retpoline_cflags "$cc" "$rp")"
	# main.c calls the C library, built for the stack convention
	mainflags=${cflags/-mregparm=3 -DFIXTURE_REGPARM/}
	ldflags=$(codegen_ldflags "$cg")
	mkdir -p "$cell_dir" && cd "$cell_dir" || return
	rm -f observed
	for u in $units; do
		flags=$cflags
		[ "$u" = main ] && flags=$mainflags
		# shellcheck disable=SC2086
		if ! $cc $flags -I"$top/include" -c "$fixture/$u.c" -o "$u.o" 2>cc.out; then
			fail "$key: compile $u.c" "$cc $flags: $(cat cc.out)"
			return
		fi
		if [ "$cg" = regparm ] && [ "$u" != main ]; then
			objcopy --redefine-sym memcpy=fixture_memcpy_regparm "$u.o" || return
		fi
		if ! "$PVLINK" table -v "$u.o" -o "$u.pv.o" >"table-$u.out" 2>&1; then
			fail "$key: pvlink table $u.o" "$(cat "table-$u.out")"
			return
		fi
	done
	if ! $cc -m32 -c "$top/kernel-glue/retpoline.S" -o thunks.o 2>cc.out; then
		fail "$key: assemble kernel-glue/retpoline.S" "$(cat cc.out)"
		return
	fi
	# shellcheck disable=SC2086
	if [ "$cg" = regparm ] && ! $cc $cflags -c "$fixture/memcpy32.c" -o memcpy32.o 2>cc.out; then
		fail "$key: compile memcpy32.c" "$(cat cc.out)"
		return
	fi
	pass "$key: compile and pvlink table"
	for link in $LINKERS; do
		link_and_run "$key" "$link" "$cc" "$ldflags"
	done
}

# The parallel workers: one cell each, its report in DIR.log.
if [ "${1:-}" = --cell ]; then
	mkdir -p "$(dirname "$3")" && run_cell "$2" "$3" >"$3.log" 2>&1
	exit 0
fi

if [ ! -x "$PVLINK" ]; then
	fail "setup" "build the tool first: make"
	finish
fi
dir=$(scratch)
# The hosted applier for i386 programs, as build/libpvops.a is for x86-64.
lib32=$dir/libpvops32.a
if ! echo 'int main(void) { return 0; }' | gcc -m32 -x c - -o "$dir/m32" 2>/dev/null; then
	skip "i386 matrix" "gcc -m32 cannot link (install gcc-12-multilib)"
	finish
fi
for f in apply hosted; do
	gcc -m32 -std=c11 -Wall -Wextra -Werror -O2 -I"$top/include" \
		-c "$top/kernel-glue/$f.c" -o "$dir/$f.o" || { fail "setup" "-m32 applier"; finish; }
done
ar rcs "$lib32" "$dir/apply.o" "$dir/hosted.o"
export lib32

opts="O0 O2 Os" LINKERS=bfd
if [ "${FULL:-0}" = 1 ]; then
	opts="O0 O1 O2 O3 Os" LINKERS="bfd lr"
	for l in gold lld; do
		if command -v "ld.$l" >/dev/null; then
			LINKERS="$LINKERS $l"
		else
			skip "linker $l" "ld.$l not installed"
		fi
	done
fi
export LINKERS

keys=()
for cc in gcc clang; do
	if ! echo 'int main(void) { return 0; }' | $cc -m32 -x c - -o "$dir/m32" 2>/dev/null; then
		skip "$cc cells" "$cc -m32 cannot link"
		continue
	fi
	for o in $opts; do for cg in nopie pie regparm; do for rp in plain retp; do
		keys+=("$cc-$o-$cg-$rp")
	done; done; done
done

run_cells "$0" "$dir" "${keys[@]}"
finish
