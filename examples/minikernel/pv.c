// SPDX-License-Identifier: MIT
/*
 * pv.c - a paravirtual backend modelled on Xen PV's.
 *
 * A PV guest may not execute cli/sti/popf with effect: its interrupt
 * flag is virtual, a mask byte in the vcpu_info page it shares with the
 * hypervisor (evtchn_upcall_mask; set = events masked = "IF clear").  So
 * the irq ops here only touch memory, and save_fl/restore_fl translate
 * between the mask and the format native save_fl reports (X86_EFLAGS_IF,
 * or on AArch64 DAIF.I: cpu.h's FLAGS_IRQS_ON/OFF).  Xen's irq_enable
 * also checks evtchn_upcall_pending and makes a hypercall to have
 * pending events delivered; there is no hypervisor here, so nothing is
 * ever pending.
 *
 * There is no bus to wait for, so io_delay is registered as a no-op
 * and its call sites become NOPs.  The privileged-register ops reuse the
 * native functions (QEMU runs this "guest" with full privilege).  The
 * same backend serves both architectures.
 */
#include <cpu.h>

#include "paravirt.h"

/* Xen's struct vcpu_info starts like this; one CPU, so one of them. */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
};

static struct vcpu_info vcpu0 = { .evtchn_upcall_mask = 1 };

static void pv_irq_disable(void)
{
	*(volatile uint8_t *)&vcpu0.evtchn_upcall_mask = 1;
}

static void pv_irq_enable(void)
{
	*(volatile uint8_t *)&vcpu0.evtchn_upcall_mask = 0;
}

static unsigned long pv_save_fl(void)
{
	return *(volatile uint8_t *)&vcpu0.evtchn_upcall_mask ? FLAGS_IRQS_OFF : FLAGS_IRQS_ON;
}

static void pv_restore_fl(unsigned long flags)
{
	*(volatile uint8_t *)&vcpu0.evtchn_upcall_mask = !flags_irqs_on(flags);
}

static void pv_io_delay(void)
{
}

/* const: `pvlink patch --ops pv_ops=pv_ops_pv` reads it from the image */
const struct pv_ops pv_ops_pv = {
	.irq_disable = pv_irq_disable,
	.irq_enable = pv_irq_enable,
	.save_fl = pv_save_fl,
	.restore_fl = pv_restore_fl,
	.io_delay = pv_io_delay,
	.flush_tlb = native_flush_tlb,
	NATIVE_ARCH_OPS
};

PVOPS_NOP(pv_io_delay);

static int pv_irqs_enabled(void)
{
	return !vcpu0.evtchn_upcall_mask;
}

const struct pv_backend pv_backend = {
	.name = "pv",
	.ops = &pv_ops_pv,
	.irqs_enabled = pv_irqs_enabled,
	.virtual_if = 1,
};
