/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * srcloc.h - source file, line and inline chain of a code address (libbfd).
 */
#ifndef PVLINK_SRCLOC_H
#define PVLINK_SRCLOC_H

#include <stdbool.h>
#include <stdint.h>

struct srcloc {
	char     file[256];
	unsigned line;
	char     inlined[512];  /* "inner <- caller (file.c:12) <- ...", or "" */
};

struct srcloc_ctx;

/* Open path (or member of archive path); NULL if libbfd cannot read it. */
struct srcloc_ctx *srcloc_open(const char *path, const char *member);
void srcloc_close(struct srcloc_ctx *c);
bool srcloc_has_debug(const struct srcloc_ctx *c);

/*
 * Look up offset off in the section at file position filepos with the
 * given size (how an ELF section is matched to libbfd's).  Returns 0 and
 * fills out, or -1 when there is no line information.
 */
int srcloc_find(struct srcloc_ctx *c, uint64_t filepos, uint64_t size, uint64_t off,
		struct srcloc *out);

/* The demangled name (C++), or a copy of name; the caller frees it. */
char *srcloc_demangle(struct srcloc_ctx *c, const char *name);

#endif
