#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The build matrix: tests/fixture/ built with each compiler, optimisation
# level, code model and retpoline setting, run through pvlink, linked,
# verified and run.  Per cell it checks that
#   - pvlink table accepts every unit and pvlink verify the image (exit 0);
#   - patching changes no output: the workload prints the same lines
#     before and after apply, after re-targeting to the other backend the
#     same lines as an unpatched run of that backend, and after restore;
#   - the fixture's own text check passes after every apply ("diff: ok":
#     no byte outside the recorded sites changed, so no reference the tool
#     called not patchable was touched, and every site holds what its slot
#     calls for);
#   - a second apply writes nothing;
#   - the tool's summary and the applier's counts equal the cell's line in
#     tests/matrix.expect, so a loss of coverage fails the test.
#
# pvlink runs on each unit's object, as a user-space build does (one rule
# per .c file, no ld -r step); FULL=1 also checks that one run on an
# `ld -r` of all units gives the same answer.  With LTO the code exists
# only after the link-time compile, so pvlink runs once, on the output of
# `gcc -flto -r -flinker-output=nolto-rel` (clang: `ld.lld -r`).
#
# -fcf-protection=full puts endbr64 at every function entry; a patched
# site calls the address the slot holds, the entry itself, so the endbr64
# runs as the NOP it is outside IBT-enforcing kernels and the call stays
# valid where IBT is enforced.
#
#   bash tests/t-matrix.sh              36 cells (gcc, clang x -O0 -O2 -Os x
#                                       nopie pie kernel x plain retp), GNU ld,
#                                       and -O2 cells with -fcf-protection=full
#                                       (-cet) and with LTO (-lto)
#   FULL=1 bash tests/t-matrix.sh       also -O1 -O3, -ffunction-sections with
#                                       --gc-sections, and each cell linked
#                                       by gold, lld and after ld -r
#   MATRIX_RECORD=FILE ...              write the observed lines to FILE, to
#                                       review before updating matrix.expect
#   JOBS=N                              cells built at once (default nproc)
. "$(dirname "$0")/lib.sh"

fixture=$top/tests/fixture
expect_table=$top/tests/matrix.expect
units="backend work local main"
unit_tables="table-backend.out table-work.out table-local.out table-main.out"

codegen_cflags() {
	case $1 in
	nopie)  echo "-fno-pie" ;;
	pie)    echo "-fpie" ;;
	kernel) echo "-mcmodel=kernel -fno-pic" ;;
	esac
}

. "$top/tests/matrix-lib.sh"

# Links ./prog from the cell's objects with one linker (lr: ld -r first).
link_prog() {
	local name=$1 link=$2 cc=$3 ldflags=$4
	local objs="backend.pv.o work.pv.o local.pv.o main.pv.o"

	[ -e all.pv.o ] && [ "$link" != lr ] && objs=all.pv.o     # an LTO cell

	if [ "$link" = lr ]; then
		if ! ld -r -o all.o backend.o work.o local.o main.o >table-lr.out 2>&1 ||
		   ! "$PVLINK" table all.o -o all.pv.o >table-lr.out 2>&1; then
			fail "$name: ld -r and pvlink table" "$(cat table-lr.out)"
			return 1
		fi
		# shellcheck disable=SC2086
		expect "$name: same summary as per unit" \
			"$(table_totals $unit_tables)" "$(table_totals table-lr.out)"
		objs=all.pv.o link=bfd
	fi
	rm -f prog
	# shellcheck disable=SC2086
	if ! $cc $ldflags -fuse-ld=$link -Wl,--emit-relocs $objs thunks.o \
		"$top/build/libpvops.a" -o prog >link.out 2>&1; then
		fail "$name: link" "$(cat link.out)"
		return 1
	fi
}

# Compiles the units and runs pvlink table on each (the user-space build).
compile_units() {
	local key=$1 cc=$2 cflags=$3 u

	for u in $units; do
		# shellcheck disable=SC2086
		if ! $cc $cflags -I"$top/include" -c "$fixture/$u.c" -o "$u.o" 2>cc.out; then
			fail "$key: compile $u.c" "$cc $cflags: $(cat cc.out)"
			return 1
		fi
		if ! "$PVLINK" table -v "$u.o" -o "$u.pv.o" >"table-$u.out" 2>&1; then
			fail "$key: pvlink table $u.o" "$(cat "table-$u.out")"
			return 1
		fi
	done
}

# LTO: bitcode per unit, the link-time compile into one relocatable object
# of machine code, pvlink table on that.
compile_lto() {
	local key=$1 cc=$2 cflags=$3 u objs=""

	for u in $units; do
		# shellcheck disable=SC2086
		if ! $cc $cflags -flto -I"$top/include" -c "$fixture/$u.c" -o "$u.o" 2>cc.out; then
			fail "$key: compile $u.c" "$cc $cflags -flto: $(cat cc.out)"
			return 1
		fi
		objs="$objs $u.o"
	done
	# shellcheck disable=SC2086
	case $cc in
	gcc)   gcc $cflags -flto -r -flinker-output=nolto-rel $objs -o all.o ;;
	clang) ld.lld -r $objs -o all.o ;;
	esac >cc.out 2>&1 || { fail "$key: LTO partial link" "$(cat cc.out)"; return 1; }
	if ! "$PVLINK" table -v all.o -o all.pv.o >table-all.out 2>&1; then
		fail "$key: pvlink table all.o" "$(cat table-all.out)"
		return 1
	fi
	unit_tables=table-all.out
}

# One compile configuration, KEY = cc-opt-codegen-retpoline[-gc|-cet|-lto],
# built in DIR and linked with each linker in $LINKERS.  Prints PASS/FAIL.
run_cell() {
	local key=$1 cell_dir=$2 cc opt cg rp variant gc="" cflags ldflags link

	IFS=- read -r cc opt cg rp variant <<<"$key"
	cflags="-std=gnu11 -Wall -Wextra -$opt $(codegen_cflags "$cg") $(retpoline_cflags "$cc" "$rp")"
	ldflags=$(codegen_ldflags "$cg")
	case $variant in
	gc)
		# GNU ld keeps every section a __start_ symbol names, and the
		# table's pieces then keep all code with sites alive; -z
		# start-stop-gc (lld's default) lets each piece live or die
		# with its text.
		gc=1
		cflags="$cflags -ffunction-sections"
		ldflags="$ldflags -Wl,--gc-sections -Wl,-z,start-stop-gc" ;;
	cet)
		cflags="$cflags -fcf-protection=full" ;;
	esac
	mkdir -p "$cell_dir" && cd "$cell_dir" || return
	if [ "$variant" = lto ]; then
		compile_lto "$key" "$cc" "$cflags" || return
	else
		compile_units "$key" "$cc" "$cflags" || return
	fi
	# shellcheck disable=SC2046
	if ! $cc $(codegen_cflags "$cg") -c "$top/kernel-glue/retpoline.S" -o thunks.o 2>cc.out; then
		fail "$key: assemble kernel-glue/retpoline.S" "$(cat cc.out)"
		return
	fi
	pass "$key: compile and pvlink table"
	rm -f observed
	for link in $LINKERS; do
		# gold 2.40 stops with an internal error on --gc-sections with
		# --emit-relocs, and has no -z start-stop-gc.
		if [ -n "$gc" ] && [ "$link" = gold ]; then
			skip "$key@gold" "gold cannot link --gc-sections with --emit-relocs"
			continue
		fi
		# An LTO cell is one object already: nothing for ld -r to join.
		[ "$variant" = lto ] && [ "$link" = lr ] && continue
		link_and_run "$key" "$link" "$cc" "$ldflags"
	done
}

# The parallel workers: one cell each, its report in DIR.log.
if [ "${1:-}" = --cell ]; then
	mkdir -p "$(dirname "$3")" && run_cell "$2" "$3" >"$3.log" 2>&1
	exit 0
fi

if [ ! -x "$PVLINK" ] || [ ! -f "$top/build/libpvops.a" ]; then
	fail "setup" "build the tool and build/libpvops.a first: make"
	finish
fi

opts="O0 O2 Os" gc_cells=false LINKERS=bfd
if [ "${FULL:-0}" = 1 ]; then
	opts="O0 O1 O2 O3 Os" gc_cells=true LINKERS="bfd lr"
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
	if ! command -v "$cc" >/dev/null; then
		skip "$cc cells" "$cc not installed"
		continue
	fi
	for o in $opts; do for cg in nopie pie kernel; do for rp in plain retp; do
		keys+=("$cc-$o-$cg-$rp")
		$gc_cells && keys+=("$cc-$o-$cg-$rp-gc")
	done; done; done
	# gcc refuses -fcf-protection with -mindirect-branch: no retp cells.
	for cg in nopie pie kernel; do
		keys+=("$cc-O2-$cg-plain-cet" "$cc-O2-$cg-plain-lto")
	done
done

dir=$(scratch)
run_cells "$0" "$dir" "${keys[@]}"
finish
