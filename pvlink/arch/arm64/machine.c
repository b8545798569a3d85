// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * machine.c - AArch64 (ELF64, little-endian, RELA).
 *
 * Instructions are 4 bytes, and every relocation on one patches a field
 * of the instruction word itself, so a PC-relative relocation counts from
 * the instruction: S + A - P with P the instruction's address, no bias to
 * undo.  An ops call is an address in two halves: `adrp` gives the 4 KiB
 * page of S + A (ADR_PREL_PG_HI21), and the low 12 bits come with the
 * instruction that completes it: `ldr xN, [xB, #:lo12:S+A]`
 * (LDST64_ABS_LO12_NC) or `add xB, xB, #:lo12:S+A` (ADD_ABS_LO12_NC).
 */
#include "elf.h"
#include "pvops.h"
#include "a64.h"

static unsigned aarch64_reloc_width(uint32_t type)
{
	switch (type) {
	case R_AARCH64_NONE:
		return 0;
	case R_AARCH64_ABS64: case R_AARCH64_PREL64:
		return 8;
	case R_AARCH64_ABS16: case R_AARCH64_PREL16:
		return 2;
	default:
		return 4;              /* an instruction word, or a 32-bit datum */
	}
}

static enum reloc_class aarch64_reloc_class(uint32_t type)
{
	switch (type) {
	case R_AARCH64_ABS64: case R_AARCH64_ABS32: case R_AARCH64_ABS16:
	case R_AARCH64_ADD_ABS_LO12_NC: case R_AARCH64_LDST8_ABS_LO12_NC:
	case R_AARCH64_LDST16_ABS_LO12_NC: case R_AARCH64_LDST32_ABS_LO12_NC:
	case R_AARCH64_LDST64_ABS_LO12_NC: case R_AARCH64_LDST128_ABS_LO12_NC:
	case R_AARCH64_MOVW_UABS_G0: case R_AARCH64_MOVW_UABS_G0_NC:
	case R_AARCH64_MOVW_UABS_G1: case R_AARCH64_MOVW_UABS_G1_NC:
	case R_AARCH64_MOVW_UABS_G2: case R_AARCH64_MOVW_UABS_G2_NC:
	case R_AARCH64_MOVW_UABS_G3:
		return RC_ABS;
	case R_AARCH64_PREL64: case R_AARCH64_PREL32: case R_AARCH64_PREL16:
	case R_AARCH64_ADR_PREL_PG_HI21: case R_AARCH64_ADR_PREL_PG_HI21_NC:
	case R_AARCH64_ADR_PREL_LO21: case R_AARCH64_LD_PREL_LO19:
	case R_AARCH64_CALL26: case R_AARCH64_JUMP26:
	case R_AARCH64_CONDBR19: case R_AARCH64_TSTBR14:
		return RC_PC;
	case R_AARCH64_ADR_GOT_PAGE: case R_AARCH64_LD64_GOT_LO12_NC:
	case R_AARCH64_LD64_GOTPAGE_LO15:
		return RC_GOTPCREL;
	default:
		return RC_OTHER;
	}
}

/* No bias: the field is part of the instruction the PC names. */
static int64_t aarch64_reloc_target(const struct reloc *r, uint64_t insn_end)
{
	(void)insn_end;
	return r->addend;
}

const struct arch arch_aarch64 = {
	.name = "AArch64", .elf_class = ELFCLASS64, .machine = EM_AARCH64,
	.slot_size = 8, .form = PVOPS_A64, .rel = false, .pc32 = R_AARCH64_PREL32,
	.dyn_relative = R_AARCH64_RELATIVE, .operand_bias = 0,
	.reloc_width = aarch64_reloc_width, .reloc_class = aarch64_reloc_class,
	.reloc_target = aarch64_reloc_target,
	.decoder_open = a64_decoder_open, .decoder_close = a64_decoder_close,
	.decode = a64_decode, .classify = a64_classify,
	.format_ref = a64_format_ref, .format_done = a64_format_done,
};
