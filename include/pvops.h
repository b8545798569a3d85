/* SPDX-License-Identifier: MIT */
/*
 * pvops.h - the pvlink patch table and the applier's API.
 *
 * Shared by the pvlink tool (which writes the table into a relocatable
 * object) and the applier in kernel-glue/ (which reads it at start-up and
 * rewrites the call sites it describes).  Fixed-width types only: this
 * header is compiled into freestanding kernels.
 *
 * The table
 * ---------
 * `pvlink table` adds sections named PVOPS_SECTION to an object, one per
 * executable section that has patchable sites, SHF_LINK_ORDER to it: lld,
 * and GNU ld with -z start-stop-gc, drop a piece with its code under
 * --gc-sections (otherwise the table keeps that code alive).  The
 * final link concatenates every object's pieces into one array of
 * struct pvops_site; the linker defines __start_pvlink_sites and
 * __stop_pvlink_sites around it (the section name is a C identifier for
 * that reason), or a kernel's linker script does so through
 * kernel-glue/pvops.lds.
 *
 * Because the linker may concatenate, reorder and drop pieces, the table
 * has no header: every entry carries the magic and version itself, and any
 * subset of entries in any order is a valid table.
 *
 * Positions are 32-bit self-relative offsets (target - address of the
 * field), resolved by the final link from relocations pvlink emits
 * (R_X86_64_PC32; in i386 objects R_386_PC32, REL, the addend in the
 * field itself; in AArch64 objects R_AARCH64_PREL32).  They need no
 * run-time relocation, so one table format serves a kernel, a module and
 * a PIE program, any number of ops tables, and every machine: the entry
 * is the same 24 bytes on i386 and AArch64.
 */
#ifndef PVOPS_H
#define PVOPS_H

/* Linux builds with -nostdinc: its own headers give the fixed-width types. */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/*
 * Module-local.  Every module (a program, each shared library, each
 * plugin) links its own copy of the applier and applies its own table
 * only.  With default visibility a shared library's copy of
 * pvops_hosted_apply() or of the __start_/__stop_pvlink_sites symbols can
 * be interposed by another module's (GNU ld, gold and lld alike): a
 * library would apply the program's table, a program without a table
 * would find a library's.  So the applier's entry points are hidden, and
 * kernel-glue/hosted.c refers to the table's bounds as hidden symbols,
 * which the linker resolves inside the module or not at all.
 */
#if defined(__GNUC__) || defined(__clang__)
#define PVOPS_LOCAL __attribute__((visibility("hidden")))
#else
#define PVOPS_LOCAL
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define PVOPS_SECTION "pvlink_sites"
#define PVOPS_MAGIC   0x7670u  /* "pv" little-endian */
#define PVOPS_VERSION 1

/*
 * Site forms.  The low bits say what the site does with the function
 * pointer, the high bits how it addresses the ops slot:
 *
 *   PVOPS_MEM   one instruction:  call *slot / jmp *slot
 *               ff 15 disp32           call *slot(%rip)
 *               ff 25 disp32           jmp  *slot(%rip)
 *               ff 14 25 abs32         call *slot       (PVOPS_ABS)
 *               ff 24 25 abs32         jmp  *slot       (PVOPS_ABS)
 *   PVOPS_REG   load, then branch through the register:
 *               REX.W 8b /r disp32     mov slot(%rip),%reg
 *               REX.W 8b /r 25 abs32   mov slot,%reg    (PVOPS_ABS)
 *               [41] ff /2 or /4       call *%reg / jmp *%reg
 *   PVOPS_THUNK load, then branch to the retpoline thunk for the register:
 *               e8 rel32 / e9 rel32    call/jmp __x86_indirect_thunk_REG
 *
 * PVOPS_JUMP marks a tail call (jmp) rather than a call.  The encodings
 * are the canonical ones assemblers emit; pvlink records a site only when
 * its bytes are exactly these, so the applier can rebuild them.
 *
 * PVOPS_I386 marks a site in 32-bit code (always with PVOPS_ABS: i386 has
 * no RIP-relative operand, and mod 00 rm 101 is an absolute address):
 *               ff 15 abs32            call *slot
 *               ff 25 abs32            jmp  *slot
 *               a1 abs32               mov slot,%eax    (gas's moffs form)
 *               8b /r abs32            mov slot,%reg    (other registers)
 *               ff /2 or /4            call *%reg / jmp *%reg
 *               e8 rel32 / e9 rel32    call/jmp __x86_indirect_thunk_eax, ...
 * The bit is in the entry, not implied by the build, so an entry says
 * what it describes: the tool (a 64-bit x86 program) rebuilds the sites of
 * every machine with pvops_original(), and an applier counts an entry
 * for another machine as a bad entry instead of misreading its bytes.
 *
 * PVOPS_GOT (i386 PVOPS_MEM only, without PVOPS_ABS) marks a slot
 * addressed relative to a register that holds the GOT's address, as i386
 * PIC code does:
 *               ff 90+r disp32         call *disp32(%reg)   disp32 = slot - GOT
 *               ff a0+r disp32         jmp  *disp32(%reg)
 * `reg` is the base register (not %esp), and `thunk` holds the GOT's
 * address (R_386_GOTPC): the applier needs it to rebuild the operand.
 * pvlink records such a site only where it proves the register holds the
 * GOT there.
 *
 * PVOPS_SPLIT (thunk forms only) marks a load and a retpoline branch of
 * which only the 5-byte branch is ever rewritten; the load stays, so the
 * register holds what it held in the original program on every path.
 * Other instructions may lie between them, as clang emits (`mov
 * slot,%r11`, the arguments, `call __x86_indirect_thunk_r11`) and gcc
 * before a tail call (`mov slot,%rax; add $8,%rsp; jmp
 * __x86_indirect_thunk_rax`), or none.  `branch` is the distance from the
 * load to the branch (the load's length when they are adjacent), `len`
 * the load's length plus 5: the bytes the entry covers are the load and
 * the branch, not what lies between.  pvlink records every thunk site so;
 * an adjacent thunk entry without PVOPS_SPLIT (which also replaces the
 * load) and PVOPS_REG entries are still applied, but no longer written.
 *
 * PVOPS_A64 marks a site in AArch64 code.  Its form is exactly
 * PVOPS_A64 | PVOPS_REG, optionally | PVOPS_JUMP, and the site is the
 * branch alone, one little-endian word:
 *               d63f0000 | N << 5      blr xN
 *               d61f0000 | N << 5      br  xN           (PVOPS_JUMP)
 * with len 4, branch 0, reg N (0-30) and thunk 0.  The load before it
 * (`ldr xN, [...]`, however the slot is addressed) is neither recorded
 * nor rewritten: xN holds the slot on every path exactly as in the
 * original program, whatever lies between, so replacing the branch needs
 * no proof that xN is dead, and bl clobbers x30 exactly as blr does.  The
 * branch becomes
 *               94000000 | imm26       bl target
 *               14000000 | imm26       b  target        (PVOPS_JUMP)
 * with imm26 = (target - site) / 4: a target that is not 4-byte aligned
 * or lies outside [site - 128 MiB, site + 128 MiB - 4] leaves the site
 * indirect, counted in `indirect`, as a target beyond rel32 does on x86.
 * A call to a registered no-op becomes `nop` (d503201f), a tail call to
 * one `ret` (d65f03c0); inline code, below.
 */
enum {
	PVOPS_MEM   = 0x00,
	PVOPS_REG   = 0x01,
	PVOPS_THUNK = 0x02,
	PVOPS_KIND  = 0x03,     /* mask */
	PVOPS_JUMP  = 0x04,
	PVOPS_ABS   = 0x08,
	PVOPS_I386  = 0x10,
	PVOPS_SPLIT = 0x20,
	PVOPS_GOT   = 0x40,
	PVOPS_A64   = 0x80,
	PVOPS_MACHINE = PVOPS_I386 | PVOPS_A64, /* mask: 0 is x86-64 */
};

/* One patchable call site: 24 bytes, 4-byte aligned. */
struct pvops_site {
	uint16_t magic;    /* PVOPS_MAGIC */
	uint8_t  version;  /* PVOPS_VERSION */
	uint8_t  form;     /* PVOPS_MEM/REG/THUNK | PVOPS_JUMP | PVOPS_ABS | PVOPS_I386
	                      | PVOPS_SPLIT | PVOPS_GOT; or PVOPS_A64 | PVOPS_REG
	                      [| PVOPS_JUMP] */
	int32_t  site;     /* self-relative: first byte of the site */
	int32_t  slot;     /* self-relative: the ops slot (a function pointer) */
	int32_t  thunk;    /* self-relative: the retpoline thunk (PVOPS_THUNK), the
	                      GOT (PVOPS_GOT), else 0 (PVOPS_A64: must be 0) */
	uint8_t  len;      /* bytes at the site, all its instructions (PVOPS_SPLIT:
	                      the load's and the branch's) */
	uint8_t  branch;   /* offset of the call/jmp from the site (0 for PVOPS_MEM) */
	uint8_t  reg;      /* register loaded, x86 number 0-15, 0-7 on i386 (PVOPS_REG/THUNK),
	                      0-30 on AArch64 (the xN of blr/br) */
	uint8_t  reserved; /* 0 */
	uint32_t written;  /* applier-owned: 0 while the site holds its original
	                      bytes, else a checksum of what the applier last wrote */
};

/*
 * Which fields are checked, and by whom.  pvops_original() (shared by
 * the applier and `pvlink verify`) accepts an entry when it can rebuild
 * its bytes: only the form bits listed, SPLIT only with THUNK, GOT only
 * with i386 MEM and a register other than %esp, i386 only with ABS or GOT
 * and registers 0-7, len and branch exactly those of the form,
 * and reserved 0 (a non-zero reserved byte may carry a meaning this code
 * lacks).  An AArch64 entry: PVOPS_A64 | PVOPS_REG [| PVOPS_JUMP] and no
 * other bit, len 4, branch 0, reg 0-30, the raw thunk field 0, and the
 * site 4-byte aligned.  The applier also checks magic, version and the
 * machine (PVOPS_MACHINE: an x86-64 applier takes neither bit, an i386
 * one PVOPS_I386, an AArch64 one PVOPS_A64), and counts any failure as a
 * bad entry, never touching its site.  It ignores the fields an x86 form
 * does not use (reg and thunk of PVOPS_MEM without PVOPS_GOT, thunk of
 * PVOPS_REG): they cannot change the bytes it checks or writes.  `pvlink
 * verify` refuses all of the above and a non-zero unused field too (pvlink
 * writes 0 there; anything else is a damaged or foreign table), naming the
 * field.  `written` belongs to the applier: verify requires 0 in a file.
 * verify also checks what only the image shows: the site lies in
 * executable code and holds the bytes, and no two entries cover the same
 * bytes (below); the hosted environment checks that the site lies in the
 * module's executable segments and the slot in its readable ones.
 *
 * Entries that share bytes.  gold --icf=all folds identical functions
 * and keeps both copies' entries, which then name one site (lld drops
 * the folded copy's SHF_LINK_ORDER piece with it).  Entries
 * with the same site, slot (and thunk) and shape are one site: the first
 * in the table writes it, and each of the others is checked against what
 * the first left there and counted in the same outcome, without a write
 * (`writes` counts one).  Entries that cover any of the same bytes
 * otherwise (another slot, form or length, or overlapping sites) are all
 * counted in `bad_entry` and none is written.  verify reports both: the
 * first as a warning, the second as an error.
 */
#define PVOPS_SITE_SIZE 24
#define PVOPS_MAX_LEN   16  /* longest site: 8-byte load + 5-byte thunk call */

/*
 * Patches a backend registers: when an ops slot holds `target`, sites that
 * call through it get `code` (len bytes, at most PVOPS_MAX_LEN) inline
 * instead of a call.  len == 0 declares the target a no-op: its call sites
 * become NOPs and its tail calls a `ret`.
 *
 * The replacement runs where the call was, so it may use and clobber
 * exactly what the C calling convention lets a callee use and clobber:
 * arguments in %rdi, %rsi, ..., result in %rax, caller-saved registers
 * free.  It must not touch the stack below %rsp beyond push/pop pairs
 * (kernels build without a red zone) and must not branch.
 *
 * i386: the result is in %eax, and %eax, %ecx, %edx are free.  With
 * -mregparm=3 (the kernel's convention) the first three arguments are in
 * %eax, %edx, %ecx at call and tail-call sites alike.  With the default
 * stack convention they are on the stack, at 0(%esp) where a call site
 * was but at 4(%esp) where a tail call was (the caller's return address
 * is on top): the same bytes cannot serve both, so register inline code
 * that reads stack arguments only where every site is a call.
 *
 * AArch64: inline code is exactly one instruction (len 4, little-endian)
 * and replaces the blr of a call site; at a tail-call site (the code and
 * a ret would need two words) or with any other length the site gets the
 * direct branch instead.  Arguments are in x0-x7, the result in x0; x9-x17
 * are free, and so is x30 (bl and blr clobber it alike).  It must not
 * branch, touch sp or the stack, or be PC-relative (adr, adrp, a literal
 * load): it runs at the site, not where it was assembled.
 */
struct pvops_patch {
	const void    *target;
	const uint8_t *code;
	uint8_t        len;
};

/*
 * Patches registered in the image.  PVOPS_INLINE(target, bytes...) and
 * PVOPS_NOP(target), at file scope, write a record into the section
 * PVOPS_PATCH_SECTION (the linker defines __start_/__stop_pvlink_patches
 * around it, or kernel-glue/pvops.lds does).  Both the applier (through
 * pvops_env.recs) and `pvlink patch` read them, so the bytes written
 * before boot are exactly those the applier would write at boot: register
 * every patch this way in an image that is to be pre-patched.  A patch
 * says what a call to `target` may become wherever a slot holds it, so
 * one image may hold every backend's records.
 *
 *     PVOPS_INLINE(native_irq_disable, 0xfa);         cli
 *     PVOPS_NOP(pv_io_delay);
 *
 * `target` is a function name the assembler resolves in this unit (a
 * static function whose address the unit takes, or an extern one; in a
 * shared library one that is hidden or local: the record is
 * self-relative and needs no run-time relocation).  Not with -flto,
 * whose partitions may rename static functions.
 */
#define PVOPS_PATCH_SECTION "pvlink_patches"
#define PVOPS_PATCH_MAGIC   0x7071u  /* "pq" little-endian */

struct pvops_patch_rec {
	int32_t  target;   /* self-relative: the function a slot holds */
	int32_t  code;     /* self-relative: the replacement bytes; 0 when len == 0 */
	uint16_t magic;    /* PVOPS_PATCH_MAGIC */
	uint8_t  len;      /* bytes of code, at most PVOPS_MAX_LEN; 0: a no-op */
	uint8_t  reserved; /* 0 */
};

#define PVOPS_PATCH_REC_SIZE 12

#define PVOPS_REC_HEAD_(target)                                               \
	".pushsection " PVOPS_PATCH_SECTION ",\"a\",@progbits\n\t"             \
	".balign 4\n\t"                                                        \
	".long " #target " - .\n\t"

#define PVOPS_INLINE(target, ...)                                             \
	__asm__(PVOPS_REC_HEAD_(target)                                       \
		".long 7701f - .\n\t"                                         \
		".short 0x7071\n\t"                                           \
		".byte 7702f - 7701f, 0\n\t"                                  \
		".popsection\n\t"                                             \
		".pushsection .rodata.pvlink_code,\"a\",@progbits\n"          \
		"7701:\t.byte " #__VA_ARGS__ "\n"                             \
		"7702:\n\t.popsection")

#define PVOPS_NOP(target)                                                     \
	__asm__(PVOPS_REC_HEAD_(target)                                       \
		".long 0\n\t"                                                 \
		".short 0x7071\n\t"                                           \
		".byte 0, 0\n\t"                                              \
		".popsection")

/*
 * What the applier did.  Every entry lands in exactly one of the first
 * seven counters, the state its site is in afterwards; `writes` counts the
 * pokes, so a second run over unchanged slots reports writes == 0.
 */
struct pvops_counts {
	uint32_t direct;     /* rewritten to a direct call or jmp */
	uint32_t inlined;    /* replaced by registered inline code */
	uint32_t nop;        /* call to a registered no-op removed */
	uint32_t indirect;   /* left (or put back) indirect: NULL slot, target out
	                        of a direct branch's range (rel32; AArch64: +-128
	                        MiB, or not 4-byte aligned), or pvops_restore() */
	uint32_t mismatch;   /* bytes not recognised: skipped, never written */
	uint32_t bad_entry;  /* entry not well-formed, for another machine, sharing
	                        bytes with a different entry, or (hosted) outside
	                        the module: skipped, never written */
	uint32_t failed;     /* recognised, but the poke hook refused the write */
	uint32_t writes;     /* sites actually written (0 when nothing changed) */
};

/*
 * Writes len bytes at addr in the text.  Supplied by the environment:
 * a kernel writes its own text (CR0.WP toggled, or text mapped writable)
 * while the other CPUs are stopped and interrupts are off; a program
 * mprotect()s the pages before any thread starts.  The applier never
 * calls it on a site it has not recognised.  Returns 0 on success.
 *
 * On AArch64 instruction fetch does not see data writes by itself: after
 * writing, the hook must make the new instruction visible, `dc cvau` on
 * the written line, `dsb ish`, `ic ivau` on it, `dsb ish`, `isb` (in user
 * space __builtin___clear_cache(addr, addr + len) does so; Linux has
 * aarch64_insn_patch_text_nosync()).  The write is one aligned word.
 */
typedef int (*pvops_poke_fn)(void *addr, const void *src, uint32_t len, void *ctx);

struct pvops_env {
	pvops_poke_fn             poke;
	void                     *ctx;
	const struct pvops_patch *patches;   /* may be NULL */
	uint32_t                  npatches;
	/* Registered records, [recs, recs_end): both NULL when none.  Looked
	   up after patches[]; a record that is not well-formed is ignored. */
	const struct pvops_patch_rec *recs, *recs_end;
};

/*
 * Rewrites every site in [begin, end) to match what its ops slot holds
 * now.  Idempotent: a second call with the same slots writes nothing.
 * After the slots change, a new call re-targets the sites.  Each site is
 * written once, whole, through env->poke.
 */
PVOPS_LOCAL
struct pvops_counts pvops_apply(struct pvops_site *begin, struct pvops_site *end,
				const struct pvops_env *env);

/*
 * Puts every recognised site back to its original indirect form, so that
 * the program again calls through the ops table.
 */
PVOPS_LOCAL
struct pvops_counts pvops_restore(struct pvops_site *begin, struct pvops_site *end,
				  const struct pvops_env *env);

/*
 * For an environment that leaves some entries out (kernel-glue/hosted.c
 * skips sites outside the module): applies, or with restore != 0
 * restores, the entries [from, to) of the table [begin, end).  The whole
 * table is read, never written, to find entries that share a site.
 */
PVOPS_LOCAL
struct pvops_counts pvops_apply_range(struct pvops_site *begin, struct pvops_site *end,
				      struct pvops_site *from, struct pvops_site *to,
				      const struct pvops_env *env, int restore);

/*
 * The applier's own check of one entry, from its fields alone (nothing
 * at the addresses it names is read): well-formed, as described above,
 * and for the machine this code was built for.  Non-zero when it is.
 */
PVOPS_LOCAL int pvops_entry_check(const struct pvops_site *e);

/*
 * The bytes the compiler emitted at a site, rebuilt from the entry: writes
 * e->len bytes to out and returns the length, or 0 when the entry is
 * malformed.  `at` is where the site lives (the address its displacements
 * are relative to), which lets a tool check a file image.  The entry's
 * machine bits (PVOPS_I386, PVOPS_A64) select the machine whatever this
 * code was built for; pvops_apply() and pvops_restore() only accept
 * entries of their own machine and count the others as bad entries.
 */
PVOPS_LOCAL
uint32_t pvops_original(const struct pvops_site *e, uint64_t at, uint64_t slot,
			uint64_t thunk, uint8_t out[PVOPS_MAX_LEN]);

/*
 * What the applier decides for one entry, shared with `pvlink patch`:
 * the e->len bytes (gathered, as pvops_gather() gathers them) that the
 * site at address `at` gets when its slot holds `target` (0: NULL) and
 * `p` is the patch registered for that target (NULL: none).  orig is what
 * pvops_original() rebuilt for the entry.  Returns a PVOPS_OUT_ value.
 */
enum { PVOPS_OUT_INDIRECT, PVOPS_OUT_DIRECT, PVOPS_OUT_INLINED, PVOPS_OUT_NOP };

PVOPS_LOCAL
uint32_t pvops_rewrite(const struct pvops_site *e, uint64_t at, uint64_t target,
		       const struct pvops_patch *p, const uint8_t *orig, uint8_t *want);

/*
 * The `written` value an entry gets when its site holds want: 0 for its
 * original bytes, else the checksum the applier recognises its own bytes by.
 */
PVOPS_LOCAL
uint32_t pvops_mark(const struct pvops_site *e, const uint8_t *orig, const uint8_t *want);

/*
 * The e->len bytes an entry covers, from a copy of the code that starts at
 * the site: the whole site, or for PVOPS_SPLIT the load then the branch.
 * This is what pvops_original() rebuilds.  `site` must have e->branch + 5
 * bytes for a split entry.
 */
PVOPS_LOCAL
void pvops_gather(const struct pvops_site *e, const uint8_t *site, uint8_t out[PVOPS_MAX_LEN]);

/* The part of a site the applier may write: its offset from the site and length. */
static inline uint32_t pvops_write_offset(const struct pvops_site *e)
{
	return e->form & PVOPS_SPLIT ? e->branch : 0;
}

static inline uint32_t pvops_write_len(const struct pvops_site *e)
{
	return e->form & PVOPS_SPLIT ? 5u : e->len;
}

/* How many bytes from the site an entry reads: a split site's branch may lie past len. */
static inline uint32_t pvops_span(const struct pvops_site *e)
{
	uint32_t end = pvops_write_offset(e) + pvops_write_len(e);

	return end > e->len ? end : e->len;
}

/*
 * Hosted environment (kernel-glue/hosted.c), for programs, shared
 * libraries and plugins: applies the calling module's own table
 * (__start_/__stop_pvlink_sites as linked into that module; none, all
 * counts 0, when it has no table).  Entries whose site is not in the
 * module's executable segments or whose slot is not in its readable ones
 * are bad entries.  The pages the other sites' writes touch are made
 * writable, one span per segment (entry by entry when that fails: a
 * page that cannot be made writable fails only its own sites), and get the
 * protection the program headers gave them back afterwards.  Call it
 * before any other thread runs, after the ops table has been filled in
 * (a library or plugin: from a constructor); call it again after the
 * table changes.  restore != 0 puts the indirect calls back instead.
 * When no site needs a write (a module pre-patched by `pvlink patch` for
 * the slots it has, or applied before), no page is made writable.
 */
PVOPS_LOCAL
struct pvops_counts pvops_hosted_apply(const struct pvops_patch *patches,
				       uint32_t npatches, int restore);

/* Addresses a patch record points at. */
static inline const void *pvops_rec_target(const struct pvops_patch_rec *r)
{
	return (const char *)&r->target + r->target;
}

static inline const uint8_t *pvops_rec_code(const struct pvops_patch_rec *r)
{
	return (const uint8_t *)&r->code + r->code;
}

/* Addresses an entry points at. */
static inline void *pvops_site_addr(const struct pvops_site *e)
{
	return (char *)&e->site + e->site;
}

static inline void *pvops_slot_addr(const struct pvops_site *e)
{
	return (char *)&e->slot + e->slot;
}

static inline void *pvops_thunk_addr(const struct pvops_site *e)
{
	return (char *)&e->thunk + e->thunk;
}

/*
 * Marks an ops table in C so that `pvlink table` finds it without --ops:
 *     struct pv_ops pv_ops = { ... };
 *     PVOPS_TABLE(pv_ops);
 * It records the table's address in a non-loaded section that pvlink
 * reads; the final link keeps it out of the loaded image.  (A pointer-
 * sized address: the i386 assembler cannot emit a 64-bit relocation.)
 */
#if defined(__i386__)
#define PVOPS_TABLE_ADDR ".balign 4\n\t.long "
#else
#define PVOPS_TABLE_ADDR ".balign 8\n\t.quad "
#endif
/*
 * The used pointer keeps a static table alive: the asm names it only in
 * a string, and gcc and clang -O2 fold a static table they can see
 * through away, leaving the record an undefined reference.  `pvlink
 * audit` knows the pointer by its name (PVOPS_KEEP_PREFIX) and does not
 * count it as a use of the table's address.
 */
#define PVOPS_KEEP_PREFIX "pvops_keep_"
#define PVOPS_TABLE(sym)                                                    \
	__asm__(".pushsection .pvlink.ops,\"\",@progbits\n\t"               \
		PVOPS_TABLE_ADDR #sym "\n\t.popsection");                     \
	static const void *const pvops_keep_##sym __attribute__((used)) = &(sym)

#ifdef __cplusplus
}
#endif

/*
 * Marks a function that fills ops tables once at start-up, before other
 * threads run, so that `pvlink audit` counts its stores as init writes:
 *     PVOPS_INIT static void select_backend(void) { ops = fast_ops; }
 * It places the function in its own section, whose name no default
 * linker script folds into .text, so the audit still sees it in a linked
 * program.  noinline keeps its stores out of its callers (main is not
 * init code: it runs the whole program).  Kernels use their own __init.
 */
#define PVOPS_INIT_SECTION ".pvops_init.text"
#define PVOPS_INIT __attribute__((section(PVOPS_INIT_SECTION), noinline))

#endif /* PVOPS_H */
