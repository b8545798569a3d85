// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * eh.c - exception landing pads: ways into code that no relocation names.
 *
 * When a call throws, the unwinder restores the callee-saved registers
 * and resumes at a landing pad of the calling function.  The pad's
 * address is a ULEB128 offset from the function's start in the LSDA
 * (.gcc_except_table), which the function's FDE in .eh_frame points to.
 *
 * libdw walks .eh_frame (dwarf_next_cfi); the pointers in it are read
 * through their relocations in an object, or from their encoded values
 * in a linked image.  Anything pvlink cannot read in an FDE that has an
 * LSDA makes that function's whole extent "unbounded": the proofs then
 * refuse every site in it that depends on knowing the ways in.
 *
 * LSDA layout (the Itanium C++ ABI's, as gcc and clang emit it):
 *   u8 lpstart_enc [lpstart]  u8 ttype_enc [uleb ttype_off]
 *   u8 cs_enc  uleb cs_len  { start, len, pad (cs_enc)  uleb action }*
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "entries.h"

struct cursor {
	const uint8_t *p, *end;
	bool           bad;
};

static uint64_t uleb(struct cursor *c)
{
	uint64_t v = 0;

	for (unsigned shift = 0; c->p < c->end; shift += 7) {
		uint8_t b = *c->p++;

		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

/* Size of a DW_EH_PE value of this encoding, 0 for LEB128, -1 unknown. */
static int enc_size(uint8_t enc, unsigned addr_size)
{
	switch (enc & 0x0f) {
	case DW_EH_PE_absptr:  return (int)addr_size;
	case DW_EH_PE_uleb128: case DW_EH_PE_sleb128: return 0;
	case DW_EH_PE_udata2:  case DW_EH_PE_sdata2:  return 2;
	case DW_EH_PE_udata4:  case DW_EH_PE_sdata4:  return 4;
	case DW_EH_PE_udata8:  case DW_EH_PE_sdata8:  return 8;
	}
	return -1;
}

/* A call-site table value: an offset, in the encoding's size (no pointers). */
static uint64_t read_value(struct cursor *c, uint8_t enc, unsigned addr_size)
{
	int n = enc_size(enc, addr_size);
	uint64_t v = 0;

	if (n == 0)
		return uleb(c);
	if (n < 0 || c->end - c->p < n) {
		c->bad = true;
		return 0;
	}
	for (int i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	return v;
}

/* Where an encoded pointer at `field` of section sec points: section and offset. */
struct place {
	size_t   shndx;
	uint64_t off;
};

static bool pointer_at(struct elf *e, struct section *sec, const uint8_t *field, uint8_t enc,
		       struct place *out)
{
	uint64_t off = (uint64_t)(field - (const uint8_t *)sec->data->d_buf), addr;
	int size = enc_size(enc, e->arch->slot_size);
	const struct reloc *rel;
	int64_t v = 0;

	if (size != 4 && size != 8)
		return false;
	if (!e->linked) {
		if (!(rel = find_reloc_by_offset(sec, off)) || !e->syms[rel->sym].shndx ||
		    e->syms[rel->sym].shndx >= e->nsec)
			return false;
		out->shndx = e->syms[rel->sym].shndx;   /* S + A, pc-relative or not */
		out->off = sym_offset(e, &e->syms[rel->sym]) + (uint64_t)rel->addend;
		return true;
	}
	memcpy(&v, field, (size_t)size);
	if (size == 4)
		v = (enc & 0x08) ? (int32_t)v : (int64_t)(uint32_t)v;
	addr = (uint64_t)v + ((enc & 0x70) == DW_EH_PE_pcrel ? sec->sh.sh_addr + off : 0);
	struct section *to = find_section_by_addr(e, addr, 1);
	if (!to)
		return false;
	out->shndx = to->idx;
	out->off = addr - to->sh.sh_addr;
	return true;
}

/* The LSDA at `lsda` for the function at `func`: its pads and throwing ranges. */
static bool read_lsda(struct elf *e, struct entries *en, struct place lsda, struct place func)
{
	struct section *sec = &e->secs[lsda.shndx];
	struct cursor c;
	uint8_t lp_enc, tt_enc, cs_enc;
	uint64_t cs_len;
	const uint8_t *table_end;

	if (!sec->data || lsda.off >= sec->data->d_size)
		return false;
	c = (struct cursor){ (const uint8_t *)sec->data->d_buf + lsda.off,
			     (const uint8_t *)sec->data->d_buf + sec->data->d_size, false };
	if (c.end - c.p < 3 || (lp_enc = *c.p++) != DW_EH_PE_omit)
		return false;                 /* an explicit LPStart: never emitted */
	if ((tt_enc = *c.p++) != DW_EH_PE_omit)
		uleb(&c);
	cs_enc = c.p < c.end ? *c.p++ : DW_EH_PE_omit;
	cs_len = uleb(&c);
	if (c.bad || cs_len > (uint64_t)(c.end - c.p))
		return false;
	table_end = c.p + cs_len;
	c.end = table_end;
	while (c.p < table_end && !c.bad) {
		uint64_t start = read_value(&c, cs_enc, e->arch->slot_size);
		uint64_t len = read_value(&c, cs_enc, e->arch->slot_size);
		uint64_t pad = read_value(&c, cs_enc, e->arch->slot_size);

		uleb(&c);
		if (c.bad || !pad)
			continue;
		if (add_landing(en, func.shndx, func.off + pad) ||
		    add_range(&en->throws, func.shndx, func.off + start, func.off + start + len))
			return false;
	}
	return !c.bad;
}

/* From a CIE's augmentation: the FDE pointer encoding and the LSDA one. */
static bool cie_encodings(const Dwarf_CIE *cie, unsigned addr_size, uint8_t *fde_enc,
			  uint8_t *lsda_enc)
{
	struct cursor c = { cie->augmentation_data,
			    cie->augmentation_data + cie->augmentation_data_size, false };

	*fde_enc = DW_EH_PE_absptr;
	*lsda_enc = DW_EH_PE_omit;
	if (cie->augmentation[0] != 'z')
		return cie->augmentation[0] == '\0';
	for (const char *a = cie->augmentation + 1; *a; a++) {
		int n;

		if (c.p >= c.end)
			return false;
		switch (*a) {
		case 'L': *lsda_enc = *c.p++; break;
		case 'R': *fde_enc = *c.p++; break;
		case 'P':
			n = enc_size(*c.p++, addr_size);
			if (n < 0 || (n == 0 && (uleb(&c), c.bad)) || c.end - c.p < n)
				return false;
			c.p += n;
			break;
		case 'S': case 'B': break;
		default: return false;
		}
	}
	return true;
}

static uint64_t raw_value(const uint8_t *p, int size)
{
	uint64_t v = 0;

	memcpy(&v, p, (size_t)size);
	return size == 4 ? (uint32_t)v : v;
}

/* An FDE whose CIE has an LSDA encoding may still have none: a null pointer. */
static bool lsda_present(struct elf *e, struct section *sec, const uint8_t *field, int size)
{
	if (e->linked)
		return raw_value(field, size) != 0;
	return find_reloc_by_offset(sec, (uint64_t)(field - (const uint8_t *)sec->data->d_buf)) ||
	       raw_value(field, size) != 0;
}

/* Nothing said which function an unreadable LSDA belongs to: all code. */
static int all_code_unbounded(struct elf *e, struct entries *en)
{
	for (size_t i = 1; i < e->nsec; i++)
		if (section_is_text(&e->secs[i]) &&
		    add_range(&en->unbounded, i, 0, e->secs[i].sh.sh_size))
			return -1;
	return 0;
}

/*
 * One FDE: the function it covers and, if its CIE says so, its LSDA.
 * Returns 0 when done (read or unbounded), -1 when out of memory.
 */
static int read_fde(struct elf *e, struct entries *en, struct section *sec,
		    const Dwarf_FDE *fde, const Dwarf_CIE *cie)
{
	uint8_t fde_enc, lsda_enc;
	int size;
	struct cursor c = { fde->start, fde->end, false };
	struct place func, lsda;
	uint64_t range;

	if (!cie_encodings(cie, e->arch->slot_size, &fde_enc, &lsda_enc))
		return all_code_unbounded(e, en);
	if (lsda_enc == DW_EH_PE_omit)
		return 0;                      /* no LSDA: no landing pads */
	size = enc_size(fde_enc, e->arch->slot_size);
	if ((size != 4 && size != 8) || c.end - c.p < 2 * size ||
	    !pointer_at(e, sec, c.p, fde_enc, &func))
		return all_code_unbounded(e, en);
	range = raw_value(c.p + size, size);
	c.p += 2 * size;
	uleb(&c);                              /* augmentation data length */
	size = enc_size(lsda_enc, e->arch->slot_size);
	if (c.bad || size <= 0 || c.end - c.p < size)
		return add_range(&en->unbounded, func.shndx, func.off, func.off + range);
	if (!lsda_present(e, sec, c.p, size))
		return 0;
	if (!pointer_at(e, sec, c.p, lsda_enc, &lsda) || !read_lsda(e, en, lsda, func))
		return add_range(&en->unbounded, func.shndx, func.off, func.off + range);
	return 0;
}

int eh_collect(struct elf *e, struct entries *en)
{
	struct section *sec = find_section_by_name(e, ".eh_frame");
	Dwarf_Off off = 0, next;
	int ret = 0;

	/* (not gated on .gcc_except_table: a linker script may put LSDAs anywhere) */
	if (!sec || !sec->data)
		return 0;                      /* no unwind tables: no landing pads */
	if (section_relocs(e, sec))
		return -1;
	while (!ret) {
		Dwarf_CFI_Entry entry, cie;
		int rc = dwarf_next_cfi(e->eh.e_ident, sec->data, true, off, &next, &entry);

		if (rc > 0)
			break;
		if (rc < 0 || next <= off) {
			ret = all_code_unbounded(e, en);
			break;
		}
		off = next;
		if (dwarf_cfi_cie_p(&entry))
			continue;
		if (dwarf_next_cfi(e->eh.e_ident, sec->data, true, entry.fde.CIE_pointer, &next,
				   &cie) || !dwarf_cfi_cie_p(&cie))
			ret = all_code_unbounded(e, en);
		else
			ret = read_fde(e, en, sec, &entry.fde, &cie.cie);
	}
	return ret;
}
