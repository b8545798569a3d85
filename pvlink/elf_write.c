// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * elf_write.c - write a relocatable object: the input's sections, in the
 * same order and with the same indices, plus new ones at the end.
 *
 * Keeping every index means no symbol and no relocation of the input
 * needs rewriting.  libelf lays out the file (offsets, sizes) itself;
 * only the section-name string table grows.  The file appears under its
 * final name only when it is complete: it is written to a temporary file
 * in the same directory and renamed.
 */
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "outfile.h"
#include "warn.h"

/* The old section-name table followed by the names of the added sections. */
static char *grow_shstrtab(struct elf *in, struct new_section *adds, size_t nadds,
			   size_t *size)
{
	size_t shstrndx, old, total;
	struct section *strsec;
	char *buf;

	if (elf_getshdrstrndx(in->elf, &shstrndx) || shstrndx >= in->nsec) {
		ERROR(in->path, "unreadable section-name table");
		return NULL;
	}
	strsec = &in->secs[shstrndx];
	old = strsec->data ? strsec->data->d_size : 0;
	total = old;
	for (size_t i = 0; i < nadds; i++)
		total += strlen(adds[i].name) + 1;
	buf = pvmalloc(total ? total : 1);
	if (!buf)
		return NULL;
	if (old)
		memcpy(buf, strsec->data->d_buf, old);
	*size = old;
	for (size_t i = 0; i < nadds; i++) {
		adds[i].sh.sh_name = (GElf_Word)*size;
		memcpy(buf + *size, adds[i].name, strlen(adds[i].name) + 1);
		*size += strlen(adds[i].name) + 1;
	}
	return buf;
}

static int add_data(Elf_Scn *scn, const void *buf, size_t size, Elf_Type type,
		    size_t align)
{
	Elf_Data *d = elf_newdata(scn);

	if (!d)
		return -1;
	d->d_buf = (void *)buf;
	d->d_size = size;
	d->d_type = type;
	d->d_align = align ? align : 1;
	d->d_version = EV_CURRENT;
	return 0;
}

static int copy_section(Elf *out, struct section *sec, const void *buf, size_t size)
{
	Elf_Scn *scn = elf_newscn(out);
	GElf_Shdr sh = sec->sh;

	if (!scn)
		return -1;
	if (buf)
		sh.sh_size = size;
	if (buf && add_data(scn, buf, size, ELF_T_BYTE, sh.sh_addralign))
		return -1;
	/* libelf sizes a section from its data: .bss needs a bufferless one. */
	if (sh.sh_type == SHT_NOBITS && add_data(scn, NULL, sh.sh_size, ELF_T_BYTE,
						 sh.sh_addralign))
		return -1;
	if (!buf && sec->data && add_data(scn, sec->data->d_buf, sec->data->d_size,
					  sec->data->d_type, sec->data->d_align))
		return -1;
	return gelf_update_shdr(scn, &sh) ? 0 : -1;
}

static int add_section(Elf *out, const struct new_section *add)
{
	Elf_Scn *scn = elf_newscn(out);

	if (!scn || add_data(scn, add->buf, add->size, add->type, add->sh.sh_addralign))
		return -1;
	return gelf_update_shdr(scn, (GElf_Shdr *)&add->sh) ? 0 : -1;
}

/*
 * A section group with the added sections that join it appended: a
 * table piece lives and dies with its text, and gold and lld refuse a
 * piece outside the group of a COMDAT text it links to ("sh_link points
 * to discarded section").  Returns a new buffer of *size bytes (the
 * caller frees it), NULL with *size 0 when no added section joins sec.
 * A group's words are 32-bit whatever the class.
 */
static Elf32_Word *grow_group(const struct section *sec, const struct new_section *adds,
			      size_t nadds, size_t first_new, size_t *size)
{
	size_t old, n, join = 0;
	Elf32_Word *w;

	*size = 0;
	if (sec->sh.sh_type != SHT_GROUP || !sec->data)
		return NULL;
	for (size_t k = 0; k < nadds; k++)
		join += adds[k].group == sec->idx;
	if (!join)
		return NULL;
	old = n = sec->data->d_size / sizeof(*w);
	*size = (old + join) * sizeof(*w);     /* non-zero with NULL: out of memory */
	w = pvmalloc(*size);
	if (!w)
		return NULL;
	memcpy(w, sec->data->d_buf, old * sizeof(*w));
	for (size_t k = 0; k < nadds; k++)
		if (adds[k].group == sec->idx)
			w[n++] = (Elf32_Word)(first_new + k);
	return w;
}

static int copy_group(Elf *out, struct section *sec, const Elf32_Word *w, size_t size)
{
	Elf_Scn *scn = elf_newscn(out);
	GElf_Shdr sh = sec->sh;

	if (!scn)
		return -1;
	sh.sh_size = size;
	if (add_data(scn, w, size, ELF_T_WORD, sh.sh_addralign))
		return -1;
	return gelf_update_shdr(scn, &sh) ? 0 : -1;
}

static int copy_header(struct elf *in, Elf *out)
{
	GElf_Ehdr eh;

	if (!gelf_newehdr(out, gelf_getclass(in->elf)) || !gelf_getehdr(out, &eh))
		return -1;
	memcpy(eh.e_ident, in->eh.e_ident, EI_NIDENT);
	eh.e_type = in->eh.e_type;
	eh.e_machine = in->eh.e_machine;
	eh.e_version = in->eh.e_version;
	eh.e_entry = in->eh.e_entry;
	eh.e_flags = in->eh.e_flags;
	eh.e_shstrndx = in->eh.e_shstrndx;
	return gelf_update_ehdr(out, &eh) ? 0 : -1;
}

/*
 * With 0xff00 sections or more, e_shstrndx is SHN_XINDEX and the real
 * index lives in section 0's sh_link (libelf keeps e_shnum there itself).
 */
static int copy_extended_shstrndx(struct elf *in, Elf *out)
{
	GElf_Shdr zero, inzero;

	if (in->eh.e_shstrndx != SHN_XINDEX)
		return 0;
	if (!gelf_getshdr(elf_getscn(out, 0), &zero) ||
	    !gelf_getshdr(elf_getscn(in->elf, 0), &inzero))
		return -1;
	zero.sh_link = inzero.sh_link;
	return gelf_update_shdr(elf_getscn(out, 0), &zero) ? 0 : -1;
}

/* groups[i], gsize[i]: section i's grown group, if an added section joins it */
struct grown_groups {
	Elf32_Word **w;
	size_t      *size;
};

static int build(struct elf *in, Elf *out, const struct new_section *adds, size_t nadds,
		 const char *strtab, size_t strsize, const struct grown_groups *g)
{
	size_t shstrndx;

	if (copy_header(in, out) || elf_getshdrstrndx(in->elf, &shstrndx))
		return -1;
	for (size_t i = 1; i < in->nsec; i++) {
		struct section *sec = &in->secs[i];

		if (g->w[i] ? copy_group(out, sec, g->w[i], g->size[i])
		    : copy_section(out, sec, i == shstrndx ? strtab : NULL, strsize))
			return -1;
	}
	for (size_t i = 0; i < nadds; i++)
		if (add_section(out, &adds[i]))
			return -1;
	if (copy_extended_shstrndx(in, out))
		return -1;
	return elf_update(out, ELF_C_WRITE) < 0 ? -1 : 0;
}

int elf_write_with(struct elf *in, const char *path, const struct new_section *adds,
		   size_t nadds)
{
	struct new_section *named = pvcalloc(nadds ? nadds : 1, sizeof(*named));
	struct grown_groups g = { pvcalloc(in->nsec, sizeof(*g.w)), pvcalloc(in->nsec, sizeof(*g.size)) };
	struct outfile out = { 0 };
	size_t strsize = 0;
	char *strtab = NULL;
	Elf *elf = NULL;
	int ret = EXIT_BAD_INPUT;

	if (!named || !g.w || !g.size)
		goto done;
	for (size_t i = 1; i < in->nsec; i++) {
		g.w[i] = grow_group(&in->secs[i], adds, nadds, in->nsec, &g.size[i]);
		if (!g.w[i] && g.size[i])
			goto done;
	}
	memcpy(named, adds, nadds * sizeof(*adds));
	strtab = grow_shstrtab(in, named, nadds, &strsize);
	if (!strtab)
		goto done;
	if (outfile_create(&out, path))
		goto done;
	elf = elf_begin(out.fd, ELF_C_WRITE, NULL);
	if (!elf || build(in, elf, named, nadds, strtab, strsize, &g)) {
		ERROR_ELF(path, "cannot write output");
		goto done;
	}
	elf_end(elf);
	elf = NULL;
	ret = outfile_commit(&out) ? EXIT_BAD_INPUT : EXIT_OK;
done:
	if (elf)
		elf_end(elf);
	outfile_abort(&out);
	free(strtab);
	free(named);
	for (size_t i = 0; g.w && i < in->nsec; i++)
		free(g.w[i]);
	free(g.w);
	free(g.size);
	return ret;
}
