/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * options.h - pvlink's command line: one table of options (options.c)
 * from which the parser, the check that an option applies to the
 * subcommand, and --help all come.
 */
#ifndef PVLINK_OPTIONS_H
#define PVLINK_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The subcommands, as bits: an option row names those it applies to. */
enum { CMD_TABLE = 1, CMD_VERIFY = 2, CMD_AUDIT = 4, CMD_PATCH = 8, CMD_ALL = 15 };

/* --fail-on's values, as bits of options.fail_on, in the row's order. */
enum { FAIL_UNPATCHABLE = 1, FAIL_RUNTIME_WRITES = 2 };

struct strlist {
	const char **v;
	size_t       n;
};

struct options {
	const struct command *cmd;
	const char    *in;          /* the first input */
	struct strlist inputs;      /* audit takes several */
	const char    *out;
	struct strlist ops;
	struct strlist init;        /* audit: functions that run once at start-up */
	struct strlist slots;       /* patch: --slot TABLE.FIELD=SYM */
	struct strlist addr_lists;  /* --addresses-only: sections that only list addresses */
	const char    *format;
	const char    *base_btf;    /* audit: base of modules' split BTF */
	unsigned       fail_on;
	bool           verbose, quiet, complete;
};

struct command {
	const char *name;
	unsigned    bit;            /* CMD_ */
	const char *synopsis;       /* what follows the name in the usage line */
	const char *about;          /* one paragraph for --help */
	int (*run)(struct options *o);
};

/*
 * Parse the arguments after the subcommand name (argv[0] is the name).
 * Returns 0; or, after the message (and the usage text for a usage
 * error), an exit code: EXIT_OK for --help, EXIT_BAD_INPUT otherwise.
 * options_free() releases what it allocated, in every case.
 */
int options_parse(int argc, char **argv, const struct command *cmd, struct options *o);
void options_free(struct options *o);

/* The usage text: every command, or only `only` when it is not NULL. */
void options_usage(FILE *f, const struct command *cmds, size_t ncmds,
		   const struct command *only);

#endif
