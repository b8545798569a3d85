/* SPDX-License-Identifier: MIT */
/*
 * x86/encode.h - the x86-64 and i386 encodings of the applier: the
 * indirect forms a site may hold, and what replaces them.
 *
 * Part of kernel-glue/apply.c, which includes it (one compilation unit:
 * a kernel compiles apply.c alone) after defining put32() and struct
 * region.  Its entry points are x86_original(), x86_build_patch() and
 * x86_build_direct(); everything else is theirs.
 */

#define CALL_REL32 0xe8
#define JMP_REL32  0xe9
#define CS_PREFIX  0x2e
#define RET        0xc3
#define INT3       0xcc

/* Intel's recommended NOPs, 1 to 8 bytes (SDM vol. 2B, "NOP"). */
static const uint8_t nops[9][8] = {
	{ 0 },
	{ 0x90 },
	{ 0x66, 0x90 },
	{ 0x0f, 0x1f, 0x00 },
	{ 0x0f, 0x1f, 0x40, 0x00 },
	{ 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

static void fill_nops(uint8_t *p, uint32_t n)
{
	while (n) {
		uint32_t k = n > 8 ? 8 : n;

		for (uint32_t i = 0; i < k; i++)
			p[i] = nops[k][i];
		p += k;
		n -= k;
	}
}

static void fill(uint8_t *p, uint8_t byte, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = byte;
}

static int fits32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

/*
 * The rel32 of a branch ending at `end` to `to`; 0 when out of range.
 * 32-bit code computes EIP modulo 2^32, so there every target is in range.
 */
static int rel32(const struct pvops_site *e, uint64_t end, uint64_t to, int32_t *rel)
{
	int64_t d = (int64_t)(to - end);

	if (e->form & PVOPS_I386)
		d = (int32_t)(uint32_t)d;
	if (!fits32(d))
		return 0;
	*rel = (int32_t)d;
	return 1;
}

/* An absolute disp32: sign-extended in 64-bit code, an address in 32-bit code. */
static int abs32(const struct pvops_site *e, uint64_t slot, int32_t *v)
{
	if (e->form & PVOPS_I386 ? slot > UINT32_MAX : !fits32((int64_t)slot))
		return 0;
	*v = (int32_t)(uint32_t)slot;
	return 1;
}

/*
 * i386: mov slot,%eax is `a1 abs32` (5 bytes; assemblers pick this moffs
 * form for %eax), any other register `8b /r abs32` (6 bytes).
 */
static uint32_t encode_load32(const struct pvops_site *e, uint64_t slot, uint8_t *out)
{
	int32_t v;

	if (!abs32(e, slot, &v))
		return 0;
	if (e->reg == 0) {
		out[0] = 0xa1;
		put32(out + 1, v);
		return 5;
	}
	out[0] = 0x8b;
	out[1] = (uint8_t)(e->reg << 3 | 5);           /* mod 00, rm 101: absolute */
	put32(out + 2, v);
	return 6;
}

/* The load: mov slot(%rip),%reg (7 bytes) or mov slot,%reg (8 bytes). */
static uint32_t encode_load(const struct pvops_site *e, uint64_t at, uint64_t slot,
			    uint8_t *out)
{
	uint8_t r = e->reg & 7;

	if (e->form & PVOPS_I386)
		return encode_load32(e, slot, out);
	out[0] = 0x48 | (e->reg >= 8 ? 0x04 : 0);      /* REX.W, REX.R */
	out[1] = 0x8b;
	if (e->form & PVOPS_ABS) {
		if (!fits32((int64_t)slot))
			return 0;
		out[2] = (uint8_t)(r << 3 | 4);        /* mod 00, SIB follows */
		out[3] = 0x25;                         /* no base, no index */
		put32(out + 4, (int32_t)slot);
		return 8;
	}
	if (!fits32((int64_t)(slot - (at + 7))))
		return 0;
	out[2] = (uint8_t)(r << 3 | 5);                /* mod 00, rm 101: RIP */
	put32(out + 3, (int32_t)(slot - (at + 7)));
	return 7;
}

/* The branch through the loaded register: [41] ff /2 (call) or /4 (jmp). */
static uint32_t encode_reg_branch(const struct pvops_site *e, uint8_t *out)
{
	uint32_t n = 0;

	if (e->reg >= 8)
		out[n++] = 0x41;                       /* REX.B */
	out[n++] = 0xff;
	out[n++] = (uint8_t)((e->form & PVOPS_JUMP ? 0xe0 : 0xd0) | (e->reg & 7));
	return n;
}

static uint32_t encode_mem(const struct pvops_site *e, uint64_t at, uint64_t slot,
			   uint64_t got, uint8_t *out)
{
	uint8_t modrm = e->form & PVOPS_JUMP ? 0x25 : 0x15;    /* /4 or /2, RIP */
	int32_t v;

	out[0] = 0xff;
	if (e->form & PVOPS_GOT) {
		/* mod 10, rm = the GOT register: disp32(%reg), slot - GOT */
		out[1] = (uint8_t)((modrm & 0x38) | 0x80 | e->reg);
		put32(out + 2, (int32_t)(uint32_t)(slot - got));
		return 6;
	}
	if (e->form & PVOPS_I386) {
		/* the same modrm, but in 32-bit code it means an absolute disp32 */
		if (!abs32(e, slot, &v))
			return 0;
		out[1] = modrm;
		put32(out + 2, v);
		return 6;
	}
	if (e->form & PVOPS_ABS) {
		if (!fits32((int64_t)slot))
			return 0;
		out[1] = modrm - 1;                    /* mod 00, SIB follows */
		out[2] = 0x25;
		put32(out + 3, (int32_t)slot);
		return 7;
	}
	if (!fits32((int64_t)(slot - (at + 6))))
		return 0;
	out[1] = modrm;
	put32(out + 2, (int32_t)(slot - (at + 6)));
	return 6;
}

/* pvops_original() for an x86-64 or i386 entry. */
static uint32_t x86_original(const struct pvops_site *e, uint64_t at, uint64_t slot,
			     uint64_t thunk, uint8_t *out)
{
	uint32_t n, kind = e->form & PVOPS_KIND;
	int32_t rel;

	if (e->form & ~(PVOPS_KIND | PVOPS_JUMP | PVOPS_ABS | PVOPS_I386 | PVOPS_SPLIT |
			PVOPS_GOT) || e->reg > 15)
		return 0;
	if ((e->form & PVOPS_SPLIT) && kind != PVOPS_THUNK)
		return 0;
	/* a GOT-relative slot: i386 calls through a base register, not %esp */
	if ((e->form & PVOPS_GOT) && (kind != PVOPS_MEM || !(e->form & PVOPS_I386) ||
				      (e->form & PVOPS_ABS) || e->reg == 4))
		return 0;
	/* i386 sites address the slot absolutely or from the GOT, and have
	   eight registers */
	if ((e->form & PVOPS_I386) && (!(e->form & (PVOPS_ABS | PVOPS_GOT)) || e->reg > 7))
		return 0;
	if (kind == PVOPS_MEM) {
		n = encode_mem(e, at, slot, thunk, out);
		return n && n == e->len && e->branch == 0 ? n : 0;
	}
	n = encode_load(e, at, slot, out);
	/* the branch follows the load at once, or later in a split site */
	if (!n || (e->form & PVOPS_SPLIT ? n > e->branch : n != e->branch))
		return 0;
	if (kind == PVOPS_REG) {
		n += encode_reg_branch(e, out + n);
	} else if (kind == PVOPS_THUNK) {
		if (!rel32(e, at + e->branch + 5, thunk, &rel))
			return 0;
		out[n] = e->form & PVOPS_JUMP ? JMP_REL32 : CALL_REL32;
		put32(out + n + 1, rel);
		n += 5;
	} else {
		return 0;
	}
	return n == e->len ? n : 0;
}

/*
 * Inline code or NOPs for a registered patch.  A call site gets the code
 * then NOPs; a tail-call site gets the code, a ret, and int3 padding that
 * is never reached.  Returns 0 when it does not fit.
 */
static int x86_build_patch(struct region r, const struct pvops_patch *p, uint8_t *out)
{
	uint32_t need = p->len + (r.jump ? 1 : 0);

	if (p->len > PVOPS_MAX_LEN || need > r.len)
		return 0;
	for (uint32_t i = 0; i < p->len; i++)
		out[i] = p->code[i];
	if (r.jump) {
		out[p->len] = RET;
		fill(out + need, INT3, r.len - need);
	} else {
		fill_nops(out + p->len, r.len - p->len);
	}
	return 1;
}

/*
 * A direct branch to target.  Calls end where the site ends, so the
 * return address is the one the indirect call pushed: NOPs come first,
 * and a 6-byte site takes a CS segment prefix (a near branch has no
 * memory operand, so it changes nothing, in 64- and 32-bit code alike)
 * instead of a separate NOP, so it stays one instruction.  Jumps go
 * first, followed by int3.  Returns 0 when out of rel32 range.
 */
static int x86_build_direct(const struct pvops_site *e, struct region r, uint64_t target,
			    uint8_t *out)
{
	int32_t rel;

	if (r.jump) {
		if (!rel32(e, r.at + 5, target, &rel))
			return 0;
		out[0] = JMP_REL32;
		put32(out + 1, rel);
		fill(out + 5, INT3, r.len - 5u);
		return 1;
	}
	if (!rel32(e, r.at + r.len, target, &rel))
		return 0;
	if (r.len == 6)
		out[0] = CS_PREFIX;
	else
		fill_nops(out, r.len - 5u);
	out[r.len - 5] = CALL_REL32;
	put32(out + r.len - 4, rel);
	return 1;
}
