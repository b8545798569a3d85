// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * outfile.c - atomic outputs.  The temporary file lives beside the target
 * so that rename() never crosses a file system, and it gets the mode a
 * plain open() would have given, not mkstemp's 0600.  A run stopped by
 * SIGINT, SIGTERM or SIGHUP removes its temporary file on the way out;
 * SIGXFSZ is ignored so that exceeding a file-size limit is a write
 * error like a full disk, with the same cleanup.  (SIGKILL cannot be
 * caught: it may leave the temporary file, never a partial output.)
 *
 * rename() replaces whatever the name holds, so it is used only where
 * that is a regular file or nothing: `-o /dev/null` run as root must not
 * turn the device into a file.  Anything else that exists (a character
 * or block device, a FIFO) is opened and written in place, and so is an
 * already open descriptor named as /dev/stdout, /dev/stderr, /dev/fd/N or
 * /proc/self/fd/N, through a dup() that keeps its offset and O_APPEND.
 * The output is still built in a file first (an anonymous one: libelf
 * needs to seek and truncate, which a pipe or a device cannot) and copied
 * on commit, so a failed run writes nothing there either.  A symbolic
 * link is followed: the file it names is replaced, the link stays.
 */
#define _GNU_SOURCE             /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* The descriptor a path names (/dev/stdout, /dev/fd/3, ...), or -1. */
static int named_descriptor(const char *path)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/" };
	char *end;
	long n;

	if (!strcmp(path, "/dev/stdout"))
		return 1;
	if (!strcmp(path, "/dev/stderr"))
		return 2;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t len = strlen(dirs[i]);

		if (strncmp(path, dirs[i], len) || !path[len])
			continue;
		n = strtol(path + len, &end, 10);
		if (!*end && n >= 0 && n <= INT_MAX)
			return (int)n;
	}
	return -1;
}

/* Write in place: a descriptor, a device or a FIFO (see the top). */
static int open_direct(struct outfile *o, int named)
{
	o->direct = named >= 0 ? dup(named) : open(o->path, O_WRONLY | O_TRUNC | O_NOCTTY);
	if (o->direct < 0) {
		ERROR(o->path, "cannot open output: %s", strerror(errno));
		return -1;
	}
	o->fd = memfd_create("pvlink-output", MFD_CLOEXEC);
	if (o->fd < 0) {
		ERROR(o->path, "cannot create output: %s", strerror(errno));
		close(o->direct);
		o->direct = -1;
		return -1;
	}
	o->open = true;
	return 0;
}

/* The whole of the anonymous file, to the direct output. */
static int copy_out(struct outfile *o)
{
	char buf[65536];
	ssize_t n, done;
	off_t off = 0;

	while ((n = pread(o->fd, buf, sizeof(buf), off)) > 0) {
		for (ssize_t k = 0; k < n; k += done) {
			done = write(o->direct, buf + k, (size_t)(n - k));
			if (done < 0 && errno == EINTR)
				done = 0;
			else if (done < 0)
				return -1;
		}
		off += n;
	}
	return n < 0 ? -1 : 0;
}

static int create_temporary(struct outfile *o, const char *target)
{
	size_t len = strlen(target) + 16;

	o->tmp = pvmalloc(len);
	if (!o->tmp)
		return -1;
	snprintf(o->tmp, len, "%s.tmpXXXXXX", target);
	catch_signals();
	active_tmp = o->tmp;
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		ERROR(o->path, "cannot create output: %s", strerror(errno));
		active_tmp = NULL;
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	o->open = true;
	return 0;
}

int outfile_create(struct outfile *o, const char *path)
{
	int named = named_descriptor(path);
	struct stat st, lst;

	*o = (struct outfile){ .path = path, .fd = -1, .direct = -1 };
	if (named >= 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
		return open_direct(o, named);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		ERROR(path, "cannot create output: %s", strerror(EISDIR));
		return -1;
	}
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		o->target = realpath(path, NULL);
		if (!o->target) {
			ERROR(path, "cannot create output: %s", strerror(errno));
			return -1;
		}
	}
	if (create_temporary(o, o->target ? o->target : path)) {
		free(o->target);
		o->target = NULL;
		return -1;
	}
	return 0;
}

static void release(struct outfile *o)
{
	active_tmp = NULL;
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
	o->fd = o->direct = -1;
	o->open = false;
}

int outfile_commit(struct outfile *o)
{
	mode_t mask = umask(0);
	int ret = 0;

	umask(mask);
	if (!o->open)
		return -1;
	if (!o->tmp) {
		if (copy_out(o) || close(o->direct)) {
			ERROR(o->path, "cannot write output: %s", strerror(errno));
			ret = -1;
		}
		close(o->fd);
	} else if (fchmod(o->fd, (o->exec ? 0777 : 0666) & ~mask) || close(o->fd) ||
		   rename(o->tmp, o->target ? o->target : o->path)) {
		ERROR(o->path, "cannot write output: %s", strerror(errno));
		unlink(o->tmp);
		ret = -1;
	}
	release(o);
	return ret;
}

void outfile_abort(struct outfile *o)
{
	if (!o->open) {
		free(o->target);        /* never created, or already committed */
		o->target = NULL;
		return;
	}
	if (o->fd >= 0)
		close(o->fd);
	if (o->direct >= 0)
		close(o->direct);
	if (o->tmp)
		unlink(o->tmp);
	release(o);
}
