// SPDX-License-Identifier: GPL-2.0
/*
 * pvtest: exercise pv_ops through the kernel's ordinary interfaces.
 *
 * Every check prints one line, "pvtest: WHAT: ok" or "pvtest: WHAT: FAIL",
 * with only values that are the same on every boot (no addresses, no
 * times), so the output of a stock kernel and of one whose pv_ops call
 * sites were rewritten at boot and at module load can be compared line
 * for line.  The last line is "pvtest: result ok" or "pvtest: result FAIL
 * N" (N failed checks).  With exit=1 the module ends the QEMU run through
 * isa-debug-exit (port 0xf4): 0 on success, 1 on failure, which QEMU turns
 * into exit status 1 or 3.
 *
 * Under CONFIG_UNWINDER_ORC a small function that uses pv ops is also
 * single-stepped, and at each step the stack is unwound from the trapping
 * registers: a site rewritten into inline code that moves the stack
 * pointer (pushf; pop) without matching ORC data breaks this unwind.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/irqflags.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/mm_types.h>
#include <asm/special_insns.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/desc.h>
#include <asm/debugreg.h>
#include <asm/io.h>
#include <asm/page.h>
#include <linux/pgtable.h>
#include <asm/segment.h>

static bool exit_qemu;
module_param_named(exit, exit_qemu, bool, 0444);
MODULE_PARM_DESC(exit, "exit QEMU through isa-debug-exit (port 0xf4) when done");

#define DEBUG_EXIT_PORT	0xf4

static unsigned int failed;

/* One line per check; the verdict, never a value that varies. */
static void check(const char *what, bool ok)
{
	pr_info("pvtest: %s: %s\n", what, ok ? "ok" : "FAIL");
	if (!ok)
		failed++;
}

/* irq.save_fl, irq.irq_disable, irq.irq_enable, and restore_fl (popf). */
static void test_irq(void)
{
	unsigned long flags, inner;

	check("irqs enabled in module init", !irqs_disabled());
	check("save_flags has IF", arch_local_save_flags() & X86_EFLAGS_IF);

	local_irq_save(flags);
	check("local_irq_save saved IF", flags & X86_EFLAGS_IF);
	check("local_irq_save disabled irqs", irqs_disabled());
	check("save_flags without IF", !(arch_local_save_flags() & X86_EFLAGS_IF));

	local_irq_save(inner);
	check("nested local_irq_save saved no IF", !(inner & X86_EFLAGS_IF));
	local_irq_restore(inner);
	check("nested local_irq_restore kept irqs disabled", irqs_disabled());

	local_irq_restore(flags);
	check("local_irq_restore enabled irqs", !irqs_disabled());

	local_irq_disable();
	check("local_irq_disable", irqs_disabled());
	local_irq_enable();
	check("local_irq_enable", !irqs_disabled());
}

/* The lock ops: queued_spin_unlock is a callee-save pv op. */
static DEFINE_SPINLOCK(pvtest_lock);

static void test_spinlock(void)
{
	unsigned long flags;

	spin_lock(&pvtest_lock);
	check("spin_lock holds the lock", spin_is_locked(&pvtest_lock));
	spin_unlock(&pvtest_lock);
	check("spin_unlock released the lock", !spin_is_locked(&pvtest_lock));

	spin_lock_irqsave(&pvtest_lock, flags);
	check("spin_lock_irqsave disabled irqs", irqs_disabled());
	spin_unlock_irqrestore(&pvtest_lock, flags);
	check("spin_unlock_irqrestore enabled irqs", !irqs_disabled());
}

/* cpu.read_cr0 and cpu.write_cr0: the value written back reads back. */
static void test_cr0(void)
{
	unsigned long cr0 = read_cr0();

	check("cr0 has PE, WP and PG",
	      (cr0 & (X86_CR0_PE | X86_CR0_WP | X86_CR0_PG)) ==
	      (X86_CR0_PE | X86_CR0_WP | X86_CR0_PG));
	write_cr0(cr0);
	check("cr0 written back reads the same", read_cr0() == cr0);
}

/* The page-table walk lookup_address() does, from any top-level table. */
static pte_t *walk_kernel(pgd_t *pgd, unsigned long addr, unsigned int *level)
{
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	pgd += pgd_index(addr);
	if (pgd_none(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud))
		return NULL;
	*level = PG_LEVEL_1G;
	if (pud_large(*pud))
		return (pte_t *)pud;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd))
		return NULL;
	*level = PG_LEVEL_2M;
	if (pmd_large(*pmd))
		return (pte_t *)pmd;
	*level = PG_LEVEL_4K;
	return pte_offset_kernel(pmd, addr);
}

/*
 * mmu.read_cr3 and the pXd_val ops: CR3 is the page table of the running
 * mm, and a kernel address (this module's data) resolves through it to the
 * pte that init_mm's table has for it (lookup_address() walks init_mm;
 * init_mm itself is not exported).
 */
static void test_cr3(void)
{
	unsigned long cr3 = __read_cr3();
	unsigned long addr = (unsigned long)&failed;
	unsigned int live_level = 0, ref_level = 0;
	pte_t *live = walk_kernel(__va(cr3 & CR3_ADDR_MASK), addr, &live_level);
	pte_t *ref = lookup_address(addr, &ref_level);

	check("cr3 is the pgd of the running mm",
	      (cr3 & CR3_ADDR_MASK) == __pa(current->active_mm->pgd));
	check("cr3 maps kernel data with init_mm's pte",
	      live && live == ref && live_level == ref_level &&
	      pte_val(*live) == pte_val(*ref));
}

/* mmu.make_pte and mmu.pte_val round trip a kernel pte. */
static void test_pte(void)
{
	pteval_t v = (0x1234ULL << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW;

	check("pte_val(__pte(v)) == v", pte_val(__pte(v)) == v);
}

/*
 * cpu.read_msr and cpu.read_msr_safe, on the BSP's APIC base.  No failing
 * read: QEMU's TCG returns 0 for an MSR it does not know, without #GP.
 */
static void test_msr(void)
{
	u64 base, again;
	int err;

	rdmsrl(MSR_IA32_APICBASE, base);
	check("APIC base MSR: BSP and enabled",
	      (base & (MSR_IA32_APICBASE_BSP | MSR_IA32_APICBASE_ENABLE)) ==
	      (MSR_IA32_APICBASE_BSP | MSR_IA32_APICBASE_ENABLE));
	err = rdmsrl_safe(MSR_IA32_APICBASE, &again);
	check("rdmsrl_safe reads the same", err == 0 && again == base);
}

/* cpu.cpuid agrees with what the boot CPU recorded. */
static void test_cpuid(void)
{
	unsigned int eax, ebx, ecx, edx;
	char vendor[13];

	cpuid(0, &eax, &ebx, &ecx, &edx);
	memcpy(vendor, &ebx, 4);
	memcpy(vendor + 4, &edx, 4);
	memcpy(vendor + 8, &ecx, 4);
	vendor[12] = '\0';
	check("cpuid 0: vendor of the boot CPU",
	      !strcmp(vendor, boot_cpu_data.x86_vendor_id));
	check("cpuid 0: max leaf of the boot CPU",
	      (int)eax == boot_cpu_data.cpuid_level);
}

/* cpu.store_tr, cpu.get_debugreg, cpu.io_delay, mmu.lazy_mode (a nop). */
static void test_misc(void)
{
	unsigned long tr, dr7;

	store_tr(tr);
	check("str is the TSS selector", tr == GDT_ENTRY_TSS * 8);
	get_debugreg(dr7, 7);
	check("dr7 enables no breakpoint", (dr7 & 0xff) == 0);
	slow_down_io();
	check("io_delay returns", true);
	preempt_disable();
	arch_enter_lazy_mmu_mode();
	arch_leave_lazy_mmu_mode();
	preempt_enable();
	check("lazy mmu mode enter and leave", true);
}

#ifdef CONFIG_UNWINDER_ORC
#include <linux/kdebug.h>
#include <linux/notifier.h>
#include <asm/unwind.h>

static unsigned long unwind_expect;	/* return address into the caller */
static bool unwind_active;
static unsigned int unwind_steps, unwind_bad;
static unsigned long unwind_sink;

/* Does the unwind from REGS reach the stepped function's caller, cleanly? */
static bool unwind_reaches_caller(struct pt_regs *regs)
{
	struct unwind_state state;

	for (unwind_start(&state, current, regs, NULL); !unwind_done(&state);
	     unwind_next_frame(&state)) {
		if (unwind_get_return_address(&state) == unwind_expect)
			return !unwind_error(&state);
	}
	return false;
}

/*
 * Each single-step #DB of our own: exc_debug_kernel() calls the die chain
 * (notify_debug) before it would warn about a stray DR_STEP.  args->err
 * points at its copy of DR6; clearing DR_STEP there consumes the step.
 * This runs in the #DB handler (NMI-like context): no locks, no printk.
 */
static int unwind_die(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;
	unsigned long *dr6 = (unsigned long *)args->err;

	if (val != DIE_DEBUG || !READ_ONCE(unwind_active) ||
	    user_mode(args->regs) || !(*dr6 & DR_STEP))
		return NOTIFY_DONE;
	*dr6 &= ~DR_STEP;
	unwind_steps++;
	if (!unwind_reaches_caller(args->regs))
		unwind_bad++;
	return NOTIFY_STOP;
}

static struct notifier_block unwind_nb = { .notifier_call = unwind_die };

static __always_inline void trap_flag_set(void)
{
	asm volatile("pushf; orl $0x100, (%%rsp); popf" ::: "memory", "cc");
}

static __always_inline void trap_flag_clear(void)
{
	asm volatile("pushf; andl $~0x100, (%%rsp); popf" ::: "memory", "cc");
}

/* Stepped one instruction at a time, into the pv ops it calls. */
static noinline void unwind_stepped(void)
{
	unsigned long flags;

	WRITE_ONCE(unwind_expect, (unsigned long)__builtin_return_address(0));
	trap_flag_set();
	unwind_sink = arch_local_save_flags();
	local_irq_save(flags);
	unwind_sink ^= read_cr0();
	local_irq_restore(flags);
	trap_flag_clear();
}

static void test_unwind(void)
{
	if (register_die_notifier(&unwind_nb)) {
		check("register_die_notifier", false);
		return;
	}
	preempt_disable();
	WRITE_ONCE(unwind_active, true);
	unwind_stepped();
	/* not a tail call: the caller's return address must be ours */
	WRITE_ONCE(unwind_active, false);
	preempt_enable();
	unregister_die_notifier(&unwind_nb);

	pr_info("pvtest: unwind steps=%u bad=%u\n", unwind_steps, unwind_bad);
	if (unwind_steps == 0 || unwind_bad > 0)
		failed++;
}
#else
static void test_unwind(void)
{
}
#endif

static int __init pvtest_init(void)
{
	test_irq();
	test_spinlock();
	test_cr0();
	test_cr3();
	test_pte();
	test_msr();
	test_cpuid();
	test_misc();
	test_unwind();

	if (failed)
		pr_info("pvtest: result FAIL %u\n", failed);
	else
		pr_info("pvtest: result ok\n");
	if (exit_qemu)
		outb(failed ? 1 : 0, DEBUG_EXIT_PORT);
	return 0;
}

static void __exit pvtest_exit(void)
{
}

module_init(pvtest_init);
module_exit(pvtest_exit);
MODULE_DESCRIPTION("pv_ops calls through the kernel's interfaces, checked");
MODULE_LICENSE("GPL");
