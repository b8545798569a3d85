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
# A program marked arch=aarch64 (tests/t-gen-a64.sh's finds) is built for
# AArch64 instead, -fno-pie, -fpie and -mbranch-protection=standard at each
# level, and run under qemu-aarch64 (SOUND_ARCH in tests/sound-lib.sh).
#
#   bash tests/t-soundness.sh               -O0 -O1 -O2 -Os x plain, retpoline
#   FULL=1 bash tests/t-soundness.sh        also -O3 and -fno-omit-frame-pointer
#   SOUND_ONLY=NAME ...                     only the programs whose file name
#                                           starts with NAME
#   JOBS=N                                  cells built at once (default nproc)
. "$(dirname "$0")/lib.sh"
. "$top/tests/matrix-lib.sh"
. "$top/tests/sound-lib.sh"

# The directory of an architecture's cells in the run's scratch directory.
arch_scratch() {
	if [ "$2" = aarch64 ]; then echo "$1/a64"; else echo "$1"; fi
}

if [ "${1:-}" = --cell ]; then
	# --cell SCRATCH NAME FAM CONFIG ARCH
	sound_arch=$6
	sound_cell "$(arch_scratch "$2" "$6")" "$3" "$4" "$5"
	exit 0
fi

if ! sound_setup "$(scratch)"; then
	finish
fi
# The AArch64 driver and applier, built when the first AArch64 program
# comes: a64 is then yes, no (setup failed and said so) or why it is skipped.
a64=
a64_setup() {
	a64=no
	if ! command -v qemu-aarch64 >/dev/null || ! command -v aarch64-linux-gnu-gcc >/dev/null; then
		a64="aarch64-linux-gnu-gcc or qemu-aarch64 not installed (scripts/deps.sh)"
	elif mkdir -p "$(scratch)/a64" && sound_arch=aarch64 sound_setup "$(scratch)/a64"; then
		a64=yes
	fi
}

if [ "${FULL:-0}" = 1 ]; then
	configs="O0-plain O1-plain O2-plain Os-plain O3-plain O0-retp O1-retp O2-retp Os-retp O3-retp
		 O2+fp-plain O2+fp-retp"
	configs_a64="O0-nopie O1-nopie O2-nopie Os-nopie O3-nopie O0-pie O2-pie O3-pie
		     O0-bti O2-bti O3-bti O2+fp-nopie"
else
	configs="O0-plain O1-plain O2-plain Os-plain O0-retp O1-retp O2-retp Os-retp"
	configs_a64="O0-nopie O1-nopie O2-nopie Os-nopie O2-pie O2-bti"
fi

cells=()
for src in "$top"/tests/soundness/*.c "$top"/tests/soundness/*.cc \
	   "$top"/tests/soundness/regress/*.c "$top"/tests/soundness/regress/*.cc; do
	[ -e "$src" ] || continue
	name=${src#"$top"/tests/soundness/}
	[ "$name" = driver.c ] && continue
	case $name in "${SOUND_ONLY:-}"*) ;; regress/"${SOUND_ONLY:-}"*) ;; *) continue ;; esac
	arch=$(sound_meta "$src" arch)
	arch=${arch:-x86_64} cs=$configs
	if [ "$arch" = aarch64 ]; then
		[ -n "$a64" ] || a64_setup
		if [ "$a64" != yes ]; then
			[ "$a64" = no ] || skip "$name" "$a64"
			continue
		fi
		cs=$configs_a64
	fi
	for fam in gcc clang; do
		sound_arch=$arch sound_wants "$src" "$fam" || continue
		for c in $cs; do
			cells+=("$name $fam $c $arch")
		done
	done
done

printf '%s\n' "${cells[@]}" |
	xargs -P "${JOBS:-$(nproc)}" -L1 bash "$0" --cell "$(scratch)"

for cell in "${cells[@]}"; do
	# shellcheck disable=SC2086
	set -- $cell
	log=$(arch_scratch "$(scratch)" "$4")/$(sound_key "$1" "$2" "$3").log
	if [ ! -s "$log" ]; then
		fail "$cell" "the cell reported nothing"
		continue
	fi
	cat "$log"
	failures=$((failures + $(grep -c '^FAIL: ' "$log")))
done
finish
