#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The build matrix on AArch64: tests/fixture/ built for AArch64 with gcc
# and clang, -O0 -O2 -Os, non-PIE, PIE and BTI + PAC
# (-mbranch-protection=standard), run through pvlink, linked, verified,
# and run under qemu-aarch64 as built, patched, re-targeted and restored.
# The same checks as tests/t-matrix.sh (see there), with the fixture's
# text check decoding AArch64 sites, and the counts in
# tests/matrix-a64.expect.
#
# gcc links with -mno-fix-cortex-a53-843419: where an adrp falls at the end
# of a page, GNU ld otherwise adds a stub that repeats the load and
# branches back to the branch after it.  The stub keeps the program's
# meaning and the entry stays right, but it is a way in between load and
# branch in the image, so verify's rescan would rightly refuse a site the
# object proved, and the count check below compares the two.
#
#   MATRIX_RECORD=FILE bash tests/t-matrix-a64.sh   write the observed lines
. "$(dirname "$0")/lib.sh"

fixture=$top/tests/fixture
expect_table=$top/tests/matrix-a64.expect
units="backend work local main"
unit_tables="table-backend.out table-work.out table-local.out table-main.out"

codegen_cflags() {
	case $1 in
	nopie) echo "-fno-pie" ;;
	pie)   echo "-fpie" ;;
	bti)   echo "-fno-pie -mbranch-protection=standard" ;;
	esac
}

a64_cc() {
	case $1 in
	gcc)   echo "aarch64-linux-gnu-gcc" ;;
	clang) echo "clang --target=aarch64-linux-gnu" ;;
	esac
}

. "$top/tests/matrix-lib.sh"

link_prog() {
	local name=$1 cc=$3 ldflags=$4

	# clang does not ask ld for the erratum fix
	[ "$cc" = gcc ] && ldflags="$ldflags -mno-fix-cortex-a53-843419"
	rm -f prog
	# shellcheck disable=SC2086
	if ! $(a64_cc "$cc") $ldflags -Wl,--emit-relocs backend.pv.o work.pv.o local.pv.o \
		main.pv.o "$liba64" -o prog >link.out 2>&1; then
		fail "$name: link" "$(cat link.out)"
		return 1
	fi
}

run_cell() {
	local key=$1 cell_dir=$2 cc opt cg cflags u

	IFS=- read -r cc opt cg <<<"$key"
	cflags="-std=gnu11 -Wall -Wextra -$opt $(codegen_cflags "$cg")"
	mkdir -p "$cell_dir" && cd "$cell_dir" || return
	rm -f observed
	for u in $units; do
		# shellcheck disable=SC2086
		if ! $(a64_cc "$cc") $cflags -I"$top/include" -c "$fixture/$u.c" -o "$u.o" 2>cc.out
		then
			fail "$key: compile $u.c" "$cc $cflags: $(cat cc.out)"
			return
		fi
		if ! "$PVLINK" table -v "$u.o" -o "$u.pv.o" >"table-$u.out" 2>&1; then
			fail "$key: pvlink table $u.o" "$(cat "table-$u.out")"
			return
		fi
	done
	pass "$key: compile and pvlink table"
	link_and_run "$key" bfd "$cc" "$(codegen_ldflags "$cg")"
}

if [ "${1:-}" = --cell ]; then
	mkdir -p "$(dirname "$3")" && run_cell "$2" "$3" >"$3.log" 2>&1
	exit 0
fi

if [ ! -x "$PVLINK" ]; then
	fail "setup" "build the tool first: make"
	finish
fi
if ! command -v qemu-aarch64 >/dev/null || ! command -v aarch64-linux-gnu-gcc >/dev/null; then
	skip "AArch64 matrix" "aarch64-linux-gnu-gcc or qemu-aarch64 not installed (scripts/deps.sh)"
	finish
fi
dir=$(scratch)
liba64=$dir/libpvops-a64.a
for f in apply hosted; do
	aarch64-linux-gnu-gcc -std=c11 -Wall -Wextra -Werror -O2 -fpie -I"$top/include" \
		-c "$top/kernel-glue/$f.c" -o "$dir/$f.o" || { fail "setup" "AArch64 applier"; finish; }
done
aarch64-linux-gnu-ar rcs "$liba64" "$dir/apply.o" "$dir/hosted.o"
export liba64 FIXTURE_RUN="qemu-aarch64 -L /usr/aarch64-linux-gnu"

keys=()
for cc in gcc clang; do
	for o in O0 O2 Os; do for cg in nopie pie bti; do
		keys+=("$cc-$o-$cg")
	done; done
done

run_cells "$0" "$dir" "${keys[@]}"
finish
