// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * srcloc.c - source positions for report rows, through libbfd: the
 * nearest-line and inliner lookups that addr2line uses, and its demangler.
 *
 * libbfd reads the DWARF line tables itself and, for relocatable
 * objects, applies the debug sections' relocations first, so one code
 * path serves objects, archive members and linked images.
 */
#define PACKAGE "pvlink"          /* bfd.h insists on a configured package */
#define PACKAGE_VERSION "0.1"
#include <bfd.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srcloc.h"
#include "warn.h"

/* libiberty's demangler options (demangle.h is not installed). */
#define DMGL_PARAMS (1 << 0)
#define DMGL_ANSI   (1 << 1)

struct srcloc_ctx {
	bfd      *archive;
	bfd      *abfd;
	asymbol **syms;
	asymbol **line_syms;    /* what bfd_find_nearest_line gets */
	bool      debug;
};

static bool has_debug_info(bfd *abfd)
{
	return bfd_get_section_by_name(abfd, ".debug_info") != NULL;
}

static bfd *open_member(bfd *archive, const char *member)
{
	bfd *m = NULL;

	while ((m = bfd_openr_next_archived_file(archive, m)))
		if (!strcmp(bfd_get_filename(m), member))
			return m;
	return NULL;
}

static bool read_symbols(struct srcloc_ctx *c)
{
	long size;

	if (!(bfd_get_file_flags(c->abfd) & HAS_SYMS))
		return true;
	size = bfd_get_symtab_upper_bound(c->abfd);
	if (size <= 0)
		return size == 0;
	c->syms = pvmalloc((size_t)size);
	return c->syms && bfd_canonicalize_symtab(c->abfd, c->syms) >= 0;
}

/*
 * libbfd prints its own complaints about odd debug info to stderr; for
 * pvlink they only mean "no line information", which the report shows.
 */
static void quiet(const char *fmt, va_list ap)
{
	(void)fmt, (void)ap;
}

/*
 * bfd_check_format() keeps the warnings of every format it tried and
 * prints the winner's straight to stderr, past the error handler; while
 * it runs, stderr goes to /dev/null.  Returns the saved stderr, or -1.
 */
static int silence_stderr(void)
{
	int saved, null;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	null = open("/dev/null", O_WRONLY);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return saved;
}

static void restore_stderr(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

static bool check_format(bfd *abfd, bfd_format format)
{
	int saved = silence_stderr();
	bool ok = bfd_check_format(abfd, format);

	restore_stderr(saved);
	return ok;
}

struct srcloc_ctx *srcloc_open(const char *path, const char *member)
{
	struct srcloc_ctx *c = pvcalloc(1, sizeof(*c));
	bfd *abfd;

	if (!c)
		return NULL;
	bfd_init();
	bfd_set_error_handler(quiet);
	abfd = bfd_openr(path, NULL);
	if (!abfd)
		goto fail;
	if (member) {
		c->archive = abfd;
		if (!check_format(abfd, bfd_archive) || !(abfd = open_member(abfd, member)))
			goto fail;
	}
	c->abfd = abfd;
	if (!check_format(abfd, bfd_object) || !read_symbols(c))
		goto fail;
	c->debug = has_debug_info(abfd);
	/*
	 * An object's debug sections need the symbol table to be relocated.
	 * A linked image's are final, and given symbols, libbfd answers an
	 * address the line tables do not cover by scanning all of them: once
	 * per lookup, quadratic over an image built partly without -g.
	 */
	c->line_syms = bfd_get_file_flags(abfd) & (EXEC_P | DYNAMIC) ? NULL : c->syms;
	return c;
fail:
	srcloc_close(c);
	return NULL;
}

void srcloc_close(struct srcloc_ctx *c)
{
	if (!c)
		return;
	free(c->syms);
	if (c->archive)
		bfd_close(c->archive);         /* closes its members too */
	else if (c->abfd)
		bfd_close(c->abfd);
	free(c);
}

bool srcloc_has_debug(const struct srcloc_ctx *c)
{
	return c && c->debug;
}

/* The bfd section for an ELF section: same file position and size. */
static asection *find_bfd_section(bfd *abfd, uint64_t filepos, uint64_t size)
{
	for (asection *s = abfd->sections; s; s = s->next)
		if ((uint64_t)s->filepos == filepos && bfd_section_size(s) == size)
			return s;
	return NULL;
}

/* " <- caller (file.c:12)": where the code before it was inlined. */
static void append(char *buf, size_t size, const char *func, const char *file, unsigned line)
{
	size_t n = strlen(buf);
	const char *base = file ? strrchr(file, '/') : NULL;

	snprintf(buf + n, size - n, " <- %s (%s:%u)", func ? func : "?",
		 base ? base + 1 : file ? file : "?", line);
}

int srcloc_find(struct srcloc_ctx *c, uint64_t filepos, uint64_t size, uint64_t off,
		struct srcloc *out)
{
	const char *file = NULL, *func = NULL;
	unsigned line = 0, disc = 0;
	asection *sec;

	memset(out, 0, sizeof(*out));
	if (!c || !c->debug || !(sec = find_bfd_section(c->abfd, filepos, size)))
		return -1;
	if (!bfd_find_nearest_line_discriminator(c->abfd, sec, c->line_syms, off, &file, &func,
						 &line, &disc) || !file)
		return -1;
	snprintf(out->file, sizeof(out->file), "%s", file);
	out->line = line;
	/* Innermost first: the function the code was written in, then each
	   caller it was inlined into, with the line of that call. */
	snprintf(out->inlined, sizeof(out->inlined), "%s", func ? func : "?");
	while (bfd_find_inliner_info(c->abfd, &file, &func, &line))
		append(out->inlined, sizeof(out->inlined), func, file, line);
	if (!strchr(out->inlined, '<'))
		out->inlined[0] = '\0';                /* not inlined */
	return 0;
}

char *srcloc_demangle(struct srcloc_ctx *c, const char *name)
{
	char *d = c ? bfd_demangle(c->abfd, name, DMGL_PARAMS | DMGL_ANSI) : NULL;

	return d ? d : pvstrdup(name);
}
