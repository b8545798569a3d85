/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * outfile.h - outputs that appear whole or not at all: written to a
 * temporary file in the target's directory, renamed over it on success.
 * Only a regular file (or a new name) is ever replaced: a device, a FIFO
 * or an open descriptor (/dev/stdout, /dev/fd/N) is written directly, and
 * a symbolic link keeps pointing at the file it names.
 */
#ifndef PVLINK_OUTFILE_H
#define PVLINK_OUTFILE_H

#include <stdbool.h>

struct outfile {
	const char *path;
	char       *tmp;      /* the temporary file; NULL when written directly */
	char       *target;   /* what a symbolic link names, or NULL */
	int         fd;       /* what the writer writes to: always a seekable file */
	int         direct;   /* the device, FIFO or descriptor to copy it to, or -1 */
	bool        open;     /* created, neither committed nor aborted yet */
	bool        exec;     /* set before commit: an executable's mode (0777 & ~umask) */
};

/* Create the temporary file; prints one message and returns -1 on failure. */
int outfile_create(struct outfile *o, const char *path);

/* Give it its final name (after fsync-free close); -1 and a message on failure. */
int outfile_commit(struct outfile *o);

/*
 * Remove the temporary file (a direct output is only closed: what was
 * written to a device or pipe stays written); safe on a zeroed struct,
 * after a failed create or a commit.
 */
void outfile_abort(struct outfile *o);

#endif
