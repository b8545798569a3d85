#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# applier.sh - part 3: how long pvops_hosted_apply() takes on the
# programs part 2 linked (10k, 100k, 1M generated references), and how
# often it makes the text writable, against copying the same bytes.
# The program (scale_main.c) measures itself; here it runs BENCH_REPS
# times per size and the table gives medians.
. "$(dirname "$0")/lib.sh"

sizes=${BENCH_SIZES-10000 100000 1000000}
reps=${BENCH_REPS:-5}

# The value of key=K in a line of key=value pairs.
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }

# Median over the runs of a key, or of an expression over keys (awk).
stat() {
	awk -v e="$2" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (e ~ /\//) { split(e, p, "/"); print v[p[1]] / v[p[2]] } else print v[e]
	}' "$1" | sort -g | awk '{ x[NR] = $1 } END { print NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }'
}

echo "the applier: pvops_hosted_apply() in the generated programs; median of $reps runs"
echo "  ns per patched site; cold = first apply (copy-on-write faults on the text),"
echo "  warm = again after pvops_restore(), check = apply with nothing to change;"
echo "  floors: memcpy = one copy of all site bytes, per-site = one memcpy per site"
printf '  %8s %9s %7s %7s %7s %7s %8s %10s %9s %8s %8s\n' sites bytes cold warm check \
	memcpy per-site warm/memcpy warm/site mprotect "pages W"
for n in $sizes; do
	d=$BENCH/scale/$n
	"$top/bench/build_sites.sh" "$n" "$d"
	rm -f "$d/apply.txt"
	for ((r = 0; r < reps; r++)); do
		"$d/image" >>"$d/apply.txt"
	done
	line=$(head -n1 "$d/apply.txt")
	e=$(echo "$line" | field entries)
	awk -v e="$e" -v b="$(echo "$line" | field bytes)" \
	    -v c="$(stat "$d/apply.txt" cold_ns)" -v w="$(stat "$d/apply.txt" warm_ns)" \
	    -v k="$(stat "$d/apply.txt" noop_ns)" -v m="$(stat "$d/apply.txt" memcpy_ns)" \
	    -v s="$(stat "$d/apply.txt" scatter_ns)" \
	    -v wm="$(stat "$d/apply.txt" warm_ns/memcpy_ns)" \
	    -v ws="$(stat "$d/apply.txt" warm_ns/scatter_ns)" \
	    -v mp="$(echo "$line" | field mprotect_w)" \
	    -v pw="$(echo "$line" | field mprotect_pages)" -v ps="$(echo "$line" | field site_pages)" \
	    'BEGIN { printf "  %8d %9d %7.1f %7.1f %7.1f %7.2f %8.1f %9.1fx %8.1fx %8d %4d/%d\n",
		e, b, c / e, w / e, k / e, m / e, s / e, wm, ws, mp, pw, ps }'
done
echo "  mprotect = calls that made text writable in the first apply; pages W = pages"
echo "  they covered / pages that hold a site: each such page is made writable once."
echo "  counts per run (first run of the largest size): $(grep -o 'direct=.*failed=[0-9]*' "$d/apply.txt" | head -n1)"
echo
