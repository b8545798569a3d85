// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * machine.c - x86-64 and i386, side by side.
 *
 * One instruction set in two modes, so one decoder and one classifier
 * serve both; what differs is collected here.  The i386 differences that
 * matter most: objects use REL relocations (the addend is stored in the
 * relocated bytes, see elf_read_relocs()), `ff 15 abs32` is an absolute
 * operand rather than a RIP-relative one, pointers and slots are 4 bytes,
 * and the SysV i386 convention preserves %ebx, %esi, %edi and %ebp
 * across a call (x86-64: %rbx, %rbp, %r12-%r15) - -mregparm=3 only
 * moves arguments into %eax, %edx, %ecx, which are clobbered either way.
 */
#include "elf.h"
#include "pvops.h"
#include "x86.h"

static unsigned x86_64_reloc_width(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64: case R_X86_64_PC64: case R_X86_64_GOTOFF64:
	case R_X86_64_GOTPC64: case R_X86_64_GOT64: case R_X86_64_SIZE64:
		return 8;
	case R_X86_64_16: case R_X86_64_PC16:
		return 2;
	case R_X86_64_8: case R_X86_64_PC8:
		return 1;
	default:
		return 4;
	}
}

static enum reloc_class x86_64_reloc_class(uint32_t type)
{
	switch (type) {
	case R_X86_64_64: case R_X86_64_32: case R_X86_64_32S:
	case R_X86_64_16: case R_X86_64_8:
		return RC_ABS;
	case R_X86_64_PC32: case R_X86_64_PLT32: case R_X86_64_PC64:
		return RC_PC;
	case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX:
		return RC_GOTPCREL;
	default:
		return RC_OTHER;
	}
}

static unsigned i386_reloc_width(uint32_t type)
{
	switch (type) {
	case R_386_NONE: case R_386_TLS_DESC_CALL:
		return 0;
	case R_386_16: case R_386_PC16:
		return 2;
	case R_386_8: case R_386_PC8:
		return 1;
	default:
		return 4;
	}
}

static enum reloc_class i386_reloc_class(uint32_t type)
{
	switch (type) {
	case R_386_32: case R_386_16: case R_386_8:
		return RC_ABS;
	case R_386_PC32: case R_386_PLT32: case R_386_PC16: case R_386_PC8:
		return RC_PC;
	case R_386_GOT32: case R_386_GOT32X:
		return RC_GOT;
	case R_386_GOTOFF:
		return RC_GOTOFF;
	case R_386_GOTPC:
		return RC_GOTPC;
	default:
		return RC_OTHER;
	}
}

static const char *const x86_64_gprs[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const i386_gprs[8] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
};

/*
 * A PC-relative operand is relative to the end of its instruction, but
 * the assembler stores S + A - P with P the operand's own address, so A
 * carries the distance from the operand to the instruction's end (-4 for
 * `call *x(%rip)`, -5 for `cmpq $0,x(%rip)`).  Undone here, and nowhere
 * else.  An operand not decoded is taken to end its instruction, as a
 * branch's or a displacement without an immediate does.
 */
static int64_t x86_reloc_target(const struct arch *arch, const struct reloc *r,
				uint64_t insn_end)
{
	if (!reloc_pc_relative(arch, r->type))
		return r->addend;
	if (!insn_end)
		insn_end = r->offset + arch->reloc_width(r->type);
	/* wraps like the linker's arithmetic, for any addend a file may hold */
	return (int64_t)((uint64_t)r->addend + (insn_end - r->offset));
}

static int64_t x86_64_reloc_target(const struct reloc *r, uint64_t insn_end)
{
	return x86_reloc_target(&arch_x86_64, r, insn_end);
}

static int64_t i386_reloc_target(const struct reloc *r, uint64_t insn_end)
{
	return x86_reloc_target(&arch_i386, r, insn_end);
}

static const struct x86_machine x86_64_machine = {
	.mode = CS_MODE_64, .ptr_width = 0, .plt32 = R_X86_64_PLT32,
	.got_suffix = "@GOTPCREL", .gpr_names = x86_64_gprs, .ngpr = 16,
	.got_hint = "build with -fpie or -fno-pic, or give the table hidden visibility",
	.lea_hint = "gcc hoists the address out of loops in -fpie code; "
		    "-fno-pie or -mcmodel=kernel calls through the slot directly",
	.callee_saved = 1u << 3 | 1u << 5 | 1u << 12 | 1u << 13 | 1u << 14 | 1u << 15,
};

static const struct x86_machine i386_machine = {
	.mode = CS_MODE_32, .ptr_width = 1, .plt32 = R_386_PLT32,
	.got_suffix = "@GOT", .gpr_names = i386_gprs, .ngpr = 8,
	/* i386 PIC code reaches even a hidden table relative to the GOT */
	.got_hint = "build with -fno-pic",
	.lea_hint = "gcc hoists the address out of loops in -fpie code; "
		    "-fno-pie calls through the slot directly",
	.callee_saved = 1u << 3 | 1u << 5 | 1u << 6 | 1u << 7,
};

#define X86_CODE                                                       \
	.operand_bias = 16,                                            \
	.decoder_open = x86_decoder_open, .decoder_close = x86_decoder_close, \
	.decode = x86_decode, .classify = x86_classify,                \
	.format_ref = x86_format_ref, .format_done = x86_format_done

const struct arch arch_x86_64 = {
	.name = "x86-64", .elf_class = ELFCLASS64, .machine = EM_X86_64,
	.slot_size = 8, .form = 0, .rel = false, .pc32 = R_X86_64_PC32,
	.dyn_relative = R_X86_64_RELATIVE,
	.reloc_width = x86_64_reloc_width, .reloc_class = x86_64_reloc_class,
	.reloc_target = x86_64_reloc_target, X86_CODE, .priv = &x86_64_machine,
};

const struct arch arch_i386 = {
	.name = "i386", .elf_class = ELFCLASS32, .machine = EM_386,
	.slot_size = 4, .form = PVOPS_I386, .rel = true, .pc32 = R_386_PC32,
	.dyn_relative = R_386_RELATIVE,
	.reloc_width = i386_reloc_width, .reloc_class = i386_reloc_class,
	.reloc_target = i386_reloc_target, X86_CODE, .priv = &i386_machine,
};
