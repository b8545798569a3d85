#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The example kernel built for AArch64 (examples/minikernel, make
# kernel-a64.elf: the shared C plus arm64/) boots under qemu-system-aarch64
# -M virt with TCG, on each backend, patches itself and its ops behave:
# `pvlink table` on the kernel's ld -r output, `pvlink verify` on the
# image, the applier at boot (blr -> bl, one-word inline code, nop), and
# the self-test through every op, patched.  The exit status comes through
# semihosting; without it the kernel must fall back to PSCI's power-off,
# status 0, never a pass.
. "$(dirname "$0")/lib.sh"

A64_CC=${A64_CC:-clang --target=aarch64-linux-gnu}
A64_LD=${A64_LD:-aarch64-linux-gnu-ld}
QEMU_A64=${QEMU_A64:-qemu-system-aarch64}

if ! command -v "$QEMU_A64" >/dev/null; then
	skip "boot-a64" "$QEMU_A64 not installed (Debian: qemu-system-arm)"
	finish
fi
if ! command -v "$A64_LD" >/dev/null; then
	skip "boot-a64" "$A64_LD not installed (Debian: binutils-aarch64-linux-gnu)"
	finish
fi
if ! echo 'int f(void) { return 0; }' | $A64_CC -x c -c - -o "$work/a64.o" 2>/dev/null; then
	skip "boot-a64" "$A64_CC cannot compile for AArch64 (Debian: clang)"
	finish
fi

k=$work/minikernel
cp -r "$top/examples/minikernel" "$k"
make -s -C "$k" clean >/dev/null

# build DIR CC: kernel-a64.elf in DIR, compiled with CC; log in DIR/build.log.
build() {
	make -s -C "$1" TOP="$top" PVLINK="$PVLINK" A64_CC="$2" A64_LD="$A64_LD" \
		kernel-a64.elf >"$1/build.log" 2>&1
}

if ! build "$k" "$A64_CC"; then
	fail "build" "$(cat "$k/build.log")"
	finish
fi
pass "build"
expect "build: no compiler or linker warnings" "" "$(grep -i 'warning' "$k/build.log")"
expect "an ELF64 AArch64 image" "ELF64 AArch64" \
	"$(readelf -h "$k/kernel-a64.elf" | awk -F: '/Class|Machine/ { gsub(/^ +/, "", $2); printf "%s%s", s, $2; s = " " }')"
expect "no segment both writable and executable" "" "$(readelf -lW "$k/kernel-a64.elf" | grep 'LOAD.*RWE')"
syms=$(readelf -sW "$k/kernel-a64.elf")
sym() { awk -v n="$1" '$8 == n { print $2 }' <<<"$syms"; }
expect "the applier is linked" 1 "$([ -n "$(sym pvops_apply)" ] && echo 1)"
expect "pvops.lds bounds the table: 12 entries of 24 bytes" 288 \
	"$(( 0x$(sym __stop_pvlink_sites) - 0x$(sym __start_pvlink_sites) ))"
expect "pvlink verify accepts the image" "$k/kernel-a64.elf: 12 entries, 0 bad; 12 patchable sites rescanned, 0 without entry" \
	"$("$PVLINK" verify "$k/kernel-a64.elf" 2>&1)"

# boot NAME KERNEL CMDLINE [CPU]: console in $work/NAME.out, QEMU's status in $status.
boot() {
	QEMU=$QEMU_A64 CPU=${4:-cortex-a57} TIMEOUT=${TIMEOUT:-30} \
		"$k/arm64/boot.sh" "$2" "$3" 2>&1 | tr -d '\r' >"$work/$1.out"
	status=${PIPESTATUS[0]}
}

# line NAME PREFIX: the console line of boot NAME starting with PREFIX.
line() { grep -m1 "^$2" "$work/$1.out"; }

# counts NAME BACKEND: what the applier does to the sites pvlink found
# (clang 14: 12; gcc 12, boots named gcc-*: 8) on each backend.
counts() {
	case $1/$2 in
	gcc-*/native) echo "pvlink: 8 sites: 2 inlined, 6 direct, 0 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 8 writes" ;;
	gcc-*/pv)     echo "pvlink: 8 sites: 0 inlined, 8 direct, 0 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 8 writes" ;;
	*/native)     echo "pvlink: 12 sites: 3 inlined, 9 direct, 0 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 12 writes" ;;
	*/pv)         echo "pvlink: 12 sites: 0 inlined, 11 direct, 1 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 12 writes" ;;
	esac
}

# check_boot NAME BACKEND CMDLINE: every line of a passing boot that timing does not change.
check_boot() {
	local name=$1 backend=$2 cmdline=$3

	expect "$name: QEMU exit status 1 (pass)" 1 "$status"
	expect "$name: boot line" "minikernel: DTB boot, cmdline \"$cmdline\"" "$(line "$name" 'minikernel: ')"
	expect "$name: backend" "pvops: backend $backend" "$(line "$name" 'pvops: ')"
	expect "$name: text read-only before the applier" \
		"text: read-only before patching, AT S1E1W fault 1" "$(line "$name" 'text: read-only')"
	expect "$name: patch counts" "$(counts "$name" "$backend")" "$(line "$name" 'pvlink: ')"
	expect "$name: self-test" "selftest: PASS" "$(line "$name" 'selftest: ')"
	expect "$name: no exception" "" "$(line "$name" 'trap: ')"
	expect "$name: timing lines" 4 "$(grep -c '^timing: .* -> .* cycles/call$' "$work/$name.out")"
}

boot native "$k/kernel-a64.elf" "pvops=native"
check_boot native native "pvops=native"
expect "native: MIDR_EL1 through pv_ops" "cpu: MIDR_EL1 0x411fd070" "$(line native 'cpu: ')"

boot pv "$k/kernel-a64.elf" "pvops=pv"
check_boot pv pv "pvops=pv"
expect "pv: MIDR_EL1 through pv_ops" "cpu: MIDR_EL1 0x411fd070" "$(line pv 'cpu: ')"

boot default "$k/kernel-a64.elf" ""
check_boot default native ""

# Later words override earlier ones, as in the x86 kernel.
boot override "$k/kernel-a64.elf" "pvops=native console=ttyAMA0 pvops=pv"
expect "pvops= twice: the last one wins" "pvops: backend pv" "$(line override 'pvops: ')"

for b in native pv; do
	boot max-$b "$k/kernel-a64.elf" "pvops=$b" max
	check_boot max-$b $b "pvops=$b"
done

# Pre-patched images (pvlink patch): verify accepts them and rescans the
# code as built; each boots with 0 writes on its own backend and is
# re-targeted on the other.
for p in native:native_ops pv:pv_ops_pv; do
	b=${p%%:*}
	"$PVLINK" patch "$k/kernel-a64.elf" -o "$k/kernel-a64.$b.elf" --ops "pv_ops=${p#*:}" -q
	expect "pre-patched $b: verify" "$(counts "$b" "$b" | awk '{ print $2 }') sites pre-patched" \
		"$("$PVLINK" verify "$k/kernel-a64.$b.elf" 2>&1 | grep -o '^[^ ]* [0-9]* sites pre-patched' |
		   cut -d' ' -f2-)"
	expect "pre-patched $b: rescan" "12 patchable sites rescanned, 0 without entry" \
		"$("$PVLINK" verify "$k/kernel-a64.$b.elf" 2>&1 | grep -o '12 patchable.*')"
	for run in native pv; do
		boot pre-$b-$run "$k/kernel-a64.$b.elf" "pvops=$run"
		expect "pre-patched $b, pvops=$run: status and self-test" "1 selftest: PASS" \
			"$status $(line pre-$b-$run 'selftest: ')"
		writes=$( [ "$b" = "$run" ] && echo 0 || echo "[1-9][0-9]*")
		expect "pre-patched $b, pvops=$run: writes" 1 \
			"$(line pre-$b-$run 'pvlink: ' | grep -c " $writes writes$")"
	done
done

boot bogus "$k/kernel-a64.elf" "pvops=bogus"
expect "unknown backend: QEMU exit status 3 (fail)" 3 "$status"
expect "unknown backend: message" "pvops: unknown backend, want pvops=native or pvops=pv" \
	"$(line bogus 'pvops: ')"

SEMIHOSTING=0 boot nosemi "$k/kernel-a64.elf" "pvops=native"
expect "no -semihosting: PSCI power-off, status 0" 0 "$status"
expect "no -semihosting: the self-test still ran" "selftest: PASS" "$(line nosemi 'selftest: ')"
expect "no -semihosting: HLT reported as an unknown instruction" "EC 0x0" \
	"$(line nosemi 'trap: ' | grep -o 'EC 0x0')"

# The same kernel from gcc (scripts/deps.sh installs the cross compiler).
gcc_a64=aarch64-linux-gnu-gcc
if [ "$A64_CC" = "$gcc_a64" ]; then
	:
elif ! command -v "$gcc_a64" >/dev/null; then
	skip "gcc build" "$gcc_a64 not installed (Debian: gcc-aarch64-linux-gnu)"
else
	kg=$work/gcc
	cp -r "$k" "$kg" && make -s -C "$kg" clean >/dev/null
	if build "$kg" "$gcc_a64"; then
		expect "gcc build: no warnings" "" "$(grep -i 'warning' "$kg/build.log")"
		for b in native pv; do
			boot gcc-$b "$kg/kernel-a64.elf" "pvops=$b"
			check_boot gcc-$b $b "pvops=$b"
		done
	else
		fail "gcc build" "$(cat "$kg/build.log")"
	fi
fi

finish
