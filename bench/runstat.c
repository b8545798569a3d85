// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * runstat.c - runs a command and appends its wall time and peak memory
 * to a file:
 *
 *   runstat OUT CMD [ARG]...     appends "SECONDS MAXRSS_KB STATUS\n" to OUT
 *
 * Peak memory is the child's ru_maxrss from wait4(), what /usr/bin/time
 * reports as "Maximum resident set size", without depending on that
 * package or parsing its output; the clock is CLOCK_MONOTONIC around
 * fork and wait, finer than time's 10 ms.  The command's own output is
 * left alone.  Exits with the command's status.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stats.h"

int main(int argc, char **argv)
{
	struct rusage ru;
	double t0, t1;
	FILE *out;
	pid_t pid;
	int status;

	if (argc < 3) {
		fprintf(stderr, "usage: runstat OUT CMD [ARG]...\n");
		return 2;
	}
	t0 = now();
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) {
		perror("runstat");
		return 2;
	}
	t1 = now();
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out = fopen(argv[1], "a");
	if (!out) {
		perror(argv[1]);
		return 2;
	}
	fprintf(out, "%.6f %ld %d\n", t1 - t0, ru.ru_maxrss, status);
	fclose(out);
	return status;
}
