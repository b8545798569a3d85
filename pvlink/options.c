// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * options.c - the option table.  Each row says what an option is called,
 * what it takes, where the value goes, which subcommands it applies to
 * and what --help says about it; the getopt_long() tables, the check
 * that rejects an option the subcommand does not use, and the usage text
 * are all built from it, so an option is added with one row (and the
 * field of struct options that receives it).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "warn.h"

enum opt_kind {
	OPT_FLAG,       /* bool */
	OPT_STRING,     /* const char *; the last one given wins */
	OPT_LIST,       /* struct strlist; repeatable */
	OPT_CHOICE,     /* const char *, one of choices */
	OPT_BITS,       /* unsigned, bit i for choice i; repeatable */
	OPT_HELP,
};

struct opt {
	const char   *name;
	char          short_name;   /* or 0 */
	const char   *arg;          /* the argument's name in --help; NULL: none */
	enum opt_kind kind;
	size_t        field;        /* offsetof(struct options, ...) */
	const char   *choices;      /* OPT_CHOICE, OPT_BITS: "a|b|c" */
	unsigned      cmds;         /* CMD_ bits */
	const char   *help;
};

#define FIELD(f) offsetof(struct options, f)

static const struct opt opts[] = {
	{ "ops", 0, "SYM", OPT_LIST, FIELD(ops), NULL, CMD_ALL,
	  "an ops table (repeatable); tables marked with PVOPS_TABLE() in C are found "
	  "without it; a table an input does not know is no error; patch takes "
	  "TABLE=TEMPLATE: every slot of TABLE holds what the object TEMPLATE holds" },
	{ "slot", 0, "T.F=SYM", OPT_LIST, FIELD(slots), NULL, CMD_PATCH,
	  "slot F of table T holds function SYM (F a field name from debug info, or "
	  "T+0xOFF=SYM; repeatable; overrides --ops)" },
	{ "output", 'o', "FILE", OPT_STRING, FIELD(out), NULL, CMD_TABLE | CMD_AUDIT | CMD_PATCH,
	  "the output object (table), image (patch) or report (audit: standard output by default or "
	  "with -o -); a device, FIFO or symbolic link is written through, never replaced" },
	{ "format", 0, "F", OPT_CHOICE, FIELD(format), "text|json|html", CMD_AUDIT,
	  "the report as text (default), json or html" },
	{ "fail-on", 0, "W", OPT_BITS, FIELD(fail_on), "unpatchable|runtime-writes", CMD_AUDIT,
	  "exit 1 when there are unpatchable call sites, or writes to ops fields (or the "
	  "table's address taken) outside init code (repeatable)" },
	{ "init", 0, "SYM", OPT_LIST, FIELD(init), NULL, CMD_AUDIT,
	  "count SYM's writes (and gcc's clones of it) as init writes (repeatable); "
	  "functions marked PVOPS_INIT are found without it" },
	{ "base-btf", 0, "FILE", OPT_STRING, FIELD(base_btf), NULL, CMD_AUDIT,
	  "read modules' split BTF on top of FILE, a vmlinux or /sys/kernel/btf/vmlinux "
	  "(field names without DWARF)" },
	{ "addresses-only", 0, "SECTION", OPT_LIST, FIELD(addr_lists), NULL,
	  CMD_TABLE | CMD_VERIFY | CMD_AUDIT,
	  "SECTION's relocations list code addresses for another tool, which never "
	  "branches to them: they are not ways into code (repeatable; Linux's and "
	  "objtool's lists are known, see pvlink(1))" },
	{ "complete", 0, NULL, OPT_FLAG, FIELD(complete), NULL, CMD_VERIFY,
	  "fail when completeness cannot be checked (no -Wl,--emit-relocs)" },
	{ "verbose", 'v', NULL, OPT_FLAG, FIELD(verbose), NULL, CMD_ALL,
	  "list every reference and what pvlink decided (table, verify), every site and "
	  "what it became (patch); say which "
	  "inputs do not know a named table" },
	{ "quiet", 'q', NULL, OPT_FLAG, FIELD(quiet), NULL, CMD_ALL,
	  "print nothing but errors (audit: no report on standard output)" },
	{ "help", 'h', NULL, OPT_HELP, 0, NULL, CMD_ALL, "this text" },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* The row of a getopt_long() result: long options return 256 + row. */
static const struct opt *find_opt(int c)
{
	if (c >= 256 && c < 256 + (int)NOPTS)
		return &opts[c - 256];
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].short_name && opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

/* Index of arg among "a|b|c", or -1. */
static int choice_index(const char *choices, const char *arg)
{
	size_t len = strlen(arg);
	int i = 0;

	for (const char *p = choices; p; p = strchr(p, '|'), p = p ? p + 1 : p, i++)
		if (!strncmp(p, arg, len) && (p[len] == '|' || !p[len]))
			return i;
	return -1;
}

static int bad_choice(const struct opt *op)
{
	char list[128];
	size_t n = 0;

	for (const char *p = op->choices; *p && n + 5 < sizeof(list); p++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, *p == '|' ? ", " : "%c", *p);
	fprintf(stderr, "pvlink: --%s takes %s\n", op->name, list);
	return -1;
}

static int store(const struct opt *op, struct options *o, const char *arg)
{
	char *field = (char *)o + op->field;
	int i;

	switch (op->kind) {
	case OPT_FLAG: *(bool *)field = true; return 0;
	case OPT_STRING: *(const char **)field = arg; return 0;
	case OPT_LIST: {
		struct strlist *l = (struct strlist *)field;

		l->v[l->n++] = arg;     /* sized for every argument */
		return 0;
	}
	case OPT_CHOICE:
	case OPT_BITS:
		i = choice_index(op->choices, arg);
		if (i < 0)
			return bad_choice(op);
		if (op->kind == OPT_CHOICE)
			*(const char **)field = arg;
		else
			*(unsigned *)field |= 1u << i;
		return 0;
	case OPT_HELP: break;
	}
	return 0;
}

/* getopt_long()'s tables, built from opts[]. */
static void getopt_tables(struct option *longopts, char *shortopts)
{
	size_t n = 0;

	shortopts[n++] = ':';   /* a missing argument returns ':' */
	for (size_t i = 0; i < NOPTS; i++) {
		longopts[i] = (struct option){ opts[i].name,
					       opts[i].arg ? required_argument : no_argument,
					       NULL, 256 + (int)i };
		if (opts[i].short_name) {
			shortopts[n++] = opts[i].short_name;
			if (opts[i].arg)
				shortopts[n++] = ':';
		}
	}
	longopts[NOPTS] = (struct option){ 0 };
	shortopts[n] = '\0';
}

/* 0, or 1 for --help, or -1 after the message. */
static int parse_options(int argc, char **argv, const struct command *cmd, struct options *o)
{
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2];
	const struct opt *op;
	int c;

	getopt_tables(longopts, shortopts);
	optind = 1;
	opterr = 0;             /* its messages would name the subcommand as the program */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		op = find_opt(c == ':' ? optopt : c);
		if (c == ':' && op) {
			fprintf(stderr, "pvlink: %s: --%s needs an argument\n", cmd->name, op->name);
			return -1;
		}
		if (!op) {
			fprintf(stderr, "pvlink: %s: unknown option %s\n", cmd->name, argv[optind - 1]);
			return -1;
		}
		if (!(op->cmds & cmd->bit)) {
			fprintf(stderr, "pvlink: %s: --%s does not apply to %s\n", cmd->name,
				op->name, cmd->name);
			return -1;
		}
		if (op->kind == OPT_HELP)
			return 1;
		if (store(op, o, optarg))
			return -1;
	}
	return 0;
}

int options_parse(int argc, char **argv, const struct command *cmd, struct options *o)
{
	int ret;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	/* every list sized for every argument */
	o->ops.v = pvcalloc((size_t)argc, sizeof(*o->ops.v));
	o->init.v = pvcalloc((size_t)argc, sizeof(*o->init.v));
	o->slots.v = pvcalloc((size_t)argc, sizeof(*o->slots.v));
	o->addr_lists.v = pvcalloc((size_t)argc, sizeof(*o->addr_lists.v));
	if (!o->ops.v || !o->init.v || !o->slots.v || !o->addr_lists.v)
		return EXIT_BAD_INPUT;
	ret = parse_options(argc, argv, cmd, o);
	if (ret)
		return ret > 0 ? EXIT_OK : EXIT_BAD_INPUT;
	if (optind >= argc) {
		fprintf(stderr, "pvlink: %s: no input file\n", cmd->name);
		return EXIT_BAD_INPUT;
	}
	o->in = argv[optind];
	o->inputs.v = (const char **)argv + optind;
	o->inputs.n = (size_t)(argc - optind);
	return 0;
}

void options_free(struct options *o)
{
	free(o->ops.v);
	free(o->init.v);
	free(o->slots.v);
	free(o->addr_lists.v);
	o->ops.v = NULL;
	o->init.v = NULL;
	o->slots.v = NULL;
	o->addr_lists.v = NULL;
}

/* text from column `col`, wrapped at 79 columns with continuation lines at `indent` */
static void wrap(FILE *f, const char *text, int col, int indent)
{
	while (*text) {
		int len = (int)strcspn(text, " ");

		if (col > indent && col + 1 + len > 79) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		col += fprintf(f, "%.*s", len, text);
		text += len;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

/* "(table, audit)": where an option applies, when not everywhere. */
static void applies_to(char *buf, size_t size, unsigned cmds, const struct command *c, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	if (cmds == CMD_ALL)
		return;
	for (size_t i = 0; i < n; i++)
		if (cmds & c[i].bit)
			used += (size_t)snprintf(buf + used, size - used, "%s%s",
						 used ? ", " : "(", c[i].name);
	snprintf(buf + used, size - used, ")");
}

static void usage_options(FILE *f, const struct command *cmds, size_t n,
			  const struct command *only)
{
	char left[64], where[64], help[512];

	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt *op = &opts[i];

		if (only && !(op->cmds & only->bit))
			continue;
		snprintf(left, sizeof(left), "  %c%c%s--%s%s%s", op->short_name ? '-' : ' ',
			 op->short_name ? op->short_name : ' ', op->short_name ? ", " : "  ",
			 op->name, op->arg ? " " : "", op->arg ? op->arg : "");
		applies_to(where, sizeof(where), only ? CMD_ALL : op->cmds, cmds, n);
		snprintf(help, sizeof(help), "%s%s%s", op->help, *where ? " " : "", where);
		/* a long option name gets its own line, the text its column */
		if (strlen(left) >= 21)
			fprintf(f, "%s\n%22s", left, "");
		else
			fprintf(f, "%-22s", left);
		wrap(f, help, 22, 22);
	}
}

void options_usage(FILE *f, const struct command *cmds, size_t n, const struct command *only)
{
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		if (only && &cmds[i] != only)
			continue;
		fprintf(f, "%s pvlink %s %s [OPTION]...\n", first ? "usage:" : "      ",
			cmds[i].name, cmds[i].synopsis);
		first = false;
	}
	if (!only)
		fprintf(f, "       pvlink --help | --version\n");
	fputc('\n', f);
	for (size_t i = 0; i < n; i++) {
		if (only && &cmds[i] != only)
			continue;
		fprintf(f, "  %-7s ", cmds[i].name);
		wrap(f, cmds[i].about, 10, 10);
	}
	fputc('\n', f);
	usage_options(f, cmds, n, only);
	fprintf(f, "\nExit status: 0 ok, 1 verify found a mismatch or audit a --fail-on\n"
		"finding, 2 usage or input error.\nSee pvlink(1).\n");
}
