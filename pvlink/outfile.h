/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * outfile.h - outputs that appear whole or not at all: written to a
 * temporary file in the target's directory, renamed over it on success.
 */
#ifndef PVLINK_OUTFILE_H
#define PVLINK_OUTFILE_H

struct outfile {
	const char *path;
	char       *tmp;
	int         fd;
};

/* Create the temporary file; prints one message and returns -1 on failure. */
int outfile_create(struct outfile *o, const char *path);

/* Give it its final name (after fsync-free close); -1 and a message on failure. */
int outfile_commit(struct outfile *o);

/* Remove the temporary file; safe after a failed create or a commit. */
void outfile_abort(struct outfile *o);

#endif
