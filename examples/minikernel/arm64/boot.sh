#!/bin/sh
# SPDX-License-Identifier: MIT
# arm64/boot.sh KERNEL.elf [CMDLINE] - boot the AArch64 kernel headless
# in QEMU -M virt (TCG).
#
# Output is the kernel's serial console (the PL011).  Exits with QEMU's
# status, which the kernel sets through semihosting (exit.c): 1 pass,
# 3 fail, 0 semihosting missing, 124 timeout.  QEMU, CPU (cortex-a57),
# TIMEOUT override the defaults; SEMIHOSTING=0 leaves -semihosting out.
set -u
[ $# -ge 1 ] || { echo "usage: boot.sh KERNEL.elf [CMDLINE]" >&2; exit 2; }
semi=-semihosting
[ "${SEMIHOSTING:-1}" = 0 ] && semi=
exec timeout "${TIMEOUT:-60}" "${QEMU:-qemu-system-aarch64}" \
	-M virt -cpu "${CPU:-cortex-a57}" -m 64M -accel tcg $semi \
	-kernel "$1" -append "${2:-}" \
	-display none -serial stdio -no-reboot -net none </dev/null
