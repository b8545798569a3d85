// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * outfile.c - atomic outputs.  The temporary file lives beside the target
 * so that rename() never crosses a file system, and it gets the mode a
 * plain open() would have given, not mkstemp's 0600.  A run stopped by
 * SIGINT, SIGTERM or SIGHUP removes its temporary file on the way out;
 * SIGXFSZ is ignored so that exceeding a file-size limit is a write
 * error like a full disk, with the same cleanup.  (SIGKILL cannot be
 * caught: it may leave the temporary file, never a partial output.)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "warn.h"

/* The temporary file being written, for the signal handler. */
static char *volatile active_tmp;

static void remove_on_signal(int sig)
{
	char *tmp = active_tmp;

	if (tmp)
		unlink(tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	static int done;

	if (done++)
		return;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], remove_on_signal);
	signal(SIGXFSZ, SIG_IGN);
}

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
	catch_signals();
	active_tmp = o->tmp;
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		ERROR(path, "cannot create output: %s", strerror(errno));
		active_tmp = NULL;
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
	active_tmp = NULL;
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
	active_tmp = NULL;
	free(o->tmp);
	o->tmp = NULL;
	o->fd = -1;
}
