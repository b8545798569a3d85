// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * regs.c - what an AArch64 instruction does to the general registers and
 * to control, as far as the proofs need it.  Each answer errs towards
 * "may": a register counted as written, or code counted as a branch,
 * only costs a site; the opposite would patch a wrong call.
 */
#include <string.h>

#include "a64.h"

int a64_gpr(unsigned reg)
{
	if (reg >= ARM64_REG_X0 && reg <= ARM64_REG_X28)
		return (int)(reg - ARM64_REG_X0);
	if (reg >= ARM64_REG_W0 && reg <= ARM64_REG_W30)
		return (int)(reg - ARM64_REG_W0);
	if (reg == ARM64_REG_X29)
		return 29;
	if (reg == ARM64_REG_X30)
		return 30;
	return -1;
}

/*
 * Instructions whose first register operand is only read: stores,
 * compares, tests and branches through a register.  For any other
 * instruction a first register operand counts as written, whatever
 * access Capstone reports (it leaves some out for atomics and system
 * instructions).
 */
static bool first_operand_read(unsigned id)
{
	switch (id) {
	case ARM64_INS_STR: case ARM64_INS_STRB: case ARM64_INS_STRH:
	case ARM64_INS_STUR: case ARM64_INS_STURB: case ARM64_INS_STURH:
	case ARM64_INS_STP: case ARM64_INS_STNP: case ARM64_INS_STLR:
	case ARM64_INS_STLRB: case ARM64_INS_STLRH:
	case ARM64_INS_CMP: case ARM64_INS_CMN: case ARM64_INS_TST:
	case ARM64_INS_CCMP: case ARM64_INS_CCMN:
	case ARM64_INS_CBZ: case ARM64_INS_CBNZ: case ARM64_INS_TBZ: case ARM64_INS_TBNZ:
	case ARM64_INS_BR: case ARM64_INS_BLR: case ARM64_INS_RET:
	case ARM64_INS_PRFM: case ARM64_INS_PRFUM: case ARM64_INS_MSR:
		return true;
	default:
		return false;
	}
}

/*
 * Loads and atomics write registers beyond the first (ldp, ldxp, and the
 * LSE swp/ld<op>/cas forms, whose destination is the second operand);
 * every register operand of one counts as written.
 */
static bool writes_all_registers(const cs_insn *insn)
{
	return !strncmp(insn->mnemonic, "ld", 2) || !strncmp(insn->mnemonic, "sw", 2) ||
	       !strncmp(insn->mnemonic, "cas", 3);
}

bool a64_writes(csh handle, const cs_insn *insn, int n)
{
	const cs_arm64 *x = &insn->detail->arm64;
	bool all = writes_all_registers(insn);
	cs_regs rd, wr;
	uint8_t nrd, nwr;

	if (a64_opaque(insn))
		return true;
	if (cs_regs_access(handle, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK)
		return true;
	for (uint8_t i = 0; i < nwr; i++)
		if (a64_gpr(wr[i]) == n)
			return true;
	for (uint8_t i = 0; i < x->op_count; i++) {
		const cs_arm64_op *op = &x->operands[i];

		if (op->type == ARM64_OP_REG && a64_gpr(op->reg) == n &&
		    ((op->access & CS_AC_WRITE) || all || (i == 0 && !first_operand_read(insn->id))))
			return true;
		if (op->type == ARM64_OP_MEM && x->writeback && a64_gpr(op->mem.base) == n)
			return true;
	}
	return false;
}

bool a64_control_flow(const cs_insn *insn)
{
	if (a64_opaque(insn))
		return true;
	for (uint8_t g = 0; g < insn->detail->groups_count; g++)
		switch (insn->detail->groups[g]) {
		case CS_GRP_JUMP: case CS_GRP_CALL: case CS_GRP_RET: case CS_GRP_INT:
		case CS_GRP_IRET: case CS_GRP_BRANCH_RELATIVE:
			return true;
		}
	switch (insn->id) {
	case ARM64_INS_B: case ARM64_INS_BL: case ARM64_INS_BLR: case ARM64_INS_BR:
	case ARM64_INS_RET: case ARM64_INS_ERET: case ARM64_INS_CBZ: case ARM64_INS_CBNZ:
	case ARM64_INS_TBZ: case ARM64_INS_TBNZ: case ARM64_INS_SVC: case ARM64_INS_HVC:
	case ARM64_INS_SMC: case ARM64_INS_BRK: case ARM64_INS_HLT:
		return true;
	default:
		return false;
	}
}

bool a64_pc_target(const cs_insn *insn, uint64_t *target)
{
	const cs_arm64 *x = &insn->detail->arm64;

	switch (insn->id) {
	case ARM64_INS_B: case ARM64_INS_BL: case ARM64_INS_CBZ: case ARM64_INS_CBNZ:
	case ARM64_INS_TBZ: case ARM64_INS_TBNZ: case ARM64_INS_ADR:
		break;
	default:
		return false;
	}
	/* the target is the last operand, an address Capstone computed */
	if (!x->op_count || x->operands[x->op_count - 1].type != ARM64_OP_IMM)
		return false;
	*target = (uint64_t)x->operands[x->op_count - 1].imm;
	return true;
}
