// SPDX-License-Identifier: MIT
/*
 * serial.c - the PL011 UART of QEMU's -M virt (layout.h's UART_BASE),
 * polled, 8N1.
 *
 * QEMU's -serial stdio connects it to its stdout.  QEMU's model ignores
 * the baud rate; the divisor is the one a 24 MHz reference clock needs
 * for 115200, as on the hardware the model follows.
 */
#include "console.h"
#include "layout.h"

#include <stdint.h>

#define DR   0x00    /* data */
#define FR   0x18    /* flags */
#define IBRD 0x24    /* integer baud divisor */
#define FBRD 0x28    /* fractional baud divisor */
#define LCRH 0x2c    /* line control */
#define CR   0x30    /* control */
#define IMSC 0x38    /* interrupt mask */

#define FR_TXFF    (1u << 5)                            /* transmit FIFO full */
#define LCRH_8N1   (3u << 5)                            /* 8 bits, no parity, 1 stop */
#define LCRH_FEN   (1u << 4)                            /* FIFOs on */
#define CR_ENABLE  ((1u << 0) | (1u << 8) | (1u << 9))  /* UART, TX, RX */

static void pl011_write(unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(UART_BASE + reg) = v;
}

static uint32_t pl011_read(unsigned int reg)
{
	return *(volatile uint32_t *)(uintptr_t)(UART_BASE + reg);
}

void serial_init(void)
{
	pl011_write(CR, 0);                     /* off while it is programmed */
	pl011_write(IMSC, 0);                   /* no interrupts */
	pl011_write(IBRD, 13);                  /* 24 MHz / (16 * 115200) = 13.02 */
	pl011_write(FBRD, 1);
	pl011_write(LCRH, LCRH_8N1 | LCRH_FEN);
	pl011_write(CR, CR_ENABLE);
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	while (pl011_read(FR) & FR_TXFF)
		;
	pl011_write(DR, (uint8_t)c);
}
