// SPDX-License-Identifier: MIT
/*
 * printf.c - the few conversions the kernel prints with.
 *
 * Unknown conversions print literally, so a typo shows up in the output
 * instead of consuming an argument.
 */
#include <stdarg.h>
#include <stdint.h>

#include "console.h"

static void put_str(const char *s)
{
	while (*s)
		serial_putc(*s++);
}

static void put_num(uint64_t v, unsigned int base, int neg, int alt)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		serial_putc('-');
	if (alt)
		put_str("0x");
	while (i)
		serial_putc(buf[--i]);
}

/* One conversion starting after '%'; returns the format past it. */
static const char *convert(const char *f, va_list *ap)
{
	int alt = 0, lng = 0;
	int64_t s;

	if (*f == '#')
		alt = 1, f++;
	if (*f == 'l')
		lng = 1, f++;
	switch (*f) {
	case 's':
		put_str(va_arg(*ap, const char *));
		break;
	case 'c':
		serial_putc((char)va_arg(*ap, int));
		break;
	case 'd':
		s = lng ? va_arg(*ap, long) : va_arg(*ap, int);
		put_num(s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0, 0);
		break;
	case 'u':
		put_num(lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int), 10, 0, 0);
		break;
	case 'x':
		put_num(lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int), 16, 0, alt);
		break;
	case '%':
		serial_putc('%');
		break;
	default:
		serial_putc('%');
		return f;
	}
	return f + 1;
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	while (*fmt) {
		if (*fmt != '%')
			serial_putc(*fmt++);
		else
			fmt = convert(fmt + 1, &ap);
	}
	va_end(ap);
}
