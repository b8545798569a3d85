// SPDX-License-Identifier: MIT
/*
 * exit.c - leave QEMU with a status a test can check, on AArch64.
 *
 * Semihosting (QEMU's -semihosting): SYS_EXIT with the reason
 * ADP_Stopped_ApplicationExit makes QEMU exit with the subcode as its
 * status.  The subcodes are the x86 kernel's statuses (../exit.c), so
 * that boot.sh, `make boot` and the tests read both kernels alike, and
 * so that 0, what QEMU returns when a guest powers off (PSCI) or resets
 * under -no-reboot, never reads as a pass:
 *     1   pass
 *     3   fail: self-test failure, exception, bad boot data
 *     0   semihosting absent: the HLT trapped, PSCI SYSTEM_OFF instead
 *     124 hang, from timeout(1) around QEMU
 * Without -semihosting, HLT is an undefined instruction: the exception
 * handler reports it and calls qemu_exit() again, which then asks PSCI
 * (through HVC: -M virt's conduit when EL2 is absent) to power off; if
 * that traps as well, the CPU halts.
 */
#include "cpu.h"
#include "kernel.h"

#define SYS_EXIT                    0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF             0x84000008

static void semihosting_exit(uint64_t status)
{
	static uint64_t block[2];
	register uint64_t op __asm__("x0") = SYS_EXIT;
	register uint64_t arg __asm__("x1") = (uint64_t)(uintptr_t)block;

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = status;
	__asm__ volatile("hlt #0xf000" : "+r"(op) : "r"(arg) : "memory");
}

static void psci_system_off(void)
{
	register uint64_t fn __asm__("x0") = PSCI_SYSTEM_OFF;

	__asm__ volatile("hvc #0" : "+r"(fn) : : "memory");
}

/* A trap in either step comes back here (traps.c), for the next step. */
void qemu_exit(int ok)
{
	static int step;

	if (step == 0) {
		step = 1;
		semihosting_exit(ok ? 1 : 3);
	}
	if (step == 1) {
		step = 2;
		psci_system_off();
	}
	halt_forever();
}
