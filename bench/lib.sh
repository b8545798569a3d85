# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for the bench/*.sh scripts, sourced by each.
#
#   BENCH      build/bench, where everything is built and measured
#   PVLINK     the pvlink binary under test
#   median FILE COL         median of column COL over the lines of FILE
#   ratios FILE1 FILE2 OUT  per-line FILE1.col1 / FILE2.col1 into OUT: a
#                           ratio within each run, pairing the same rep
#   timed FILE CMD...       run CMD, append "seconds maxrss_kb status" to
#                           FILE (bench/runstat.c); fail if CMD fails

set -eu
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${BENCH:-$top/build/bench}
PVLINK=${PVLINK:-$top/pvlink/pvlink}
CC=${CC:-gcc}
BENCH_CFLAGS="-O2 -Wall -Wextra -I$top/include -I$top/bench"

median() {
	sort -g -k"$2,$2" "$1" |
	awk -v c="$2" '{ v[NR] = $c }
		END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratios() {
	paste -d' ' "$1" "$2" | awk '{ n = split($0, f, " "); print f[1] / f[n / 2 + 1] }' >"$3"
}

timed() {
	local file=$1
	shift
	if ! "$BENCH/bin/runstat" "$file" "$@"; then
		echo "bench: failed: $*" >&2
		exit 1
	fi
}

# The helpers every part needs, rebuilt when their source changed, so
# each part also runs on its own.
bench_tools() {
	local b=$BENCH/bin s=$top/bench

	mkdir -p "$b"
	[ "$b/runstat" -nt "$s/runstat.c" ] || $CC $BENCH_CFLAGS "$s/runstat.c" -o "$b/runstat"
	[ "$b/gen_sites" -nt "$s/gen_sites.c" ] ||
		$CC $BENCH_CFLAGS "$s/gen_sites.c" -o "$b/gen_sites"
	# the retpoline thunks the tests use, as a kernel provides them
	[ "$b/retpoline.o" -nt "$top/kernel-glue/retpoline.S" ] ||
		$CC -c "$top/kernel-glue/retpoline.S" -o "$b/retpoline.o"
}
