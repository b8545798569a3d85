// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * outfile.c - atomic outputs.  The temporary file lives beside the target
 * so that rename() never crosses a file system, and it gets the mode a
 * plain open() would have given, not mkstemp's 0600.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "warn.h"

int outfile_create(struct outfile *o, const char *path)
{
	size_t len = strlen(path) + 16;

	o->path = path;
	o->fd = -1;
	o->tmp = malloc(len);
	if (!o->tmp) {
		ERROR(path, "cannot create output: out of memory");
		return -1;
	}
	snprintf(o->tmp, len, "%s.tmpXXXXXX", path);
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		ERROR(path, "cannot create output: %s", strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	return 0;
}

int outfile_commit(struct outfile *o)
{
	mode_t mask = umask(0);
	int ret = 0;

	umask(mask);
	if (fchmod(o->fd, 0666 & ~mask) || close(o->fd) || rename(o->tmp, o->path)) {
		ERROR(o->path, "cannot write output: %s", strerror(errno));
		ret = -1;
	}
	o->fd = -1;
	if (ret)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return ret;
}

void outfile_abort(struct outfile *o)
{
	if (!o->tmp)
		return;                 /* never created, or already committed */
	if (o->fd >= 0)
		close(o->fd);
	unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	o->fd = -1;
}
