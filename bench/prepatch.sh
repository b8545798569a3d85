#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# prepatch.sh - part 5: what pre-patching costs and saves.
#   - `pvlink patch` on the 1M-reference program of part 2
#     (bench/build_sites.sh; reused when already built), the slots given
#     as scale_main.c fills them, median of BENCH_REPS runs;
#   - the applier's pass in the example kernel, in cycles (rdtsc, printed
#     by the kernel): the unpatched kernel.elf against kernel.native.elf
#     and kernel.pv.elf on their own backends, median of BENCH_BOOTS boots.
# Runs alone: bench/prepatch.sh (about a minute once the image exists).
. "$(dirname "$0")/lib.sh"

n=${BENCH_PATCH_SITES:-1000000}
reps=${BENCH_REPS:-5}
boots=${BENCH_BOOTS:-5}

# --slot for every slot, as fill_tables() in scale_main.c fills them.
slots() {
	local others=(t_inc t_dec t_neg) t i f
	for ((t = 0; t < 4; t++)); do
		for ((i = 0; i < 32; i++)); do
			case $((i % 8)) in 0) f=t_ident ;; 1) f=t_nop ;; *) f=${others[i % 3]} ;; esac
			printf -- '--slot\ntbl%d+%d=%s\n' "$t" $((i * 8)) "$f"
		done
	done
}

bench_tools
d=$BENCH/scale/$n
"$top/bench/build_sites.sh" "$n" "$d"
mapfile -t args < <(slots)
rm -f "$d/patch.txt"
for ((r = 0; r < reps; r++)); do
	timed "$d/patch.txt" "$PVLINK" patch -q "$d/image" -o "$d/image.pre" "${args[@]}"
done
"$PVLINK" verify -q "$d/image.pre"
echo "pvlink patch: $n references, $("$PVLINK" patch "$d/image" -o "$d/image.pre" "${args[@]}" |
	sed 's/^[^:]*: //'); median of $reps runs"
printf '  %8s %10s %12s\n' sites seconds "max RSS MB"
printf '  %8s %10.2f %12.0f\n' "$n" "$(median "$d/patch.txt" 1)" \
	"$(awk '{ print $2 / 1024 }' "$d/patch.txt" | sort -g | tail -n1)"
echo

if ! command -v "${QEMU:-qemu-system-x86_64}" >/dev/null; then
	echo "applier at boot: skipped (no qemu-system-x86_64)"
	exit 0
fi
k=$BENCH/minikernel
rm -rf "$k" && cp -r "$top/examples/minikernel" "$k"
make -s -C "$k" clean >/dev/null
make -s -C "$k" TOP="$top" PVLINK="$PVLINK" kernel.elf prepatched >/dev/null
echo "the applier's pass at boot, example kernel (24 sites), rdtsc cycles, median of $boots boots"
echo "  under QEMU TCG: the TSC counts host time spent emulating, first-run translation"
echo "  included, so the numbers compare the two images, not real hardware"
printf '  %-20s %-8s %8s %12s\n' image backend writes cycles
for run in "kernel.elf native" "kernel.native.elf native" "kernel.elf pv" "kernel.pv.elf pv"; do
	set -- $run
	rm -f "$k/cycles.txt"
	for ((r = 0; r < boots; r++)); do
		"$k/boot.sh" "$k/$1" "pvops=$2" | tr -d '\r' >"$k/boot.out" || true
		grep -q '^selftest: PASS' "$k/boot.out" || { echo "bench: $1 $2 failed" >&2; exit 1; }
		sed -n 's/^apply: \([0-9]*\) cycles$/\1/p' "$k/boot.out" >>"$k/cycles.txt"
	done
	printf '  %-20s %-8s %8s %12.0f\n' "$1" "$2" \
		"$(sed -n 's/^pvlink: .*, \([0-9]*\) writes$/\1/p' "$k/boot.out")" "$(median "$k/cycles.txt" 1)"
done
