/* SPDX-License-Identifier: MIT */
/*
 * kernel.h - the small modules main.c strings together.  Most are the
 * same C for both architectures; the boot protocol, console, exit, traps,
 * mm and poke are each architecture's own (x86 in this directory, AArch64
 * in arm64/).
 */
#ifndef KERNEL_H
#define KERNEL_H

/*
 * Boot-only code, as Linux marks it: pvlink's audit counts writes to ops
 * fields from these sections as init-time writes, anything else as a
 * runtime write (a finding).
 */
#define __init __attribute__((section(".init.text")))

#include <stddef.h>
#include <stdint.h>

struct pv_backend;

/* string.c: what gcc may call even in freestanding code, and strlen. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* cmdline.c: the value of `key=value` in a command line, or NULL. */
const char *cmdline_get(const char *cmdline, const char *key, size_t *len);

/* exit.c: leaves QEMU with a status a test checks; see the mapping there. */
void qemu_exit(int ok) __attribute__((noreturn));

/* traps.c: every CPU exception is reported and fails the boot. */
void traps_init(void);

/* mm.c: checks that flush_tlb makes a page-table change visible. */
const char *mm_tlb_selftest(void);

/*
 * poke.c: writes len bytes of the read-only text at addr for the applier
 * (pvops_poke_fn), or refuses with -1 outside [_stext, _etext).  Prints
 * how the text is protected before the first poke.
 */
int poke_text(void *addr, const void *src, uint32_t len, void *ctx);
void text_print_protection(void);

/* timing.c: cycles per call of a few ops; args6 is the six-argument op. */
struct timing {
	uint32_t save_fl, irq_pair, args6, io_delay;
};
void timing_measure(struct timing *t);
void timing_print(const struct timing *before, const struct timing *after);

/* selftest.c: every op behaves under the backend in use.  Returns 1 on pass. */
int selftest_run(const struct pv_backend *b);

#endif
