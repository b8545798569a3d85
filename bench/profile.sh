#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# profile.sh [table|table-memory|audit-nodwarf|applier] - where the
# time goes, by callgrind's inclusive instruction counts (deterministic,
# unlike a sampling profile on a noisy machine; perf may not work in a
# VM), or where the memory goes, by massif's peak snapshot.
#   table          pvlink table on the 100k-reference object (~10 s)
#   table-memory   the same under massif: the allocations live at the peak
#   audit-nodwarf  pvlink audit --format json on the 100k image whose
#                  sites have no line info (~40 s; not run by make bench)
#   applier        the 100k program: four pvops_hosted_apply() passes
# Shows the named functions only: libraries without symbols show as
# addresses, which say nothing.
. "$(dirname "$0")/lib.sh"

what=${1:-table}
OPS="--ops tbl0 --ops tbl1 --ops tbl2 --ops tbl3"
if ! command -v valgrind >/dev/null; then
	echo "profile: valgrind not installed, skipped"
	exit 0
fi
case $what in
table|table-memory)
	d=$BENCH/scale/100000
	"$top/bench/build_sites.sh" 100000 "$d"
	cmd=("$PVLINK" table -q "$d/sites.o" -o "$d/out.o" $OPS) ;;
audit-nodwarf)
	d=$BENCH/scale/nodwarf-100000
	"$top/bench/build_sites.sh" 100000 "$d" nodwarf
	cmd=("$PVLINK" audit "$d/image" $OPS --format json -o "$d/audit.json") ;;
applier)
	d=$BENCH/scale/100000
	"$top/bench/build_sites.sh" 100000 "$d"
	cmd=("$d/image") ;;
*)
	echo "usage: profile.sh [table|table-memory|audit-nodwarf|applier]" >&2
	exit 2 ;;
esac

if [ "$what" = table-memory ]; then
	out=$BENCH/massif.table
	valgrind --tool=massif --massif-out-file="$out" "${cmd[@]}" >/dev/null 2>"$out.log"
	ms_print "$out" >"$out.txt"
	peak=$(sed -n 's/.*[ ,]\([0-9]*\) (peak).*/\1/p' "$out.txt")
	echo "massif, table (100k references): heap at its peak, by allocation site"
	awk -v p="$peak" '$1 == p && $2 ~ /^[0-9,]+$/ { f = 1; printf "  heap %s bytes\n", $3; next }
		f && /^---/ { exit }
		f && /^->/ { sub(/ \(in [^)]*\)/, ""); sub(/0x[0-9A-F]+: /, ""); print "  " $0 }' "$out.txt"
	echo "  (full profile: ms_print $out)"
	echo
	exit 0
fi
out=$BENCH/callgrind.$what
valgrind --tool=callgrind --callgrind-out-file="$out" "${cmd[@]}" >/dev/null 2>"$out.log"
echo "callgrind, $what (100k references): inclusive instructions of the top named functions"
echo "  ${cmd[*]#$top/}"
# Debug info names some files by absolute and some by relative path: the
# same function then shows twice; the recursion of glibc's merge sort
# (msort_with_tmp'2) is a cycle that callgrind counts once per level.
callgrind_annotate --auto=no --inclusive=yes "$out" 2>/dev/null |
	sed "s|$top/||" |
	awk '/PROGRAM TOTALS/ { print "  " $0; next }
	     /^ *[0-9,]+ +\([ 0-9.]+%\) / && !/\?\?\?:0x|below main|libc_start|ld-linux|msort_with_tmp/ {
		sub(/ \[[^]]*\]$/, "")
		if (!seen[$NF]++ && ++n <= 16) print "  " $0 }'
[ "$what" = applier ] || echo "  who calls the decoder and the formatter:"
callgrind_annotate --auto=no --inclusive=yes --tree=caller "$out" 2>/dev/null |
	sed "s|$top/||" |
	awk '/^$/ { k = 0; next }
	     / < / { sub(/ \[[^]]*\]$/, ""); blk[++k] = $0; next }
	     / \* / && /cs_disasm|snprintf.c:snprintf / {
		sub(/ \[[^]]*\]$/, ""); for (i = 1; i <= k; i++) print "  " blk[i]; print "  " $0 }
	     { k = 0 }'
echo "  (full profile: callgrind_annotate --inclusive=yes $out)"
echo
