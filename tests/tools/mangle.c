// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * mangle.c - damage an ELF file in one precise way, for the bad-input tests.
 *
 *   mangle reloc-offset FILE RELSEC INDEX VALUE   set r_offset of a relocation
 *   mangle reloc-sym    FILE RELSEC INDEX VALUE   set its symbol index
 *   mangle site         FILE INDEX BYTE           overwrite the site of table
 *                                                 entry INDEX in a linked image
 *   mangle shdr         FILE SECTION FIELD VALUE  set a section header field:
 *                                                 offset, size, link, info, align
 *   mangle sym-shndx    FILE SYMBOL VALUE         set a symbol's st_shndx
 *   mangle entry        FILE INDEX FIELD VALUE    set a field of table entry INDEX
 *                                                 in a linked image (FIELD: a
 *                                                 struct pvops_site member, or
 *                                                 "all" to fill all 24 bytes)
 *   mangle entry-to     FILE INDEX FIELD ADDR     point self-relative field site,
 *                                                 slot or thunk at address ADDR
 *   mangle entry-copy   FILE INDEX FROM           make entry INDEX name what
 *                                                 entry FROM names
 *
 * The file is changed in place with pwrite(); libelf only reads it, so
 * nothing else in the file moves.
 */
#include <fcntl.h>
#include <gelf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvops.h"

static Elf *elf;
static int fd;

static Elf_Scn *section(const char *name, GElf_Shdr *sh)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	elf_getshdrstrndx(elf, &shstrndx);
	while ((scn = elf_nextscn(elf, scn))) {
		gelf_getshdr(scn, sh);
		if (!strcmp(elf_strptr(elf, shstrndx, sh->sh_name), name))
			return scn;
	}
	fprintf(stderr, "mangle: no section %s\n", name);
	exit(2);
}

static void put(off_t at, const void *buf, size_t n)
{
	if (pwrite(fd, buf, n, at) != (ssize_t)n) {
		perror("mangle: pwrite");
		exit(2);
	}
}

static void reloc_field(const char *rel, long index, int sym, unsigned long long value)
{
	GElf_Shdr sh;
	off_t at;

	section(rel, &sh);
	at = (off_t)(sh.sh_offset + (unsigned long long)index * sh.sh_entsize);
	if (sym) {
		uint64_t info;

		pread(fd, &info, 8, at + 8);
		info = (value << 32) | (info & 0xffffffffu);
		put(at + 8, &info, 8);
	} else {
		uint64_t off = value;

		put(at, &off, 8);
	}
}

static void site(long index, unsigned char byte)
{
	GElf_Shdr tsh, sh;
	struct pvops_site e;
	Elf_Scn *scn = NULL;
	uint64_t at;

	section(PVOPS_SECTION, &tsh);
	pread(fd, &e, sizeof(e), (off_t)(tsh.sh_offset + index * sizeof(e)));
	at = tsh.sh_addr + index * sizeof(e) + 4 + (int64_t)e.site;
	while ((scn = elf_nextscn(elf, scn))) {
		gelf_getshdr(scn, &sh);
		if (sh.sh_type == SHT_PROGBITS && at >= sh.sh_addr && at < sh.sh_addr + sh.sh_size) {
			unsigned char buf[PVOPS_MAX_LEN];

			memset(buf, byte, e.len);
			put((off_t)(sh.sh_offset + at - sh.sh_addr), buf, e.len);
			return;
		}
	}
	fprintf(stderr, "mangle: site 0x%llx not in the file\n", (unsigned long long)at);
	exit(2);
}

/* Elf64_Shdr field offsets and widths. */
static const struct { const char *name; int at, width; } shdr_fields[] = {
	{ "offset", 24, 8 }, { "size", 32, 8 }, { "link", 40, 4 }, { "info", 44, 4 },
	{ "align", 48, 8 },
};

static void shdr_field(const char *name, const char *field, unsigned long long value)
{
	GElf_Ehdr eh;
	GElf_Shdr sh;
	Elf_Scn *scn = section(name, &sh);

	gelf_getehdr(elf, &eh);
	for (size_t i = 0; i < sizeof(shdr_fields) / sizeof(shdr_fields[0]); i++)
		if (!strcmp(field, shdr_fields[i].name)) {
			put((off_t)(eh.e_shoff + elf_ndxscn(scn) * eh.e_shentsize + shdr_fields[i].at),
			    &value, (size_t)shdr_fields[i].width);
			return;
		}
	fprintf(stderr, "mangle: no section header field %s\n", field);
	exit(2);
}

static void sym_shndx(const char *name, unsigned long long value)
{
	GElf_Shdr sh;
	Elf_Scn *scn = section(".symtab", &sh);
	Elf_Data *d = elf_getdata(scn, NULL);
	uint16_t v = (uint16_t)value;

	for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
		GElf_Sym sym;

		gelf_getsym(d, (int)i, &sym);
		if (!strcmp(elf_strptr(elf, sh.sh_link, sym.st_name), name)) {
			put((off_t)(sh.sh_offset + i * sh.sh_entsize + 6), &v, 2);
			return;
		}
	}
	fprintf(stderr, "mangle: no symbol %s\n", name);
	exit(2);
}

#define FIELD(name) { #name, offsetof(struct pvops_site, name), \
		      sizeof(((struct pvops_site *)0)->name) }
static const struct { const char *name; size_t at, width; } entry_fields[] = {
	FIELD(magic), FIELD(version), FIELD(form), FIELD(site), FIELD(slot), FIELD(thunk),
	FIELD(len), FIELD(branch), FIELD(reg), FIELD(reserved), FIELD(written),
	{ "all", 0, sizeof(struct pvops_site) },
};

/* Where entry INDEX lies: in the file, and its address in the image. */
static off_t entry_at(long index, uint64_t *addr)
{
	GElf_Shdr sh;

	section(PVOPS_SECTION, &sh);
	if (index < 0 || (uint64_t)(index + 1) * sizeof(struct pvops_site) > sh.sh_size) {
		fprintf(stderr, "mangle: no entry %ld\n", index);
		exit(2);
	}
	*addr = sh.sh_addr + (uint64_t)index * sizeof(struct pvops_site);
	return (off_t)(sh.sh_offset + (uint64_t)index * sizeof(struct pvops_site));
}

static void entry_field(long index, const char *field, unsigned long long value, int to)
{
	uint64_t addr;
	off_t at = entry_at(index, &addr);

	for (size_t i = 0; i < sizeof(entry_fields) / sizeof(entry_fields[0]); i++) {
		uint8_t buf[sizeof(struct pvops_site)];
		uint64_t v = value;

		if (strcmp(field, entry_fields[i].name))
			continue;
		if (to)                                  /* self-relative to the field */
			v = value - (addr + entry_fields[i].at);
		for (size_t k = 0; k < entry_fields[i].width; k++)
			buf[k] = k < 8 ? (uint8_t)(v >> (8 * k)) : (uint8_t)v;
		put(at + (off_t)entry_fields[i].at, buf, entry_fields[i].width);
		return;
	}
	fprintf(stderr, "mangle: no entry field %s\n", field);
	exit(2);
}

/* Entry INDEX names the site, slot and thunk entry FROM names, with its shape. */
static void entry_copy(long index, long from)
{
	uint64_t a, b;
	off_t at = entry_at(index, &a), src = entry_at(from, &b);
	struct pvops_site e;
	int64_t d = (int64_t)(b - a);

	if (pread(fd, &e, sizeof(e), src) != (ssize_t)sizeof(e)) {
		perror("mangle: pread");
		exit(2);
	}
	e.site += (int32_t)d;
	e.slot += (int32_t)d;
	e.thunk += (e.form & PVOPS_KIND) == PVOPS_THUNK ? (int32_t)d : -e.thunk;
	put(at, &e, sizeof(e));
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: see the comment at the top of mangle.c\n");
		return 2;
	}
	elf_version(EV_CURRENT);
	fd = open(argv[2], O_RDWR);
	elf = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	if (!elf) {
		fprintf(stderr, "mangle: cannot open %s\n", argv[2]);
		return 2;
	}
	if (!strcmp(argv[1], "reloc-offset") && argc == 6)
		reloc_field(argv[3], atol(argv[4]), 0, strtoull(argv[5], NULL, 0));
	else if (!strcmp(argv[1], "reloc-sym") && argc == 6)
		reloc_field(argv[3], atol(argv[4]), 1, strtoull(argv[5], NULL, 0));
	else if (!strcmp(argv[1], "site"))
		site(atol(argv[3]), (unsigned char)strtoul(argv[4], NULL, 0));
	else if (!strcmp(argv[1], "shdr") && argc == 6)
		shdr_field(argv[3], argv[4], strtoull(argv[5], NULL, 0));
	else if (!strcmp(argv[1], "entry") && argc == 6)
		entry_field(atol(argv[3]), argv[4], strtoull(argv[5], NULL, 0), 0);
	else if (!strcmp(argv[1], "entry-to") && argc == 6)
		entry_field(atol(argv[3]), argv[4], strtoull(argv[5], NULL, 0), 1);
	else if (!strcmp(argv[1], "entry-copy"))
		entry_copy(atol(argv[3]), atol(argv[4]));
	else if (!strcmp(argv[1], "sym-shndx"))
		sym_shndx(argv[3], strtoull(argv[4], NULL, 0));
	else
		return 2;
	elf_end(elf);
	close(fd);
	return 0;
}
