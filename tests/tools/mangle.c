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
 *
 * The file is changed in place with pwrite(); libelf only reads it, so
 * nothing else in the file moves.
 */
#include <fcntl.h>
#include <gelf.h>
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
	else if (!strcmp(argv[1], "sym-shndx"))
		sym_shndx(argv[3], strtoull(argv[4], NULL, 0));
	else
		return 2;
	elf_end(elf);
	close(fd);
	return 0;
}
