// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * alloc.c - memory allocation that keeps elf.h's promise of one message:
 * each wrapper prints `pvlink: error: out of memory` when the allocation
 * fails and returns NULL, so callers only pass the failure up.
 */
#include <stdlib.h>
#include <string.h>

#include "warn.h"

static void *checked(void *p)
{
	if (!p)
		ERROR(pvlink_prog, "out of memory");
	return p;
}

void *xmalloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

/* On failure the old block stays valid and owned by the caller. */
void *xrealloc(void *p, size_t size)
{
	return checked(realloc(p, size ? size : 1));
}

/* A copy of s; NULL for NULL without a message. */
char *xstrdup(const char *s)
{
	return s ? checked(strdup(s)) : NULL;
}
