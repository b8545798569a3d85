#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh FUZZER SECONDS: fuzz pvlink's input path for a bounded time from a
# corpus of real objects (the test fixtures, built here, and every known
# regression).  Exits 1 if the fuzzer found a crash, a hang or a leak.
set -u
fuzzer=$(realpath "$1") seconds=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/fuzz
corpus=$out/corpus found=$out/found
mkdir -p "$corpus" "$found"

for f in forms.S undecoded.S audit.c; do
	gcc -O2 -g -c "$top/tests/fixtures/$f" -o "$corpus/${f%.*}.o"
done
# exception tables: .eh_frame and the LSDAs of .gcc_except_table
g++ -O2 -c "$top/tests/fuzz/eh_seed.cc" -o "$corpus/eh.o"
gcc -O0 -mindirect-branch=thunk-extern -c "$top/tests/fixtures/audit.c" -o "$corpus/thunk.o"
# AArch64: the shapes, and the matrix fixture from both compilers
if command -v aarch64-linux-gnu-as >/dev/null; then
	aarch64-linux-gnu-as "$top/tests/fixtures/a64-shapes.S" -o "$corpus/a64-shapes.o"
	for cc in aarch64-linux-gnu-gcc "clang --target=aarch64-linux-gnu"; do
		$cc -O2 -fno-pie -I"$top/include" -c "$top/tests/fixture/work.c" \
			-o "$corpus/a64-work-${cc%% *}.o" 2>/dev/null
	done
fi
cp "$top"/tests/fuzz/regress/* "$corpus/" 2>/dev/null

cd "$found" || exit 1
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 \
	"$corpus" >"$out/fuzz.log" 2>&1
status=$?
tail -5 "$out/fuzz.log"
if [ "$status" -ne 0 ] || ls "$found" | grep -q .; then
	echo "fuzz: found a failing input, see $found and $out/fuzz.log" >&2
	exit 1
fi
echo "fuzz: no failure in ${seconds}s"
