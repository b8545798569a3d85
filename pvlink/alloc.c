// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * alloc.c - memory allocation that keeps elf.h's promise of one message:
 * each wrapper prints `pvlink: error: out of memory` when the allocation
 * fails and returns NULL, so callers only pass the failure up.  Some
 * callers carry on without what they could not allocate (a source line,
 * a field name); pvlink_out_of_memory() tells main.c, which then fails
 * the run before anything is written, and prints no second message.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "warn.h"

static bool failed;

static void *checked(void *p)
{
	if (!p && !failed)
		ERROR(pvlink_prog, "out of memory");
	if (!p)
		failed = true;
	return p;
}

bool pvlink_out_of_memory(void)
{
	return failed;
}

void *pvmalloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *pvcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

/* On failure the old block stays valid and owned by the caller. */
void *pvrealloc(void *p, size_t size)
{
	return checked(realloc(p, size ? size : 1));
}

/* A copy of s; NULL for NULL without a message. */
char *pvstrdup(const char *s)
{
	return s ? checked(strdup(s)) : NULL;
}
