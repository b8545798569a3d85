#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# scale.sh - part 2: pvlink table, verify and audit on 10k, 100k and 1M
# generated references, next to objdump -dr (what one uses without
# pvlink) and objcopy (reads and writes the file once: the floor).
#
# Every run of a repetition runs all seven commands in turn, so each
# ratio compares commands that ran under the same conditions; the tables
# give medians over the repetitions.  Inputs are in the page cache (they
# were just built): this times the tools, not the disk.
#
#   BENCH_SIZES="10000 100000 1000000"   BENCH_REPS=5   BENCH_REPS_1M=3
#   BENCH_NODWARF_SIZES="100000 300000"  BENCH_REPS_NODWARF=3
#       audit on images whose sites have no line info
# An empty list of sizes skips that table.
. "$(dirname "$0")/lib.sh"

sizes=${BENCH_SIZES-10000 100000 1000000}
OPS="--ops tbl0 --ops tbl1 --ops tbl2 --ops tbl3"
cmds="table objdump_o objcopy_o verify audit objdump_i objcopy_i"

declare -A label=(
	[table]="pvlink table      (.o)"
	[objdump_o]="objdump -dr       (.o)"
	[objcopy_o]="objcopy           (.o)"
	[verify]="pvlink verify     (image)"
	[audit]="pvlink audit json (image)"
	[objdump_i]="objdump -dr       (image)"
	[objcopy_i]="objcopy           (image)"
)

one_run() {
	local d=$1
	timed "$d/t.table" "$PVLINK" table -q "$d/sites.o" -o "$d/out.o" $OPS
	timed "$d/t.objdump_o" objdump -dr "$d/sites.o" >/dev/null
	timed "$d/t.objcopy_o" objcopy "$d/sites.o" "$d/copy.o"
	timed "$d/t.verify" "$PVLINK" verify -q "$d/image" $OPS
	timed "$d/t.audit" "$PVLINK" audit "$d/image" $OPS --format json >/dev/null
	timed "$d/t.objdump_i" objdump -dr "$d/image" >/dev/null
	timed "$d/t.objcopy_i" objcopy "$d/image" "$d/copy.elf"
}

size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# One table: per command seconds, ns per reference, peak RSS, and ratios
# against the reference tools of the same run.
report() {
	local n=$1 d=$2 reps=$3 obj img c file dump copy
	obj=$(stat -c %s "$d/sites.o")
	img=$(stat -c %s "$d/image")
	echo "pvlink at scale: $n references; $(sed 's/^gen_sites: //' "$d/forms.txt")"
	echo "  sites.o $(size_mb "$d/sites.o") MB, image $(size_mb "$d/image") MB" \
	     "(-Wl,--emit-relocs); median of $reps runs"
	printf '  %-26s %8s %8s %9s %8s %9s %9s\n' command seconds ns/ref "RSS MB" RSS/file \
		"objdump/x" "x/objcopy"
	for c in $cmds; do
		case $c in
		*_o|table) file=$obj dump=objdump_o copy=objcopy_o ;;
		*) file=$img dump=objdump_i copy=objcopy_i ;;
		esac
		ratios "$d/t.$dump" "$d/t.$c" "$d/r.$c.dump"
		ratios "$d/t.$c" "$d/t.$copy" "$d/r.$c.copy"
		awk -v n="$n" -v f="$file" -v s="$(median "$d/t.$c" 1)" -v m="$(median "$d/t.$c" 2)" \
		    -v rd="$(median "$d/r.$c.dump" 1)" -v rc="$(median "$d/r.$c.copy" 1)" \
		    -v l="${label[$c]}" 'BEGIN {
			printf "  %-26s %8.3f %8.0f %9.1f %7.1fx %8.2fx %8.2fx\n",
			       l, s, s * 1e9 / n, m / 1024, m * 1024 / f, rd, rc }'
	done
}

for n in $sizes; do
	d=$BENCH/scale/$n
	"$top/bench/build_sites.sh" "$n" "$d"
	reps=${BENCH_REPS:-5}
	[ "$n" -ge 1000000 ] && reps=${BENCH_REPS_1M:-3}
	rm -f "$d"/t.* "$d"/r.*
	for ((r = 0; r < reps; r++)); do
		one_run "$d"
	done
	report "$n" "$d" "$reps"
	rm -f "$d/copy.o" "$d/copy.elf"      # 170 MB at 1M, never read again
	echo
done

# The targets, judged on the largest size against the one before it.
targets() {
	local big=$1 small=$2 db=$BENCH/scale/$1 ds=$BENCH/scale/$2 c f
	echo "targets at $big references (growth: ns/ref at $big over ns/ref at $small)"
	for c in table verify audit; do
		awk -v c="$c" -v b="$(median "$db/t.$c" 1)" -v s="$(median "$ds/t.$c" 1)" \
		    -v nb="$big" -v ns="$small" 'BEGIN { g = (b / nb) / (s / ns)
			printf "  %-26s %6.2fx  %-10s %s\n", "linear growth, " c, g, "<= 1.25",
			       g <= 1.25 ? "met" : "MISSED" }'
	done
	awk -v t="$(median "$db/t.table" 1)" -v n="$big" -v rd="$(median "$db/r.table.dump" 1)" \
	    -v rc="$(median "$db/r.table.copy" 1)" 'function v(ok) { return ok ? "met" : "MISSED" }
	BEGIN {
		printf "  %-26s %6.2fs  %-10s %s\n", "table time", t, "< 2 at 1M",
		       n == 1000000 ? v(t < 2) : "n/a"
		printf "  %-26s %6.2fx  %-10s %s\n", "objdump -dr / table", rd, ">= 20", v(rd >= 20)
		printf "  %-26s %6.2fx  %-10s %s\n", "table / objcopy", rc, "<= 4", v(rc <= 4)
	}'
	for c in table verify audit; do
		f=$db/image
		[ "$c" = table ] && f=$db/sites.o
		awk -v c="$c" -v m="$(median "$db/t.$c" 2)" -v f="$(stat -c %s "$f")" 'BEGIN {
			r = m * 1024 / f
			printf "  %-26s %6.2fx  %-10s %s\n", "peak RSS / input, " c, r, "< 3",
			       r < 3 ? "met" : "MISSED" }'
	done
	echo
}

set -- $sizes
[ $# -ge 2 ] && targets "${@: -1}" "${@: -2:1}"

# pvlink audit on an image with DWARF everywhere but at the sites: libbfd
# then falls back to its symbol-table search for every function.
nodwarf=${BENCH_NODWARF_SIZES-100000 300000}
[ -n "$nodwarf" ] || exit 0
echo "pvlink audit json, image whose sites have no line info (the rest has DWARF)"
printf '  %-10s %8s %8s %9s\n' references seconds ns/ref "RSS MB"
for n in $nodwarf; do
	d=$BENCH/scale/nodwarf-$n
	"$top/bench/build_sites.sh" "$n" "$d" nodwarf
	rm -f "$d/t.audit"
	for ((r = 0; r < ${BENCH_REPS_NODWARF:-3}; r++)); do
		timed "$d/t.audit" "$PVLINK" audit "$d/image" $OPS --format json >/dev/null
	done
	awk -v n="$n" -v s="$(median "$d/t.audit" 1)" -v m="$(median "$d/t.audit" 2)" 'BEGIN {
		printf "  %-10d %8.3f %8.0f %9.1f\n", n, s, s * 1e9 / n, m / 1024 }'
done
echo
