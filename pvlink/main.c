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
#include <unistd.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "outfile.h"
#include "report.h"
#include "table.h"
#include "warn.h"

#ifndef PVLINK_VERSION
#define PVLINK_VERSION "0.1"
#endif

const char *pvlink_prog = "pvlink";

struct options {
	const char  *in, *out;
	const char **inputs;            /* audit takes several */
	size_t       ninputs;
	const char **ops;
	size_t       nops;
	const char **init;              /* audit: functions that run once at start-up */
	size_t       ninit;
	const char  *format;
	bool         verbose, quiet, complete;
	bool         fail_unpatchable, fail_runtime_writes;
};

static const char usage_text[] =
	"usage: pvlink table IN.o -o OUT.o [--ops SYM]... [-v | -q]\n"
	"       pvlink verify IMAGE [--ops SYM]... [--complete] [-v | -q]\n"
	"       pvlink audit FILE... [--ops SYM]... [--format text|json|html] [-o FILE]\n"
	"                    [--fail-on unpatchable|runtime-writes] [--init SYM]...\n"
	"       pvlink --help | --version\n"
	"\n"
	"  table    find the calls through ops tables in a relocatable object\n"
	"           (a unit, a kernel's ld -r output, a module) and write OUT.o:\n"
	"           IN.o plus a patch table the final link resolves\n"
	"  verify   check the patch table of a linked image against its code;\n"
	"           with -Wl,--emit-relocs also check that no site was missed\n"
	"  audit    report every reference to an ops table in objects, archives\n"
	"           and images (linked with -Wl,--emit-relocs): where, which\n"
	"           field, patchable or why not, and every write to a field\n"
	"\n"
	"  --ops SYM     an ops table (repeatable); tables marked with\n"
	"                PVOPS_TABLE() in C are found without it\n"
	"  -o FILE       output object (table) or report (audit; default stdout)\n"
	"  --format F    audit report as text (default), json or html\n"
	"  --fail-on W   audit exits 1 when there are unpatchable call sites or\n"
	"                writes to ops fields (or the table's address taken)\n"
	"                outside init code (repeatable)\n"
	"  --init SYM    audit counts SYM's writes as init writes (repeatable);\n"
	"                functions marked PVOPS_INIT are found without it\n"
	"  --complete    fail when completeness cannot be checked (verify)\n"
	"  -v            list every reference and what pvlink decided\n"
	"  -q            print nothing but errors\n"
	"\n"
	"Exit status: 0 ok, 1 verify found a mismatch or audit a --fail-on\n"
	"finding, 2 usage or input error.\n"
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
		{ "format", required_argument, NULL, 'F' },
		{ "fail-on", required_argument, NULL, 'X' },
		{ "init", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->ops = calloc((size_t)argc, sizeof(*o->ops));
	o->init = calloc((size_t)argc, sizeof(*o->init));
	if (!o->ops || !o->init)
		return -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'O': o->ops[o->nops++] = optarg; break;
		case 'I': o->init[o->ninit++] = optarg; break;
		case 'o': o->out = optarg; break;
		case 'C': o->complete = true; break;
		case 'v': o->verbose = true; break;
		case 'q': o->quiet = true; break;
		case 'h': exit(usage(EXIT_OK));
		case 'F': o->format = optarg; break;
		case 'X':
			if (!strcmp(optarg, "unpatchable"))
				o->fail_unpatchable = true;
			else if (!strcmp(optarg, "runtime-writes"))
				o->fail_runtime_writes = true;
			else {
				fprintf(stderr, "pvlink: --fail-on takes unpatchable or runtime-writes\n");
				return -1;
			}
			break;
		default: return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "pvlink: no input file\n");
		return -1;
	}
	o->in = argv[optind];
	o->inputs = (const char **)argv + optind;
	o->ninputs = (size_t)(argc - optind);
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

static int one_input(const struct options *o)
{
	if (o->ninputs == 1)
		return 0;
	fprintf(stderr, "pvlink: one input file, please\n");
	return usage(EXIT_BAD_INPUT);
}

static int cmd_table(struct options *o)
{
	struct elf e;
	struct ops_set ops = { 0 };
	struct refs refs = { 0 };
	int ret = EXIT_BAD_INPUT;

	if (one_input(o))
		return EXIT_BAD_INPUT;
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

	if (one_input(o))
		return EXIT_BAD_INPUT;
	if (!elf_open_read(&e, o->in))
		ret = table_verify(&e, &vo);
	elf_close(&e);
	return ret;
}

static int write_report(const struct options *o, const struct audit *a,
			const struct audit_sum *s)
{
	void (*format)(FILE *, const struct audit *, const struct audit_sum *) =
		!strcmp(o->format, "json") ? report_json :
		!strcmp(o->format, "html") ? report_html : report_text;
	struct outfile out;
	FILE *f;

	if (!o->out) {
		format(stdout, a, s);
		return fflush(stdout) ? EXIT_BAD_INPUT : EXIT_OK;
	}
	if (outfile_create(&out, o->out))
		return EXIT_BAD_INPUT;
	f = fdopen(out.fd, "w");
	if (!f) {
		outfile_abort(&out);
		return EXIT_BAD_INPUT;
	}
	format(f, a, s);
	out.fd = dup(fileno(f));
	if (fclose(f) || out.fd < 0 || outfile_commit(&out)) {
		outfile_abort(&out);
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}

/* Objects without debug info still audit; say so once for each. */
static void note_missing_debug(const struct audit *a)
{
	for (size_t i = 0; i < a->ninputs; i++)
		if (!a->inputs[i].debug)
			NOTE(a->inputs[i].file, "no debug info: fields shown by offset, no source lines");
}

static int cmd_audit(struct options *o)
{
	struct audit a = { 0 };
	struct audit_sum s = { 0 };
	int ret = EXIT_OK;

	if (!o->format)
		o->format = "text";
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "html")) {
		fprintf(stderr, "pvlink: --format takes text, json or html\n");
		return usage(EXIT_BAD_INPUT);
	}
	a.init = o->init;
	a.ninit = o->ninit;
	for (size_t i = 0; i < o->ninputs && ret == EXIT_OK; i++)
		ret = audit_read(&a, o->inputs[i], o->ops, o->nops);
	if (ret == EXIT_OK && !a.n)
		ERROR(o->inputs[0], "no reference to an ops table: name one with --ops SYM");
	if (ret == EXIT_OK && a.n) {
		audit_name_fields(&a, o->inputs, o->ninputs);
		note_missing_debug(&a);
		ret = audit_summarise(&a, &s) ? EXIT_BAD_INPUT : write_report(o, &a, &s);
	} else if (ret == EXIT_OK) {
		ret = EXIT_BAD_INPUT;
	}
	if (ret == EXIT_OK && ((o->fail_unpatchable && s.patchable < s.sites) ||
			       (o->fail_runtime_writes && (s.runtime_writes || s.write_paths))))
		ret = EXIT_REFUSED;
	audit_sum_free(&s);
	audit_free(&a);
	return ret;
}

static const struct command {
	const char *name;
	int (*run)(struct options *o);
} commands[] = {
	{ "table", cmd_table },
	{ "verify", cmd_verify },
	{ "audit", cmd_audit },
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
		free(o.init);
		ref_form_done();
		return ret;
	}
	fprintf(stderr, "pvlink: unknown command '%s'\n", argv[1]);
	return usage(EXIT_BAD_INPUT);
}
