// SPDX-License-Identifier: MIT
/*
 * serial.c - COM1 (8250/16550 UART at 0x3f8), polled, 115200 8N1.
 *
 * QEMU's -nographic connects COM1 to its stdout.  Polled output with
 * interrupts off is all a kernel that never enables an IRQ needs.
 */
#include "console.h"
#include "cpu.h"

#define COM1 0x3f8
#define THR  0   /* transmit holding register */
#define IER  1   /* interrupt enable */
#define DLL  0   /* divisor latch, low (DLAB=1) */
#define DLM  1   /* divisor latch, high (DLAB=1) */
#define FCR  2   /* FIFO control */
#define LCR  3   /* line control */
#define MCR  4   /* modem control */
#define LSR  5   /* line status */
#define LSR_THRE 0x20

void serial_init(void)
{
	outb(COM1 + IER, 0x00);
	outb(COM1 + LCR, 0x80);         /* DLAB: program the divisor */
	outb(COM1 + DLL, 0x01);         /* 115200 / 1 */
	outb(COM1 + DLM, 0x00);
	outb(COM1 + LCR, 0x03);         /* 8N1 */
	outb(COM1 + FCR, 0xc7);         /* FIFO on, cleared */
	outb(COM1 + MCR, 0x03);         /* DTR, RTS */
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	while (!(inb(COM1 + LSR) & LSR_THRE))
		;
	outb(COM1 + THR, (uint8_t)c);
}
