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
	const char  *format;
	bool         verbose, quiet, complete;
	bool         fail_unpatchable, fail_runtime_writes;
};

static const char usage_text[] =
	"usage: pvlink table IN.o -o OUT.o [--ops SYM]... [-v | -q]\n"
	"       pvlink verify IMAGE [--ops SYM]... [--complete] [-v | -q]\n"
	"       pvlink audit FILE... [--ops SYM]... [--format text|json|html] [-o FILE]\n"
	"                    [--fail-on unpatchable|runtime-writes]\n"
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
	"                writes to ops fields outside init code (repeatable)\n"
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
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->ops = pvcalloc((size_t)argc, sizeof(*o->ops));
	if (!o->ops)
		return -2;              /* no usage text after the message */
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'O': o->ops[o->nops++] = optarg; break;
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

/*
 * A named table that no input defines or references is no error (a build
 * runs pvlink on every object, most of which call nothing through it),
 * but a name that none of them knows is likely a typo: one warning each.
 */
static void warn_unknown_table(const struct options *o, const char *name)
{
	if (!o->quiet)
		WARN(pvlink_prog, "--ops %s: no input defines or references it", name);
}

static void note_absent_tables(const struct options *o, const char *in, const bool *present)
{
	for (size_t i = 0; o->verbose && i < o->nops; i++)
		if (!present[i])
			NOTE(in, "%s: neither defined nor referenced here: 0 sites", o->ops[i]);
}

static int table_resolve(struct elf *e, const struct options *o, struct ops_set *ops)
{
	bool *present = pvcalloc(o->nops + 1, sizeof(*present));
	int ret = -1;

	if (!present || ops_resolve_present(e, o->ops, o->nops, ops, present))
		goto out;
	if (!o->nops && !ops->n) {
		ERROR(e->path, "no ops table: name one with --ops SYM or mark it with PVOPS_TABLE()");
		goto out;
	}
	note_absent_tables(o, o->in, present);
	ret = 0;
out:
	free(present);
	return ret;
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
	if (!strcmp(o->out, "-")) {
		fprintf(stderr, "pvlink: table writes an object, not a report: -o - is for audit\n");
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
	/* out of memory while proving a site: fail rather than write less */
	if (table_resolve(&e, o, &ops) || scan_object(&e, &ops, &refs) ||
	    pvlink_out_of_memory() || table_write(&e, &refs, o->out))
		goto out;
	for (size_t i = 0; i < o->nops; i++)
		if (!find_symbol_by_name(&e, o->ops[i]))
			warn_unknown_table(o, o->ops[i]);
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

	if (!o->out || !strcmp(o->out, "-")) {
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

/*
 * Read every input, add every table named with --ops (reported with 0
 * sites if no input knows it; seen[i] says whether one did) and name the
 * fields.  Returns an exit code; any allocation failure fails it.
 */
static int audit_gather(const struct options *o, struct audit *a, bool *seen)
{
	int ret = EXIT_OK;

	for (size_t i = 0; i < o->ninputs && ret == EXIT_OK; i++)
		ret = audit_read(a, o->inputs[i], o->ops, o->nops);
	if (ret == EXIT_OK && !pvlink_out_of_memory() && !o->nops && !a->ntables) {
		ERROR(o->inputs[0], "no ops table: name one with --ops SYM or mark it with PVOPS_TABLE()");
		ret = EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < o->nops && ret == EXIT_OK; i++) {
		seen[i] = audit_has_table(a, o->ops[i]);
		if (audit_add_table(a, o->ops[i]))
			ret = EXIT_BAD_INPUT;
	}
	if (ret == EXIT_OK)
		audit_name_fields(a, o->inputs, o->ninputs);
	return pvlink_out_of_memory() ? EXIT_BAD_INPUT : ret;
}

static int cmd_audit(struct options *o)
{
	struct audit a = { .verbose = o->verbose };
	struct audit_sum s = { 0 };
	bool *seen;
	int ret;

	if (!o->format)
		o->format = "text";
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "html")) {
		fprintf(stderr, "pvlink: --format takes text, json or html\n");
		return usage(EXIT_BAD_INPUT);
	}
	seen = pvcalloc(o->nops + 1, sizeof(*seen));
	ret = seen ? audit_gather(o, &a, seen) : EXIT_BAD_INPUT;
	if (ret == EXIT_OK && audit_summarise(&a, &s))
		ret = EXIT_BAD_INPUT;
	if (ret == EXIT_OK) {
		for (size_t i = 0; i < o->nops; i++)
			if (!seen[i])
				warn_unknown_table(o, o->ops[i]);
		note_missing_debug(&a);
		ret = write_report(o, &a, &s);
	}
	if (ret == EXIT_OK && ((o->fail_unpatchable && s.patchable < s.sites) ||
			       (o->fail_runtime_writes && s.runtime_writes)))
		ret = EXIT_REFUSED;
	free(seen);
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
		ret = parse(argc - 1, argv + 1, &o);
		if (ret)
			return ret == -2 ? EXIT_BAD_INPUT : usage(EXIT_BAD_INPUT);
		ret = commands[i].run(&o);
		if (pvlink_out_of_memory())
			ret = EXIT_BAD_INPUT;
		free(o.ops);
		ref_form_done();
		return ret;
	}
	fprintf(stderr, "pvlink: unknown command '%s'\n", argv[1]);
	return usage(EXIT_BAD_INPUT);
}
