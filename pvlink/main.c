// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * main.c - pvlink's command line: subcommands, options, exit codes.
 *
 *   pvlink table IN.o -o OUT.o [--ops SYM]...   add the patch table
 *   pvlink verify IMAGE [--ops SYM]...          check it after the final link
 *
 * Exit codes: 0 done, 1 refused (verify found a mismatch), 2 bad usage or
 * unusable input.
 */
#include <getopt.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "table.h"
#include "warn.h"

#ifndef PVLINK_VERSION
#define PVLINK_VERSION "0.1"
#endif

const char *pvlink_prog = "pvlink";

struct options {
	const char  *in, *out;
	const char **ops;
	size_t       nops;
	bool         verbose, quiet, complete;
};

static const char usage_text[] =
	"usage: pvlink table IN.o -o OUT.o [--ops SYM]... [-v | -q]\n"
	"       pvlink verify IMAGE [--ops SYM]... [--complete] [-v | -q]\n"
	"       pvlink --help | --version\n"
	"\n"
	"  table    find the calls through ops tables in a relocatable object\n"
	"           (a unit, a kernel's ld -r output, a module) and write OUT.o:\n"
	"           IN.o plus a patch table the final link resolves\n"
	"  verify   check the patch table of a linked image against its code;\n"
	"           with -Wl,--emit-relocs also check that no site was missed\n"
	"\n"
	"  --ops SYM     an ops table (repeatable); tables marked with\n"
	"                PVOPS_TABLE() in C are found without it\n"
	"  -o FILE       output object (table)\n"
	"  --complete    fail when completeness cannot be checked (verify)\n"
	"  -v            list every reference and what pvlink decided\n"
	"  -q            print nothing but errors\n"
	"\n"
	"Exit status: 0 ok, 1 verify found a mismatch, 2 usage or input error.\n"
	"See pvlink(1).\n";

static int usage(int status)
{
	fputs(usage_text, status ? stderr : stdout);
	return status;
}

static int parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "ops", required_argument, NULL, 'O' },
		{ "output", required_argument, NULL, 'o' },
		{ "complete", no_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->ops = calloc((size_t)argc, sizeof(*o->ops));
	if (!o->ops)
		return -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'O': o->ops[o->nops++] = optarg; break;
		case 'o': o->out = optarg; break;
		case 'C': o->complete = true; break;
		case 'v': o->verbose = true; break;
		case 'q': o->quiet = true; break;
		case 'h': exit(usage(EXIT_OK));
		default: return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "pvlink: %s\n", optind < argc ? "one input file, please"
							     : "no input file");
		return -1;
	}
	o->in = argv[optind];
	return 0;
}

static void print_summary(struct elf *e, const struct options *o, const struct refs *refs)
{
	size_t patchable = 0;

	for (size_t i = 0; i < refs->n; i++)
		patchable += refs->r[i].patchable;
	if (o->verbose)
		for (size_t i = 0; i < refs->n; i++)
			report_ref_line(stdout, e, &refs->r[i]);
	printf("%s: %zu references, %zu patchable, %zu not patchable\n", o->out,
	       refs->n, patchable, refs->n - patchable);
}

static int cmd_table(struct options *o)
{
	struct elf e;
	struct ops_set ops = { 0 };
	struct refs refs = { 0 };
	int ret = EXIT_BAD_INPUT;

	if (!o->out) {
		fprintf(stderr, "pvlink: table needs -o OUT.o\n");
		return usage(EXIT_BAD_INPUT);
	}
	if (elf_open_read(&e, o->in))
		goto out;
	if (e.linked) {
		ERROR(o->in, "is a linked image: run pvlink table on the relocatable object "
		      "before the final link");
		goto out;
	}
	if (find_section_by_name(&e, PVOPS_SECTION)) {
		ERROR(o->in, "already has a pvlink table (section %s)", PVOPS_SECTION);
		goto out;
	}
	if (ops_resolve(&e, o->ops, o->nops, &ops, true) || scan_object(&e, &ops, &refs) ||
	    table_write(&e, &refs, o->out))
		goto out;
	if (!o->quiet)
		print_summary(&e, o, &refs);
	ret = EXIT_OK;
out:
	refs_free(&refs);
	ops_free(&ops);
	elf_close(&e);
	return ret;
}

static int cmd_verify(struct options *o)
{
	struct verify_opts vo = { o->ops, o->nops, o->complete, o->quiet, o->verbose };
	struct elf e;
	int ret = EXIT_BAD_INPUT;

	if (!elf_open_read(&e, o->in))
		ret = table_verify(&e, &vo);
	elf_close(&e);
	return ret;
}

static const struct command {
	const char *name;
	int (*run)(struct options *o);
} commands[] = {
	{ "table", cmd_table },
	{ "verify", cmd_verify },
};

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int ret;

	if (argc < 2)
		return usage(EXIT_BAD_INPUT);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(EXIT_OK);
	if (!strcmp(argv[1], "--version")) {
		printf("pvlink %s\n", PVLINK_VERSION);
		return EXIT_OK;
	}
	elf_version(EV_CURRENT);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (parse(argc - 1, argv + 1, &o))
			return usage(EXIT_BAD_INPUT);
		ret = commands[i].run(&o);
		free(o.ops);
		return ret;
	}
	fprintf(stderr, "pvlink: unknown command '%s'\n", argv[1]);
	return usage(EXIT_BAD_INPUT);
}
