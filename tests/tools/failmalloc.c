// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * failmalloc.c - an LD_PRELOAD shim for allocation-failure tests: the
 * FAILMALLOC_AT-th call (1-based) to malloc, calloc, realloc or strdup
 * made by the program itself returns NULL with ENOMEM, and every later
 * one succeeds again.  Only calls from the main executable's code count:
 * what the libraries do when their own allocations fail is theirs
 * (Capstone 4's cs_open() and libelf's elf_newdata() crash).  With FAILMALLOC_COUNT=FILE set, the
 * number of calls made is written to FILE at exit instead.
 * FAILMALLOC_TRACE=1 prints the failing call's stack to stderr (for
 * finding the caller that did not report it).
 *
 * glibc's own entry points (__libc_malloc ...) do the real work, so no
 * dlsym() is needed (dlsym itself allocates).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static unsigned long calls, fail_at;
static uintptr_t text_lo, text_hi;      /* the main executable's code */
static int armed, trace;

/* The first object dl_iterate_phdr() reports is the executable. */
static int find_text(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size, (void)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			text_lo = info->dlpi_addr + ph->p_vaddr;
			text_hi = text_lo + ph->p_memsz;
		}
	}
	return 1;
}

/* Runs after the libraries' constructors (priority 65535 is last). */
__attribute__((constructor(65535))) static void arm(void)
{
	const char *at = getenv("FAILMALLOC_AT");

	void *warm[1];

	fail_at = at ? strtoul(at, NULL, 10) : 0;
	trace = getenv("FAILMALLOC_TRACE") != NULL;
	if (trace)
		backtrace(warm, 1);     /* loads libgcc now, not while failing */
	dl_iterate_phdr(find_text, NULL);
	armed = 1;
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("FAILMALLOC_COUNT");
	FILE *f;

	armed = 0;
	if (path && (f = fopen(path, "w"))) {
		fprintf(f, "%lu\n", calls);
		fclose(f);
	}
}

static int fail_now(void *caller)
{
	if (!armed || (uintptr_t)caller < text_lo || (uintptr_t)caller >= text_hi)
		return 0;
	if (++calls != fail_at)
		return 0;
	if (trace) {
		void *frames[32];

		backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
	}
	errno = ENOMEM;
	return 1;
}

#define CALLER __builtin_return_address(0)

void *malloc(size_t n)
{
	return fail_now(CALLER) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	return fail_now(CALLER) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	return fail_now(CALLER) ? NULL : __libc_realloc(p, n);
}

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = fail_now(CALLER) ? NULL : __libc_malloc(n);

	return d ? memcpy(d, s, n) : NULL;
}
