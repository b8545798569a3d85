// SPDX-License-Identifier: MIT
/*
 * traps.c - report any CPU exception on the console and fail the boot;
 * keep device interrupts out.
 *
 * A patching bug shows up as #UD, #GP or #PF at a rewritten site.
 * Without an IDT that would be a triple fault, and with -no-reboot QEMU
 * exits with status 0, which a test could mistake for something else;
 * here it prints where it happened and exits with the failure status.
 */
#include "console.h"
#include "cpu.h"
#include "kernel.h"

#define KERNEL_CS 0x08
#define GATE_INT  0x8e   /* present, DPL 0, interrupt gate (64- or 32-bit: the mode's) */

#if defined(__i386__)
struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t  zero;
	uint8_t  type;
	uint16_t off_hi;
};

/* vectors32.S; a trap in ring 0 pushes no ESP and SS */
struct trap_frame {
	uint32_t vector, error, rip, cs, rflags;
};

extern const uint32_t trap_stubs[32];
#else
struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t  ist;
	uint8_t  type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
};

struct trap_frame {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

extern const uint64_t trap_stubs[32];
#endif
static struct idt_gate idt[32];

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "?", "#TS", "#NP", "#SS", "#GP", "#PF", "?",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

void trap_report(const struct trap_frame *f) __attribute__((noreturn));

void trap_report(const struct trap_frame *f)
{
	const char *name = names[f->vector & 31];

	kprintf("trap: vector %lu %s error %#lx rip %#lx rflags %#lx cr2 %#lx\n",
		(unsigned long)f->vector, name ? name : "?", (unsigned long)f->error,
		(unsigned long)f->rip, (unsigned long)f->rflags, raw_read_cr2());
	qemu_exit(0);
}

/*
 * The firmware leaves the legacy PIC raising IRQs 0-7 on vectors 8-15,
 * exception vectors in long mode.  Mask every line: the native irq
 * self-test really sets IF.
 */
static void pic_mask_all(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

#if defined(__i386__)
void traps_init(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)idt };

	for (int i = 0; i < 32; i++) {
		uint32_t a = trap_stubs[i];

		idt[i] = (struct idt_gate){
			.off_lo = (uint16_t)a,
			.sel = KERNEL_CS,
			.type = GATE_INT,
			.off_hi = (uint16_t)(a >> 16),
		};
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
	pic_mask_all();
}
#else
void traps_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };

	for (int i = 0; i < 32; i++) {
		uint64_t a = trap_stubs[i];

		idt[i] = (struct idt_gate){
			.off_lo = (uint16_t)a,
			.sel = KERNEL_CS,
			.type = GATE_INT,
			.off_mid = (uint16_t)(a >> 16),
			.off_hi = (uint32_t)(a >> 32),
		};
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
	pic_mask_all();
}
#endif
