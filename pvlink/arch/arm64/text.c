// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * text.c - the instructions of an AArch64 reference as people read
 * them: Capstone's text, the relocated operand shown by name
 * (`ldr x8, [x8, :lo12:ops+0x10]; blr x8`).
 */
#include <stdio.h>
#include <string.h>

#include "a64.h"

static csh text_handle;
static bool text_open;

static csh handle(void)
{
	if (!text_open && cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &text_handle) == CS_ERR_OK)
		text_open = true;
	return text_open ? text_handle : 0;
}

static bool low_bits(uint32_t type)
{
	switch (type) {
	case R_AARCH64_ADD_ABS_LO12_NC: case R_AARCH64_LDST8_ABS_LO12_NC:
	case R_AARCH64_LDST16_ABS_LO12_NC: case R_AARCH64_LDST32_ABS_LO12_NC:
	case R_AARCH64_LDST64_ABS_LO12_NC: case R_AARCH64_LDST128_ABS_LO12_NC:
		return true;
	default:
		return false;
	}
}

/* op_str with the relocated field named: lo12 operands as :lo12:, the
   rest (adrp's page, the GOT's) by the symbol's name and addend. */
static void name_field(const struct ref *r, const char *op_str, char *out, size_t size)
{
	const char *how = r->reloc.type == R_AARCH64_ADR_GOT_PAGE ? ":got:" :
			  r->reloc.type == R_AARCH64_LD64_GOT_LO12_NC ? ":got_lo12:" :
			  r->reloc.type == R_AARCH64_LD64_GOTPAGE_LO15 ? ":gotpage_lo15:" :
			  low_bits(r->reloc.type) ? ":lo12:" : "";
	const char *bracket = strchr(op_str, '[');
	const char *hash = strrchr(op_str, '#');
	size_t keep;
	char name[96];

	snprintf(name, sizeof(name), "%s%s+0x%llx", how, r->ops->name,
		 (unsigned long long)r->field);
	if (bracket) {                 /* [xB] or [xB, #imm]: the base stays */
		const char *end = strpbrk(bracket, ",]");

		keep = (size_t)(end - op_str);
		snprintf(out, size, "%.*s, %s]", (int)keep, op_str, name);
	} else if (hash) {
		keep = (size_t)(hash - op_str);
		snprintf(out, size, "%.*s%s", (int)keep, op_str, name);
	} else {
		snprintf(out, size, "%s", op_str);
	}
}

/* One instruction's text; the field named when the relocation is on it. */
static size_t insn_text(csh h, const struct ref *r, const uint8_t *bytes, uint64_t off,
			char *buf, size_t size)
{
	cs_insn *insn;
	char ops[160];
	int n;

	if (cs_disasm(h, bytes + off, 4, off, 1, &insn) != 1)
		return (size_t)snprintf(buf, size, "(undecoded)");
	if (r->reloc.offset == off && r->ops)
		name_field(r, insn->op_str, ops, sizeof(ops));
	else
		snprintf(ops, sizeof(ops), "%s", insn->op_str);
	n = snprintf(buf, size, "%s%s%s", insn->mnemonic, *ops ? " " : "", ops);
	cs_free(insn, 1);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

void a64_format_ref(struct elf *e, const struct ref *r, char *buf, size_t size)
{
	const uint8_t *bytes = section_bytes(r->sec);
	csh h = handle();
	size_t n;

	(void)e;
	if (!r->len_a || !bytes || !h) {
		snprintf(buf, size, "(not decoded)");
		return;
	}
	n = insn_text(h, r, bytes, r->off, buf, size);
	if (r->len_b && n + 7 < size) {
		const char *sep = r->at_b > 4 ? "; ...; " : "; ";

		memcpy(buf + n, sep, strlen(sep) + 1);
		n += strlen(sep);
		insn_text(h, r, bytes, r->off + r->at_b, buf + n, size - n);
	}
}

void a64_format_done(void)
{
	if (text_open)
		cs_close(&text_handle);
	text_open = false;
}
