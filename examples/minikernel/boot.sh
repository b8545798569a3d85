#!/bin/sh
# SPDX-License-Identifier: MIT
# boot.sh KERNEL.elf [CMDLINE] - boot a kernel headless in QEMU (TCG).
#
# Output is the kernel's serial console.  Exits with QEMU's status, which
# the kernel sets through isa-debug-exit (exit.c): 1 pass, 3 fail,
# 0 triple fault, 124 timeout.  QEMU, TIMEOUT override the defaults.
set -u
[ $# -ge 1 ] || { echo "usage: boot.sh KERNEL.elf [CMDLINE]" >&2; exit 2; }
exec timeout "${TIMEOUT:-60}" "${QEMU:-qemu-system-x86_64}" \
	-kernel "$1" -append "${2:-}" \
	-display none -serial stdio -no-reboot -m 64M -cpu max -accel tcg -net none -vga none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
