#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Differential testing with generated programs (tests/gen/gen.py): each
# seed gives a program that calls through an ops table from random control
# flow, and a compiler and flags to build it with; the program runs as
# built and patched, and the two runs must print the same and exit alike
# (tests/sound-lib.sh, as for tests/soundness/).
#
#   bash tests/t-gen.sh                 seeds 1-40 (what make check runs)
#   FULL=1 bash tests/t-gen.sh          seeds 1-400
#   GEN_N=N GEN_SEED=S ...              N programs from seed S on
#   make soundness N=... [SEED=...]     a long run (SEED defaults to the time)
#   JOBS=N                              programs built at once (default nproc)
#   SOUND_ARCH=aarch64 ...              AArch64 programs under qemu-aarch64
#                                       (tests/t-gen-a64.sh; C only)
#
# A wrong program is copied to tests/soundness/regress/gen-SEED.c (.cc;
# gen-a64-SEED.c for AArch64),
# where tests/t-soundness.sh builds it with every configuration from then
# on, and its failure names the command that reproduces it and the one
# that shrinks it (tests/gen/reduce.py: delta debugging over its lines;
# commit the shrunk program in its place).  A program
# that does not compile or fails before patching is the generator's bug
# and fails as such.
. "$(dirname "$0")/lib.sh"
. "$top/tests/matrix-lib.sh"
. "$top/tests/sound-lib.sh"

gen=$top/tests/gen/gen.py
regress=$sound_dir/regress
export SOUND_ARCH=$sound_arch
if [ "$sound_arch" = aarch64 ]; then
	gen_args="--arch aarch64" saved=gen-a64 again="SOUND_ARCH=aarch64 "
else
	gen_args="" saved=gen again=""
fi

# One seed, in SCRATCH/SEED, reported in SCRATCH/SEED.log.
gen_cell() {
	local scratch=$1 seed=$2 fam config lang src name rc

	sound_workdir=$scratch SOUND_TWICE=1
	mkdir -p "$scratch/$seed" && cd "$scratch/$seed" || return
	# shellcheck disable=SC2086
	read -r fam config lang < <(python3 "$gen" "$seed" $gen_args --config)
	src=$PWD/$saved-$seed.$lang
	# shellcheck disable=SC2086
	python3 "$gen" "$seed" $gen_args >"$src"
	name="seed $seed: $(sound_compiler "$src" "$fam") $(sound_cflags "$fam" "$config")"
	{
		sound_check "$src" "$fam" "$(sound_cflags "$fam" "$config")" "$name"
		rc=$?
		if [ $rc = 2 ]; then
			echo "  (the generator's bug: reproduce with python3 tests/gen/gen.py $seed $gen_args)"
		elif [ $rc = 1 ]; then
			echo "  reproduce: ${again}GEN_N=1 GEN_SEED=$seed bash tests/t-gen.sh" \
			     "(program: python3 tests/gen/gen.py $seed $gen_args)"
			echo "  shrink: ${again}python3 tests/gen/reduce.py $saved-$seed.$lang $fam $config"
			if [ ! -e "$regress/$saved-$seed.$lang" ]; then
				mkdir -p "$regress" && cp "$src" "$regress/$saved-$seed.$lang"
				echo "  saved as tests/soundness/regress/$saved-$seed.$lang"
			fi
		elif [ "$sound_s0" != 0 ]; then
			fail "$name: runs unpatched" "$(sound_status "$sound_s0"): the generator's bug" \
				"(python3 tests/gen/gen.py $seed $gen_args)"
		fi
	} >"$scratch/$seed.log" 2>&1
}

if [ "${1:-}" = --cell ]; then
	gen_cell "$2" "$3"
	exit 0
fi

if ! command -v python3 >/dev/null; then
	skip "generated programs" "python3 not installed"
	finish
fi
if [ "$sound_arch" = aarch64 ] &&
   { ! command -v qemu-aarch64 >/dev/null || ! command -v aarch64-linux-gnu-gcc >/dev/null; }; then
	skip "generated AArch64 programs" "aarch64-linux-gnu-gcc or qemu-aarch64 not installed (scripts/deps.sh)"
	finish
fi
sound_setup "$(scratch)" || finish

n=${GEN_N:-40}
[ "${FULL:-0}" = 1 ] && n=${GEN_N:-400}
first=${GEN_SEED:-1}
echo "seeds $first-$((first + n - 1))"
start=$(date +%s)
seq "$first" $((first + n - 1)) |
	xargs -P "${JOBS:-$(nproc)}" -I{} bash "$0" --cell "$(scratch)" {}

wrong=0
for seed in $(seq "$first" $((first + n - 1))); do
	log=$(scratch)/$seed.log
	if [ ! -s "$log" ]; then
		fail "seed $seed" "the cell reported nothing"
		continue
	fi
	cat "$log"
	f=$(grep -c '^FAIL: ' "$log")
	failures=$((failures + f))
	[ "$f" -gt 0 ] && wrong=$((wrong + 1))
done
# shellcheck disable=SC2046
set -- $(find "$(scratch)" -name table.out -exec cat {} + | table_totals)
echo "$n programs, $wrong wrong; pvlink table: $1 references, $2 patchable; $(($(date +%s) - start)) s"
finish
