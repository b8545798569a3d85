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
#
# A wrong program is copied to tests/soundness/regress/gen-SEED.c (.cc),
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

# One seed, in SCRATCH/SEED, reported in SCRATCH/SEED.log.
gen_cell() {
	local scratch=$1 seed=$2 fam config lang src name rc

	sound_workdir=$scratch SOUND_TWICE=1
	mkdir -p "$scratch/$seed" && cd "$scratch/$seed" || return
	read -r fam config lang < <(python3 "$gen" "$seed" --config)
	src=$PWD/gen-$seed.$lang
	python3 "$gen" "$seed" >"$src"
	name="seed $seed: $(sound_compiler "$src" "$fam") $(sound_cflags "$fam" "$config")"
	{
		sound_check "$src" "$fam" "$(sound_cflags "$fam" "$config")" "$name"
		rc=$?
		if [ $rc = 2 ]; then
			echo "  (the generator's bug: reproduce with python3 tests/gen/gen.py $seed)"
		elif [ $rc = 1 ]; then
			echo "  reproduce: GEN_N=1 GEN_SEED=$seed bash tests/t-gen.sh" \
			     "(program: python3 tests/gen/gen.py $seed)"
			echo "  shrink: python3 tests/gen/reduce.py gen-$seed.$lang $fam $config"
			if [ ! -e "$regress/gen-$seed.$lang" ]; then
				mkdir -p "$regress" && cp "$src" "$regress/gen-$seed.$lang"
				echo "  saved as tests/soundness/regress/gen-$seed.$lang"
			fi
		elif [ "$sound_s0" != 0 ]; then
			fail "$name: runs unpatched" "$(sound_status "$sound_s0"): the generator's bug" \
				"(python3 tests/gen/gen.py $seed)"
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
echo "$n programs, $wrong wrong, $(($(date +%s) - start)) s"
finish
