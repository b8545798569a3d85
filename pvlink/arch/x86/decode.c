// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * decode.c - x86 functions decoded with Capstone, in Intel operand order
 * with detail, and past what Capstone 4 does not know with libopcodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opcodes.h"
#include "warn.h"
#include "x86.h"

struct decoder *x86_decoder_open(const struct arch *arch, const char *path)
{
	struct x86 *x = pvcalloc(1, sizeof(*x));

	if (!x)
		return NULL;                   /* pvcalloc() said why */
	x->d.arch = arch;
	if (cs_open(CS_ARCH_X86, x86_machine(arch)->mode, &x->handle) != CS_ERR_OK)
		goto fail;
	cs_option(x->handle, CS_OPT_DETAIL, CS_OPT_ON);
	x->scratch = cs_malloc(x->handle);
	if (x->scratch)
		return &x->d;
	cs_close(&x->handle);
fail:
	ERROR(path, "cannot start the Capstone decoder");
	free(x);
	return NULL;
}

void x86_decoder_close(struct decoder *d)
{
	struct x86 *x = x86_of(d);

	x86_free_func(&x->fc);
	cs_free(x->scratch, 1);
	cs_close(&x->handle);
	free(x);
}

/* Room for one more instruction; -1 when out of memory. */
static int reserve(struct func_code *fc)
{
	size_t cap = fc->cap * 2 + 64;
	cs_insn *insn;
	cs_detail *detail;

	if (fc->n < fc->cap)
		return 0;
	insn = pvrealloc(fc->insn, cap * sizeof(*insn));
	if (insn)
		fc->insn = insn;
	detail = insn ? pvrealloc(fc->detail, cap * sizeof(*detail)) : NULL;
	if (!detail)
		return -1;
	fc->detail = detail;
	fc->cap = cap;
	return 0;
}

/* An instruction only libopcodes knows: its length and text, nothing else. */
static size_t add_opaque(struct x86 *x, const struct text_ctx *ctx, struct func_code *fc,
			 uint64_t addr)
{
	cs_insn *insn = &fc->insn[fc->n];
	int len;

	memset(insn, 0, sizeof(*insn));
	memset(&fc->detail[fc->n], 0, sizeof(fc->detail[0]));
	len = opcodes_decode(x->d.arch->form != 0, ctx->bytes + addr, fc->end - addr, addr,
			     insn->op_str, sizeof(insn->op_str));
	if (len <= 0 || len > (int)sizeof(insn->bytes))
		return 0;
	insn->id = X86_INS_INVALID;
	insn->address = addr;
	insn->size = (uint16_t)len;
	memcpy(insn->bytes, ctx->bytes + addr, (size_t)len);
	snprintf(insn->mnemonic, sizeof(insn->mnemonic), "(undecoded)");
	fc->n++;
	fc->opaque++;
	return (size_t)len;
}

int x86_decode(struct decoder *d, const struct text_ctx *ctx, uint64_t start, uint64_t end)
{
	struct x86 *x = x86_of(d);
	struct func_code *fc = &x->fc;
	const uint8_t *code = ctx->bytes + start;
	size_t size = end - start, len;
	uint64_t addr = start;

	x86_free_func(fc);
	fc->start = start;
	fc->end = end;
	while (size) {
		if (reserve(fc))
			return -1;             /* pvrealloc() said why */
		if (cs_disasm_iter(x->handle, &code, &size, &addr, x->scratch)) {
			fc->insn[fc->n] = *x->scratch;
			fc->detail[fc->n++] = *x->scratch->detail;
			continue;
		}
		if (!(len = add_opaque(x, ctx, fc, addr)))
			break;                 /* neither decoder knows these bytes */
		code += len;
		size -= len;
		addr += len;
	}
	fc->complete = size == 0;
	for (size_t i = 0; i < fc->n; i++)
		fc->insn[i].detail = &fc->detail[i];
	return 0;
}

void x86_free_func(struct func_code *fc)
{
	free(fc->insn);
	free(fc->detail);
	memset(fc, 0, sizeof(*fc));
}
