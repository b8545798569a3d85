// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * opcodes.c - instruction lengths from binutils' libopcodes, for the
 * instructions Capstone 4 cannot decode.
 *
 * Capstone is the decoder pvlink reasons with: its operand and register
 * details feed every proof.  But Capstone 4.0.2 (Debian 12) stops at
 * newer instructions (rdpkru/wrpkru, serialize, the CET and AVX-512 mask
 * instructions, movdiri, ...), and one such instruction would hide every
 * call site after it.  libopcodes is the disassembler of gas itself: it
 * decodes every instruction gas can assemble, so it is the source of
 * truth for the length of an instruction Capstone refuses.  pvlink takes
 * only the length and the text from it; the instruction itself stays
 * opaque to the proofs (see safety.c: it reads every register).
 */
#define PACKAGE "pvlink"          /* bfd.h insists on a configured package */
#define PACKAGE_VERSION "0.1"
#include <dis-asm.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "opcodes.h"

struct text_buf {
	char  *s;
	size_t size, len;
};

static int append(void *stream, const char *fmt, va_list ap)
{
	struct text_buf *t = stream;
	int n;

	if (t->len >= t->size)
		return 0;
	n = vsnprintf(t->s + t->len, t->size - t->len, fmt, ap);
	if (n > 0)
		t->len = t->len + (size_t)n < t->size ? t->len + (size_t)n : t->size - 1;
	return n;
}

static int print_plain(void *stream, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = append(stream, fmt, ap);
	va_end(ap);
	return n;
}

static int print_styled(void *stream, enum disassembler_style style, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)style;
	va_start(ap, fmt);
	n = append(stream, fmt, ap);
	va_end(ap);
	return n;
}

/* "movdiri %rax,0x0(%rip)        # 0x9" -> "movdiri %rax,0x0(%rip)" */
static void tidy(char *text)
{
	char *comment = strstr(text, "#"), *out = text;
	bool space = false;

	if (comment)
		*comment = '\0';
	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			space = out != text;
			continue;
		}
		if (space)
			*out++ = ' ';
		space = false;
		*out++ = *p;
	}
	*out = '\0';
}

int opcodes_decode(bool i386, const uint8_t *bytes, size_t avail, uint64_t addr,
		   char *text, size_t text_size)
{
	struct disassemble_info info;
	struct text_buf t = { text, text_size, 0 };
	disassembler_ftype decode;
	int len;

	if (!text_size)
		return -1;
	text[0] = '\0';
	init_disassemble_info(&info, &t, print_plain, print_styled);
	info.arch = bfd_arch_i386;
	info.mach = i386 ? bfd_mach_i386_i386 : bfd_mach_x86_64;
	info.buffer = (bfd_byte *)bytes;
	info.buffer_vma = addr;
	info.buffer_length = avail;
	info.read_memory_func = buffer_read_memory;
	disassemble_init_for_target(&info);
	decode = disassembler(bfd_arch_i386, false, info.mach, NULL);
	if (!decode)
		return -1;
	len = decode(addr, &info);
	disassemble_free_target(&info);
	/* "(bad)": not an instruction either decoder knows */
	if (len <= 0 || (size_t)len > avail || strstr(text, "(bad)"))
		return -1;
	tidy(text);
	return len;
}
