// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * decode.c - AArch64 functions decoded with Capstone, one 4-byte word at
 * a time.  Every instruction has the same size, so a word Capstone 4
 * does not know (pointer authentication, newer extensions) is kept as an
 * opaque instruction and decoding goes on at the next word.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warn.h"
#include "a64.h"

struct decoder *a64_decoder_open(const struct arch *arch, const char *path)
{
	struct a64 *a = pvcalloc(1, sizeof(*a));

	if (!a)
		return NULL;                   /* pvcalloc() said why */
	a->d.arch = arch;
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &a->handle) != CS_ERR_OK)
		goto fail;
	cs_option(a->handle, CS_OPT_DETAIL, CS_OPT_ON);
	a->scratch = cs_malloc(a->handle);
	if (a->scratch)
		return &a->d;
	cs_close(&a->handle);
fail:
	ERROR(path, "cannot start the Capstone decoder");
	free(a);
	return NULL;
}

static void free_func(struct a64_func *fc)
{
	free(fc->insn);
	free(fc->detail);
	memset(fc, 0, sizeof(*fc));
}

void a64_decoder_close(struct decoder *d)
{
	struct a64 *a = a64_of(d);

	free_func(&a->fc);
	cs_free(a->scratch, 1);
	cs_close(&a->handle);
	free(a);
}

bool a64_decode_word(struct a64 *a, const uint8_t *word, uint64_t addr, cs_insn *insn,
		     cs_detail *detail)
{
	const uint8_t *code = word;
	size_t size = 4;
	uint64_t at = addr;

	if (cs_disasm_iter(a->handle, &code, &size, &at, a->scratch)) {
		*insn = *a->scratch;
		*detail = *a->scratch->detail;
		insn->detail = detail;
		return true;
	}
	memset(insn, 0, sizeof(*insn));
	memset(detail, 0, sizeof(*detail));
	insn->id = ARM64_INS_INVALID;
	insn->address = addr;
	insn->size = 4;
	memcpy(insn->bytes, word, 4);
	snprintf(insn->mnemonic, sizeof(insn->mnemonic), "(undecoded)");
	snprintf(insn->op_str, sizeof(insn->op_str), ".inst 0x%02x%02x%02x%02x",
		 word[3], word[2], word[1], word[0]);
	insn->detail = detail;
	return false;
}

/* Room for n instructions; -1 when out of memory. */
static int reserve(struct a64_func *fc, size_t n)
{
	cs_insn *insn;
	cs_detail *detail;

	if (n <= fc->cap)
		return 0;
	insn = pvrealloc(fc->insn, n * sizeof(*insn));
	if (insn)
		fc->insn = insn;
	detail = insn ? pvrealloc(fc->detail, n * sizeof(*detail)) : NULL;
	if (!detail)
		return -1;
	fc->detail = detail;
	fc->cap = n;
	return 0;
}

/* Words start at multiples of 4 from the section's start; a trailing
   partial word is not an instruction and is left out. */
int a64_decode(struct decoder *d, const struct text_ctx *ctx, uint64_t start, uint64_t end)
{
	struct a64 *a = a64_of(d);
	struct a64_func *fc = &a->fc;
	uint64_t first = (start + 3) & ~(uint64_t)3;

	fc->start = start;
	fc->end = end;
	fc->n = 0;
	if (first >= end)
		return 0;
	if (reserve(fc, (end - first) / 4))
		return -1;                     /* pvrealloc() said why */
	for (uint64_t at = first; at + 4 <= end; at += 4, fc->n++)
		a64_decode_word(a, ctx->bytes + at, at, &fc->insn[fc->n], &fc->detail[fc->n]);
	return 0;
}

size_t a64_find_insn(const struct a64_func *fc, uint64_t addr)
{
	uint64_t first = (fc->start + 3) & ~(uint64_t)3;

	if (addr < first || addr % 4 || (addr - first) / 4 >= fc->n)
		return (size_t)-1;
	return (size_t)((addr - first) / 4);
}
