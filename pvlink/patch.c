// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * patch.c - `pvlink patch`: an image pre-patched for one backend.
 *
 * Strategy: the patch table says, for every site, what it becomes once
 * its slot holds a given function; the applier's own code
 * (pvops_rewrite(), kernel-glue/apply.c) says which bytes that is.  So
 * the slot values are taken from the image (slots.c: a backend's template
 * object, `--ops pv_ops=native_ops`, and `--slot` overrides), the
 * registered patches from its pvlink_patches records, and every entry's
 * bytes and `written` mark are computed exactly as the applier would
 * compute them at boot.  The output is a copy of the input in which only those bytes
 * of the text and those `written` fields differ (libelf with
 * ELF_F_LAYOUT: nothing moves).  At boot the applier recognises each site
 * by its mark: with the same slots it writes nothing, with others it
 * re-targets the site.
 *
 * A site that holds neither its original bytes nor bytes the applier
 * marked is refused, as the applier would skip it; an image pre-patched
 * before (for this backend or another) is re-patched from the original
 * bytes each entry rebuilds, as the applier re-targets it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "outfile.h"
#include "image_table.h"
#include "patch.h"
#include "slots.h"
#include "warn.h"

static int32_t get32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			 (uint32_t)p[3] << 24);
}

static int read_rec(struct elf *e, const struct section *sec, size_t i, struct pvops_patch *p)
{
	const uint8_t *r = section_bytes(sec) + i * PVOPS_PATCH_REC_SIZE;
	uint64_t addr = sec->sh.sh_addr + i * PVOPS_PATCH_REC_SIZE;
	uint64_t target = image_wrap(e, addr + (uint64_t)(int64_t)get32(r));
	uint64_t code = image_wrap(e, addr + 4 + (uint64_t)(int64_t)get32(r + 4));
	uint8_t len = r[10];

	if ((r[8] | r[9] << 8) != PVOPS_PATCH_MAGIC || len > PVOPS_MAX_LEN || r[11]) {
		ERROR(e->path, "%s: record %zu: bad magic, length or reserved byte",
		      PVOPS_PATCH_SECTION, i);
		return -1;
	}
	p->target = (const void *)(uintptr_t)target;
	p->len = len;
	p->code = len ? image_bytes(e, code, len) : NULL;
	if (len && !p->code) {
		ERROR(e->path, "%s: record %zu: its %u bytes of code (0x%llx) are not in the file",
		      PVOPS_PATCH_SECTION, i, len, (unsigned long long)code);
		return -1;
	}
	return 0;
}

int patch_recs_read(struct elf *e, struct patch_recs *recs)
{
	struct section *sec = find_section_by_name(e, PVOPS_PATCH_SECTION);
	size_t n;

	recs->v = NULL;
	recs->n = 0;
	if (!sec || !section_bytes(sec))
		return 0;
	if (sec->sh.sh_size % PVOPS_PATCH_REC_SIZE) {
		ERROR(e->path, "%s: size %llu is not a whole number of %d-byte records",
		      PVOPS_PATCH_SECTION, (unsigned long long)sec->sh.sh_size,
		      PVOPS_PATCH_REC_SIZE);
		return -1;
	}
	n = sec->sh.sh_size / PVOPS_PATCH_REC_SIZE;
	recs->v = pvcalloc(n ? n : 1, sizeof(*recs->v));
	if (!recs->v)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (read_rec(e, sec, i, &recs->v[i]))
			return -1;
	recs->n = n;
	return 0;
}

void patch_recs_free(struct patch_recs *recs)
{
	free(recs->v);
	recs->v = NULL;
	recs->n = 0;
}

const struct pvops_patch *patch_recs_find(const struct patch_recs *recs, uint64_t target)
{
	for (size_t i = 0; i < recs->n; i++)
		if ((uint64_t)(uintptr_t)recs->v[i].target == target)
			return &recs->v[i];
	return NULL;
}

/* Whether the applier writes `have` at `at` for target. */
static int writes(const struct pvops_site *x, uint64_t at, uint64_t target,
		  const struct patch_recs *recs, const uint8_t *orig, const uint8_t *have)
{
	uint8_t want[PVOPS_MAX_LEN];
	uint32_t out = pvops_rewrite(x, at, target, patch_recs_find(recs, target), orig, want);

	return memcmp(want, have, x->len) ? -1 : (int)out;
}

/*
 * Where the direct branch the applier may have written at a site goes,
 * read from its written part w (wlen bytes, ending at `end`); false when
 * w holds no such branch.  x86: a jmp rel32 first, or a call rel32 last
 * (after NOPs or a CS prefix); AArch64: one b/bl word, imm26 * 4 from it.
 * Only a candidate: patch_identify() rebuilds it with the applier's code.
 */
static bool written_branch(const struct pvops_site *x, const uint8_t *w, uint32_t wlen,
			   uint64_t end, uint64_t *target)
{
	bool jump = x->form & PVOPS_JUMP;

	if (x->form & PVOPS_A64) {
		uint32_t word = get32(w);

		if (wlen != 4 || (word & 0xfc000000u) != (jump ? 0x14000000u : 0x94000000u))
			return false;
		*target = end - 4 + (uint64_t)((int64_t)((int32_t)(word << 6) >> 6) * 4);
		return true;
	}
	if (wlen < 5 || (jump ? w[0] != 0xe9 : w[wlen - 5] != 0xe8))
		return false;
	*target = (jump ? end - wlen + 5 : end) + (uint64_t)(int64_t)get32(jump ? w + 1 : w + wlen - 4);
	if (x->form & PVOPS_I386)
		*target = (uint32_t)*target;
	return true;
}

/*
 * The direct branch's target decides a direct site; a registered
 * patch's bytes decide an inline or NOP site.  Each candidate is rebuilt
 * with the applier's code, so only its exact bytes are accepted.
 */
int patch_identify(const struct pvops_site *x, uint64_t at, const struct patch_recs *recs,
		   const uint8_t *orig, const uint8_t *have, uint64_t *target)
{
	uint32_t wlen = pvops_write_len(x), head = x->len - wlen;
	uint64_t end = at + pvops_write_offset(x) + wlen;
	int out;

	if (written_branch(x, have + head, wlen, end, target)) {
		out = writes(x, at, *target, recs, orig, have);
		if (out >= 0)
			return out;
	}
	for (size_t i = 0; i < recs->n; i++) {
		*target = (uint64_t)(uintptr_t)recs->v[i].target;
		out = writes(x, at, *target, recs, orig, have);
		if (out >= 0)
			return out;
	}
	return -1;
}

struct patch_run {
	struct elf           *e;       /* the input: every byte read comes from it */
	const struct section *table;
	size_t                n;
	struct slotmap        slots;
	struct patch_recs     recs;
	Elf                  *out;     /* the output: only written */
	bool                  verbose;
	uint32_t              count[4];  /* by PVOPS_OUT_* */
	size_t                repatched;
	size_t                shared;    /* entries that clash with another */
};

/* "func+0x12" (or "0x..." outside every section) for messages. */
static void where(struct elf *e, uint64_t addr, unsigned type, char *buf, size_t size)
{
	struct section *sec = find_section_by_addr(e, addr, 1);
	struct symbol *sym = sec ? find_symbol_containing(e, sec->idx, addr - sec->sh.sh_addr,
							  type) : NULL;

	if (sym)
		snprintf(buf, size, "%s+0x%llx", sym->name,
			 (unsigned long long)(addr - sym->sym.st_value));
	else if (sec && type == STT_FUNC)
		format_location(e, sec, addr - sec->sh.sh_addr, buf, size);
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)addr);
}

static void entry_error(struct patch_run *r, size_t i, const struct image_entry *a,
			const char *why)
{
	char site[128];

	where(r->e, a->site, STT_FUNC, site, sizeof(site));
	ERROR(r->e->path, "%s: entry %zu (site 0x%llx): %s", site, i,
	      (unsigned long long)a->site, why);
}

/* n bytes at addr in the output, to be written; NULL outside the file. */
static uint8_t *out_bytes(struct patch_run *r, uint64_t addr, uint64_t n)
{
	struct section *sec = find_section_by_addr(r->e, addr, n);
	Elf_Scn *scn = sec ? elf_getscn(r->out, sec->idx) : NULL;
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;

	if (!d || !d->d_buf || d->d_size < addr - sec->sh.sh_addr + n) {
		ERROR_ELF(r->e->path, "cannot read the output's section");
		return NULL;
	}
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	return (uint8_t *)d->d_buf + (addr - sec->sh.sh_addr);
}

/* The original bytes entry a rebuilds, and those its site holds now. */
static int entry_bytes(struct patch_run *r, size_t i, const struct image_entry *a,
		       uint8_t *orig, uint8_t *cur)
{
	struct section *text = find_section_by_addr(r->e, a->site, pvops_span(&a->e));

	if (a->e.magic != PVOPS_MAGIC || a->e.version != PVOPS_VERSION ||
	    (a->e.form & PVOPS_MACHINE) != r->e->arch->form ||
	    !pvops_original(&a->e, a->site, a->slot, a->thunk, orig)) {
		entry_error(r, i, a, "not an entry the applier accepts (pvlink verify says why)");
		return -1;
	}
	if (!text || !section_is_text(text) || !section_bytes(text)) {
		entry_error(r, i, a, "site is not in executable code");
		return -1;
	}
	pvops_gather(&a->e, section_bytes(text) + (a->site - text->sh.sh_addr), cur);
	if (!memcmp(cur, orig, a->e.len))
		return 0;
	if (!a->e.written || pvops_mark(&a->e, orig, cur) != a->e.written) {
		entry_error(r, i, a, "site holds neither the recorded instructions nor bytes "
			    "the applier wrote");
		return -1;
	}
	r->repatched++;
	return 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

/* -v: "kmain+0x92: direct: native_read_msr+0x0" */
static void print_site(struct patch_run *r, const struct image_entry *a, uint32_t out,
		       uint64_t target)
{
	static const char *const what[] = { "indirect", "direct", "inlined", "nop" };
	char site[128], to[128];

	where(r->e, a->site, STT_FUNC, site, sizeof(site));
	where(r->e, target, STT_FUNC, to, sizeof(to));
	printf("%s: %s: %s\n", site, what[out], target ? to : "NULL");
}

/* One entry: its site's new bytes and its mark, as the applier would leave them. */
static int patch_entry(struct patch_run *r, size_t i)
{
	uint8_t orig[PVOPS_MAX_LEN], cur[PVOPS_MAX_LEN], want[PVOPS_MAX_LEN], *text, *mark;
	const struct slotval *sv;
	struct image_entry a;
	char slot[128], why[200];
	uint32_t out;

	image_entry_read(r->e, r->table, i, &a);
	if (entry_bytes(r, i, &a, orig, cur))
		return -1;
	sv = slots_find(&r->slots, a.slot);
	if (!sv) {
		where(r->e, a.slot, STT_OBJECT, slot, sizeof(slot));
		snprintf(why, sizeof(why), "slot %s: no --ops or --slot says what it holds", slot);
		entry_error(r, i, &a, why);
		return -1;
	}
	out = pvops_rewrite(&a.e, a.site, sv->target, patch_recs_find(&r->recs, sv->target),
			    orig, want);
	text = out_bytes(r, a.site + pvops_write_offset(&a.e), pvops_write_len(&a.e));
	mark = out_bytes(r, r->table->sh.sh_addr + i * sizeof(a.e) +
			 offsetof(struct pvops_site, written), 4);
	if (!text || !mark)
		return -1;
	memcpy(text, want + (a.e.len - pvops_write_len(&a.e)), pvops_write_len(&a.e));
	put_le32(mark, pvops_mark(&a.e, orig, want));
	r->count[out]++;
	if (r->verbose)
		print_site(r, &a, out, sv->target);
	return 0;
}

/* Two entries that share bytes: twins get the same bytes and mark from each. */
static void shared_pair(void *ctx, size_t i, size_t j)
{
	struct patch_run *r = ctx;
	struct image_entry a, b;

	image_entry_read(r->e, r->table, i, &a);
	image_entry_read(r->e, r->table, j, &b);
	if (image_entries_twins(&a, &b) || r->shared++)
		return;                 /* bad input: one line, for the first clash */
	entry_error(r, j, &b, "shares bytes with another entry that describes them "
		    "otherwise: the applier writes neither");
}

/*
 * Entries that share bytes without being one site recorded twice: the
 * applier writes neither, so neither may be pre-patched.  Twins (folded
 * identical code) get the same bytes and mark from each entry.
 */
static int check_shared(struct patch_run *r)
{
	r->shared = 0;
	return image_entries_overlap(r->e, r->table, r->n, shared_pair, r) || r->shared ? -1 : 0;
}

/* The input's bytes, whole, into the output file (its layout is kept). */
static int copy_file(struct elf *e, int to, const char *path)
{
	char buf[65536];
	ssize_t n, done;
	off_t off = 0;

	while ((n = pread(e->fd, buf, sizeof(buf), off)) > 0) {
		for (ssize_t k = 0; k < n; k += done) {
			done = pwrite(to, buf + k, (size_t)(n - k), off + k);
			if (done < 0 && errno != EINTR) {
				ERROR(path, "cannot write: %s", strerror(errno));
				return -1;
			}
			done = done < 0 ? 0 : done;
		}
		off += n;
	}
	if (n < 0)
		ERROR(e->path, "cannot read: %s", strerror(errno));
	return n < 0 ? -1 : 0;
}

/* Copy, rewrite every entry in the copy through libelf, write it back in place. */
static int write_patched(struct patch_run *r, const char *path)
{
	struct outfile of = { 0 };
	struct stat st;
	int ret = -1;

	if (outfile_create(&of, path) || copy_file(r->e, of.fd, path))
		goto out;
	/* an executable stays executable */
	of.exec = !fstat(r->e->fd, &st) && (st.st_mode & 0111);
	r->out = elf_begin(of.fd, ELF_C_RDWR, NULL);
	if (!r->out) {
		ERROR_ELF(path, "cannot open the output");
		goto out;
	}
	elf_flagelf(r->out, ELF_C_SET, ELF_F_LAYOUT);
	for (size_t i = 0; i < r->n; i++)
		if (patch_entry(r, i))
			goto out;
	if (elf_update(r->out, ELF_C_WRITE) < 0) {
		ERROR_ELF(path, "cannot write");
		goto out;
	}
	elf_end(r->out);
	r->out = NULL;
	ret = outfile_commit(&of);
out:
	if (r->out)
		elf_end(r->out);
	r->out = NULL;
	if (ret)
		outfile_abort(&of);
	return ret;
}

static int open_table(struct patch_run *r)
{
	struct elf *e = r->e;

	if (!e->linked) {
		ERROR(e->path, "is a relocatable object: patch writes a linked image");
		return -1;
	}
	r->table = find_section_by_name(e, PVOPS_SECTION);
	if (!r->table || !section_bytes(r->table) || !r->table->sh.sh_size) {
		ERROR(e->path, "no pvlink table (section %s): nothing to pre-patch", PVOPS_SECTION);
		return -1;
	}
	if (r->table->sh.sh_size % sizeof(struct pvops_site)) {
		ERROR(e->path, "%s: size %llu is not a whole number of %zu-byte entries",
		      PVOPS_SECTION, (unsigned long long)r->table->sh.sh_size,
		      sizeof(struct pvops_site));
		return -1;
	}
	r->n = r->table->sh.sh_size / sizeof(struct pvops_site);
	return 0;
}

int patch_image(struct elf *e, const struct patch_opts *o)
{
	struct patch_run r = { .e = e, .verbose = o->verbose };
	int ret = EXIT_BAD_INPUT;

	if (open_table(&r) || slots_build(e, o->ops, o->nops, o->slots, o->nslots, &r.slots) ||
	    patch_recs_read(e, &r.recs))
		goto out;
	if (check_shared(&r) || write_patched(&r, o->out)) {
		ret = pvlink_out_of_memory() ? EXIT_BAD_INPUT : EXIT_REFUSED;
		goto out;
	}
	if (!o->quiet)
		printf("%s: %zu sites pre-patched: %u inlined, %u direct, %u nop, %u indirect"
		       "%s%.0zu%s\n", o->out, r.n, r.count[PVOPS_OUT_INLINED],
		       r.count[PVOPS_OUT_DIRECT], r.count[PVOPS_OUT_NOP],
		       r.count[PVOPS_OUT_INDIRECT], r.repatched ? "; " : "", r.repatched,
		       r.repatched ? " re-targeted from an earlier pre-patch" : "");
	ret = EXIT_OK;
out:
	slots_free(&r.slots);
	patch_recs_free(&r.recs);
	return ret;
}
