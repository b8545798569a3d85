/* SPDX-License-Identifier: MIT */
/*
 * console.h - output on COM1, and printf for it.
 *
 * The console never goes through pv_ops: it has to work before a backend
 * is chosen and while call sites are being rewritten.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

void serial_init(void);
void serial_putc(char c);

/* %s %c %d %u %x and %lu %lx %ld; %#lx prefixes 0x. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
