// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * text.c - the instructions of a reference as people read them: AT&T
 * syntax, the table's operand by name (pv_ops+0x8(%rip)), a retpoline
 * thunk by name.  Made on demand from the section's bytes, only for the
 * reports that print it: formatting every reference up front cost about
 * as much as classifying it.
 */
#include <stdio.h>
#include <string.h>

#include "opcodes.h"
#include "x86.h"

/*
 * Where the operand that addresses the table starts in AT&T text, or NULL:
 * the displacement before (%rip), an absolute address, or with `based`
 * the displacement before a base register (i386 GOT-relative operands).
 */
static const char *table_operand(const char *op_str, bool based, size_t *len)
{
	const char *rip = strstr(op_str, "(%rip)"), *p = op_str;

	if (rip) {
		p = rip;
		while (p > op_str && p[-1] != ' ' && p[-1] != '*' && p[-1] != ',')
			p--;
		*len = (size_t)(rip - p);
		return p;
	}
	/* An absolute operand: the first number that is not an immediate. */
	for (; *p; p++) {
		if (*p == '(' && based && (p == op_str || strchr(" *,", p[-1]))) {
			*len = 0;                       /* (%ebx): displacement 0 */
			return p;
		}
		if (*p == '(') {                        /* base, index, scale */
			p += strcspn(p, ")");
			if (!*p)
				break;
			continue;
		}
		if (*p == '$' || *p == '%') {
			p += strcspn(p, ", ");
			if (!*p)
				break;
			continue;
		}
		if (((*p >= '0' && *p <= '9') || (based && *p == '-')) &&
		    (p == op_str || strchr(" *,", p[-1]))) {
			*len = strcspn(p, ",( ");
			return p[*len] == '(' && !based ? NULL : p;
		}
	}
	return NULL;
}

/* "$sym[+off]" for what a relocation points at; a section symbol (a
   static function) by the symbol that starts there, if there is one. */
static void reloc_name(struct elf *e, const struct reloc *r, char *buf, size_t size)
{
	const struct symbol *s = &e->syms[r->sym], *f = NULL;
	uint64_t off = (uint64_t)r->addend;
	const char *name = s->name;

	if (s->type == STT_SECTION && s->shndx && s->shndx < e->nsec) {
		off += sym_offset(e, s);
		f = find_symbol_containing(e, s->shndx, off, STT_FUNC);
		if (!f)
			f = find_symbol_containing(e, s->shndx, off, STT_OBJECT);
		name = f ? f->name : e->secs[s->shndx].name;
		if (f)
			off -= sym_offset(e, f);
	}
	if (off)
		snprintf(buf, size, "$%s%+lld", name, (long long)off);
	else
		snprintf(buf, size, "$%s", name);
}

/*
 * "$0x0" -> "$native_save_fl" when a relocation fills the immediate:
 * rewrites op_str (at most size bytes) in place.  The table itself, used
 * as a value, is named as the table.
 */
static void name_immediate(struct elf *e, const struct ref *ref, char *op_str, size_t size)
{
	const struct reloc *r = &ref->imm;
	char *imm = strchr(op_str, '$'), name[160], rest[160];
	size_t len;

	if (!ref->imm_reloc || !imm)
		return;
	len = 1 + strcspn(imm + 1, ", ");
	if (r->offset == ref->reloc.offset && ref->ops)
		snprintf(name, sizeof(name), "$%s+0x%llx", ref->ops->name,
			 (unsigned long long)ref->target);
	else
		reloc_name(e, r, name, sizeof(name));
	snprintf(rest, sizeof(rest), "%s", imm + len);
	snprintf(imm, size - (size_t)(imm - op_str), "%s%s", name, rest);
}

/* mnemonic and operands, the table's operand shown by name */
static int name_operands(const struct arch *arch, const struct ref *ref, const char *mnemonic,
			 const char *op_str, const char *branch_target, char *buf, size_t size)
{
	enum reloc_class rc = arch->reloc_class(ref->reloc.type);
	const char *opnd;
	size_t len;

	opnd = branch_target ? NULL :
	       table_operand(op_str, rc == RC_GOT || rc == RC_GOTOFF, &len);
	if (branch_target)
		return snprintf(buf, size, "%s %s", mnemonic, branch_target);
	if (opnd && ref->ops && reloc_via_got(arch, ref->reloc.type))
		return snprintf(buf, size, "%s %.*s%s%s%s", mnemonic, (int)(opnd - op_str), op_str,
				ref->ops->name, x86_machine(arch)->got_suffix, opnd + len);
	if (opnd && ref->ops && rc == RC_GOTOFF)
		return snprintf(buf, size, "%s %.*s%s@GOTOFF+0x%llx%s", mnemonic,
				(int)(opnd - op_str), op_str, ref->ops->name,
				(unsigned long long)ref->field, opnd + len);
	if (opnd && ref->ops)
		return snprintf(buf, size, "%s %.*s%s+0x%llx%s", mnemonic, (int)(opnd - op_str),
				op_str, ref->ops->name, (unsigned long long)ref->field, opnd + len);
	return snprintf(buf, size, "%s %s", mnemonic, op_str);
}

/*
 * One instruction in AT&T syntax, from Capstone, or from libopcodes for
 * an instruction Capstone 4 does not know.
 */
static size_t att_text(csh att, struct elf *e, const struct ref *ref,
		       const uint8_t *bytes, size_t bytes_len, uint64_t addr,
		       const char *branch_target, char *buf, size_t size)
{
	cs_insn *a;
	int n;

	if (cs_disasm(att, bytes, bytes_len, addr, 1, &a) != 1) {
		char text[160], *ops;

		if (opcodes_decode(e->arch->form != 0, bytes, bytes_len, addr, text,
				   sizeof(text)) <= 0) {
			n = snprintf(buf, size, "(not decoded)");
		} else {
			ops = text + strcspn(text, " ");
			if (*ops)
				*ops++ = '\0';
			n = name_operands(e->arch, ref, text, ops, branch_target, buf, size);
		}
	} else {
		if (!branch_target && addr == ref->off)
			name_immediate(e, ref, a->op_str, sizeof(a->op_str));
		n = name_operands(e->arch, ref, a->mnemonic, a->op_str, branch_target, buf, size);
		cs_free(a, 1);
	}
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* Capstone handles in AT&T syntax, one per decoder mode, opened on first use. */
static struct { cs_mode mode; csh handle; bool open; } att_handles[2];

static csh att_handle(cs_mode mode)
{
	for (size_t i = 0; i < 2; i++) {
		if (att_handles[i].open && att_handles[i].mode == mode)
			return att_handles[i].handle;
		if (!att_handles[i].open && cs_open(CS_ARCH_X86, mode, &att_handles[i].handle) == CS_ERR_OK) {
			cs_option(att_handles[i].handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
			att_handles[i].mode = mode;
			att_handles[i].open = true;
			return att_handles[i].handle;
		}
	}
	return 0;
}

void x86_format_ref(struct elf *e, const struct ref *r, char *buf, size_t size)
{
	const uint8_t *bytes = section_bytes(r->sec);
	csh att = att_handle(x86_machine(e->arch)->mode);
	size_t n;

	if (!r->len_a || !bytes || !att) {
		snprintf(buf, size, "(not decoded)");
		return;
	}
	n = att_text(att, e, r, bytes + r->off, r->len_a, r->off, NULL, buf, size);
	if (r->len_b && n + 7 < size) {
		const char *thunk = r->show_thunk ? e->syms[r->thunk.sym].name : NULL;
		const char *sep = r->at_b > r->len_a ? "; ...; " : "; ";

		memcpy(buf + n, sep, strlen(sep) + 1);
		n += strlen(sep);
		att_text(att, e, r, bytes + r->off + r->at_b, r->len_b, r->off + r->at_b,
			 thunk, buf + n, size - n);
	}
}

void x86_format_done(void)
{
	for (size_t i = 0; i < 2; i++)
		if (att_handles[i].open)
			cs_close(&att_handles[i].handle);
	memset(att_handles, 0, sizeof(att_handles));
}
