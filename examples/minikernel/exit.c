// SPDX-License-Identifier: MIT
/*
 * exit.c - leave QEMU with a status a test can check.
 *
 * QEMU's isa-debug-exit device (iobase 0xf4) exits with (V << 1) | 1
 * when V is written to it, so the statuses are:
 *     1   pass       (V = 0)
 *     3   fail       (V = 1): self-test failure, exception, bad boot data
 *     0   triple fault under -no-reboot (no handler could run)
 *     124 hang, from timeout(1) around QEMU
 * Without the device (another hypervisor) the write is ignored and the
 * CPU halts.
 */
#include "cpu.h"
#include "kernel.h"

#define DEBUG_EXIT_PORT 0xf4

void qemu_exit(int ok)
{
	outb(DEBUG_EXIT_PORT, ok ? 0 : 1);
	halt_forever();
}
