#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Patching must not change what a program does.  Each program in
# tests/soundness/ (and every program the generator found wrong, in
# tests/soundness/regress/) is built with gcc/g++ and clang/clang++ at
# several optimisation levels, with and without retpolines; `pvlink table`
# runs on its object; it is linked with build/libpvops.a and the driver
# (tests/soundness/driver.c) and run twice: as built, and with
# SOUND_PATCH=1, which applies the table before the program's work.  Per
# cell it checks that
#   - the program builds and pvlink table accepts it;
#   - the applier reports no mismatch, bad entry or failed write;
#   - stdout and the exit status of the two runs are identical.
# The programs are shapes written outside the tool's own tests: exception
# edges, other callee conventions, labels as values, instructions the
# decoder does not know, setjmp/longjmp, jump tables, tail calls.
#
#   bash tests/t-soundness.sh               -O0 -O1 -O2 -Os x plain, retpoline
#   FULL=1 bash tests/t-soundness.sh        also -O3 and -fno-omit-frame-pointer
#   SOUND_ONLY=NAME ...                     only the programs whose file name
#                                           starts with NAME
#   JOBS=N                                  cells built at once (default nproc)
. "$(dirname "$0")/lib.sh"
. "$top/tests/matrix-lib.sh"
. "$top/tests/sound-lib.sh"

if [ "${1:-}" = --cell ]; then
	shift
	sound_cell "$@"
	exit 0
fi

if ! sound_setup "$(scratch)"; then
	finish
fi

if [ "${FULL:-0}" = 1 ]; then
	configs="O0-plain O1-plain O2-plain Os-plain O3-plain O0-retp O1-retp O2-retp Os-retp O3-retp
		 O2+fp-plain O2+fp-retp"
else
	configs="O0-plain O1-plain O2-plain Os-plain O0-retp O1-retp O2-retp Os-retp"
fi

cells=()
for src in "$top"/tests/soundness/*.c "$top"/tests/soundness/*.cc \
	   "$top"/tests/soundness/regress/*.c "$top"/tests/soundness/regress/*.cc; do
	[ -e "$src" ] || continue
	name=${src#"$top"/tests/soundness/}
	[ "$name" = driver.c ] && continue
	case $name in "${SOUND_ONLY:-}"*) ;; regress/"${SOUND_ONLY:-}"*) ;; *) continue ;; esac
	for fam in gcc clang; do
		sound_wants "$src" "$fam" || continue
		for c in $configs; do
			cells+=("$name $fam $c")
		done
	done
done

printf '%s\n' "${cells[@]}" |
	xargs -P "${JOBS:-$(nproc)}" -L1 bash "$0" --cell "$(scratch)"

for cell in "${cells[@]}"; do
	log=$(scratch)/$(sound_key $cell).log
	if [ ! -s "$log" ]; then
		fail "$cell" "the cell reported nothing"
		continue
	fi
	cat "$log"
	failures=$((failures + $(grep -c '^FAIL: ' "$log")))
done
finish
