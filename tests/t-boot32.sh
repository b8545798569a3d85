#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The example kernel built as an i386 kernel (examples/minikernel, make
# kernel32.elf: -m32 -mregparm=3, 32-bit PVH entry, 2-level paging) boots
# in QEMU and patches its own call sites with exactly the outcomes of the
# x86-64 kernel (tests/t-boot.sh): the same 24 sites, through `call
# *pv_ops+off` (ff 15 abs32) instead of `call *pv_ops+off(%rip)`.  Its ops
# still behave, 64-bit arguments and results included (read_msr,
# write_gdt_entry).  A kernel with one site overwritten after the table
# was made is refused by `pvlink verify` and skipped, alone, by the applier.
. "$(dirname "$0")/lib.sh"

if ! command -v "${QEMU:-qemu-system-x86_64}" >/dev/null; then
	skip "boot32" "qemu-system-x86_64 not installed (Debian: qemu-system-x86)"
	finish
fi
if ! echo 'int f(void) { return 0; }' | gcc -m32 -x c -c - -o "$work/m32.o" 2>/dev/null; then
	skip "boot32" "gcc -m32 cannot compile (install gcc-12-multilib)"
	finish
fi

k=$work/minikernel
cp -r "$top/examples/minikernel" "$k"
make -s -C "$k" clean >/dev/null
if ! make -s -C "$k" TOP="$top" PVLINK="$PVLINK" kernel32.elf kernel32-stale.elf \
	>"$work/build.log" 2>&1; then
	fail "build" "$(cat "$work/build.log")"
	finish
fi
pass "build"
expect "build: no compiler or linker warnings" "" "$(grep -i 'warning' "$work/build.log")"
expect "an ELF32 i386 image" "ELF32 Intel 80386" \
	"$(readelf -h "$k/kernel32.elf" | awk -F: '/Class|Machine/ { gsub(/^ +/, "", $2); printf "%s%s", s, $2; s = " " }')"

"$PVLINK" verify -q "$k/kernel32.elf" >/dev/null 2>&1
expect "verify accepts kernel32.elf" 0 $?
"$PVLINK" verify -q "$k/kernel32-stale.elf" >/dev/null 2>&1
expect "verify refuses kernel32-stale.elf (exit 1: mismatch)" 1 $?
expect "audit: every site patchable" \
	"ops table pv_ops: 24 sites, 24 patchable (100.0%), 0 not patchable; 0 runtime writes, 12 init writes" \
	"$("$PVLINK" audit "$k/kernel32.elf" 2>/dev/null | grep '^ops table pv_ops')"

# boot NAME KERNEL CMDLINE: console in $work/NAME.out, QEMU's status in $status.
boot() {
	"$k/boot.sh" "$k/$2" "$3" 2>&1 | tr -d '\r' >"$work/$1.out"
	status=${PIPESTATUS[0]}
}

# line NAME PREFIX: the console line of boot NAME starting with PREFIX.
line() { grep -m1 "^$2" "$work/$1.out"; }

check_boot() {
	local name=$1 counts=$2

	expect "$name: QEMU exit status 1 (pass)" 1 "$status"
	expect "$name: patch counts" "$counts" "$(line "$name" 'pvlink: ')"
	expect "$name: self-test" "selftest: PASS" "$(line "$name" 'selftest: ')"
	expect "$name: no exception" "" "$(line "$name" 'trap: ')"
	expect "$name: timing lines" 4 "$(grep -c '^timing: .* -> .* cycles/call$' "$work/$name.out")"
}

boot native kernel32.elf "pvops=native"
check_boot native "pvlink: 24 sites: 10 inlined, 14 direct, 0 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 24 writes"
expect "native: backend" "pvops: backend native" "$(line native 'pvops: ')"
expect "native: a 64-bit result through a patched site" "cpu: IA32_APIC_BASE 0xfee00" \
	"$(line native 'cpu: ' | cut -c1-27)"

boot pv kernel32.elf "pvops=pv"
check_boot pv "pvlink: 24 sites: 0 inlined, 21 direct, 3 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 24 writes"
expect "pv: backend" "pvops: backend pv" "$(line pv 'pvops: ')"

# mkstale.sh takes the table's first plain call (ff 15 abs32 here).
boot stale kernel32-stale.elf "pvops=native"
check_boot stale "pvlink: 24 sites: 10 inlined, 13 direct, 0 nop, 0 indirect, 1 mismatch, 0 bad_entry, 0 failed, 23 writes"
expect "stale: skipped site still runs" "cpu: IA32_APIC_BASE 0xfee00" \
	"$(line stale 'cpu: ' | cut -c1-27)"

boot bogus kernel32.elf "pvops=bogus"
expect "unknown backend: QEMU exit status 3 (fail)" 3 "$status"
finish
