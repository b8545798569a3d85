/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * warn.h - pvlink's diagnostics.
 *
 * Every message is one line on stderr shaped `FILE: error: WHERE: WHAT`
 * (WHERE is a symbol+offset or section+offset when there is one), so that
 * build logs can be grepped and each message looked up in
 * Documentation/diagnostics.md.
 */
#ifndef PVLINK_WARN_H
#define PVLINK_WARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes, as elfutils: ok / refused / bad usage or unreadable input. */
enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_BAD_INPUT = 2 };

extern const char *pvlink_prog;

#define ERROR(file, fmt, ...) \
	fprintf(stderr, "%s: error: " fmt "\n", (file), ##__VA_ARGS__)
#define WARN(file, fmt, ...) \
	fprintf(stderr, "%s: warning: " fmt "\n", (file), ##__VA_ARGS__)
#define NOTE(file, fmt, ...) \
	fprintf(stderr, "%s: note: " fmt "\n", (file), ##__VA_ARGS__)

/* libelf's own reason, for every libelf failure. */
#define ERROR_ELF(file, what) \
	ERROR(file, "%s: %s", (what), elf_errmsg(-1))

/*
 * Allocation that prints the one message itself (alloc.c): NULL after
 * `pvlink: error: out of memory`.  A zero size allocates one byte, so
 * NULL always means failure.  (Not called xmalloc: libbfd exports
 * libiberty's xmalloc, which exits on failure, and calls it itself.)
 */
void *pvmalloc(size_t size);
void *pvcalloc(size_t n, size_t size);
void *pvrealloc(void *p, size_t size);
char *pvstrdup(const char *s);
/* Whether any of them failed: the run then fails, whatever it did next. */
bool pvlink_out_of_memory(void);

#endif
