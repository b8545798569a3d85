// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * main.c - pvlink's subcommands and exit codes (the options: options.c).
 *
 *   pvlink table IN.o -o OUT.o [--ops SYM]...   add the patch table
 *   pvlink verify IMAGE [--ops SYM]...          check it after the final link
 *   pvlink audit FILE... [--ops SYM]...         report every reference
 *   pvlink patch IMAGE -o OUT --ops T=TEMPLATE  pre-patch it for one backend
 *
 * Exit codes: 0 done, 1 refused (verify found a mismatch, audit a
 * --fail-on finding), 2 bad usage, unusable input or out of memory.
 */
#include <unistd.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "audit.h"
#include "options.h"
#include "patch.h"
#include "outfile.h"
#include "report.h"
#include "table.h"
#include "warn.h"

#ifndef PVLINK_VERSION
#define PVLINK_VERSION "0.1"
#endif

const char *pvlink_prog = "pvlink";

#define NCOMMANDS 4
static const struct command commands[NCOMMANDS];

/* The usage text for cmd (every command when NULL); returns status. */
static int usage_of(const struct command *cmd, int status)
{
	options_usage(status ? stderr : stdout, commands, NCOMMANDS, cmd);
	return status;
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
	if (o->inputs.n == 1)
		return 0;
	fprintf(stderr, "pvlink: one input file, please\n");
	return usage_of(o->cmd, EXIT_BAD_INPUT);
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
	for (size_t i = 0; o->verbose && i < o->ops.n; i++)
		if (!present[i])
			NOTE(in, "%s: neither defined nor referenced here: 0 sites", o->ops.v[i]);
}

static int table_resolve(struct elf *e, const struct options *o, struct ops_set *ops)
{
	bool *present = pvcalloc(o->ops.n + 1, sizeof(*present));
	int ret = -1;

	if (!present || ops_resolve_present(e, o->ops.v, o->ops.n, ops, present))
		goto out;
	if (!o->ops.n && !ops->n) {
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
	struct addr_lists lists = { o->addr_lists.v, o->addr_lists.n };
	int ret = EXIT_BAD_INPUT;

	if (one_input(o))
		return EXIT_BAD_INPUT;
	if (!o->out) {
		fprintf(stderr, "pvlink: table needs -o OUT.o\n");
		return usage_of(o->cmd, EXIT_BAD_INPUT);
	}
	if (!strcmp(o->out, "-")) {
		fprintf(stderr, "pvlink: table writes an object, not a report: -o - is for audit\n");
		return usage_of(o->cmd, EXIT_BAD_INPUT);
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
	if (table_resolve(&e, o, &ops) || scan_object(&e, &ops, &lists, &refs) ||
	    pvlink_out_of_memory() || table_write(&e, &refs, o->out))
		goto out;
	for (size_t i = 0; i < o->ops.n; i++)
		if (!find_symbol_by_name(&e, o->ops.v[i]))
			warn_unknown_table(o, o->ops.v[i]);
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
	struct verify_opts vo = { o->ops.v, o->ops.n, { o->addr_lists.v, o->addr_lists.n },
				  o->complete, o->quiet, o->verbose };
	struct elf e;
	int ret = EXIT_BAD_INPUT;

	if (one_input(o))
		return EXIT_BAD_INPUT;
	if (!elf_open_read(&e, o->in))
		ret = table_verify(&e, &vo);
	elf_close(&e);
	return ret;
}

static int cmd_patch(struct options *o)
{
	struct patch_opts po = { o->out, o->ops.v, o->ops.n, o->slots.v, o->slots.n, o->quiet,
				 o->verbose };
	struct elf e;
	int ret = EXIT_BAD_INPUT;

	if (one_input(o))
		return EXIT_BAD_INPUT;
	if (!o->out || !strcmp(o->out, "-")) {
		fprintf(stderr, "pvlink: patch needs -o OUT, an image file\n");
		return usage_of(o->cmd, EXIT_BAD_INPUT);
	}
	if (!elf_open_read(&e, o->in))
		ret = patch_image(&e, &po);
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
			NOTE(a->inputs[i].file, "no debug info: %s, no source lines",
			     a->inputs[i].btf ? "field names from BTF" : "fields shown by offset");
}

/*
 * Read every input, add every table named with --ops (reported with 0
 * sites if no input knows it; seen[i] says whether one did) and name the
 * fields.  Returns an exit code; any allocation failure fails it.
 */
static int audit_gather(const struct options *o, struct audit *a, bool *seen)
{
	int ret = o->base_btf ? audit_set_base_btf(a, o->base_btf) : EXIT_OK;

	for (size_t i = 0; i < o->inputs.n && ret == EXIT_OK; i++)
		ret = audit_read(a, o->inputs.v[i], o->ops.v, o->ops.n);
	if (ret == EXIT_OK && !pvlink_out_of_memory() && !o->ops.n && !a->ntables) {
		ERROR(o->inputs.v[0], "no ops table: name one with --ops SYM or mark it with PVOPS_TABLE()");
		ret = EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < o->ops.n && ret == EXIT_OK; i++) {
		seen[i] = audit_has_table(a, o->ops.v[i]);
		if (audit_add_table(a, o->ops.v[i]))
			ret = EXIT_BAD_INPUT;
	}
	if (ret == EXIT_OK)
		audit_name_fields(a, o->inputs.v, o->inputs.n);
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
	a.addr_lists = (struct addr_lists){ o->addr_lists.v, o->addr_lists.n };
	a.init = o->init.v;
	a.ninit = o->init.n;
	seen = pvcalloc(o->ops.n + 1, sizeof(*seen));
	ret = seen ? audit_gather(o, &a, seen) : EXIT_BAD_INPUT;
	if (ret == EXIT_OK && audit_summarise(&a, &s))
		ret = EXIT_BAD_INPUT;
	if (ret == EXIT_OK) {
		for (size_t i = 0; i < o->ops.n; i++)
			if (!seen[i])
				warn_unknown_table(o, o->ops.v[i]);
		if (!o->quiet)
			note_missing_debug(&a);
		/* -q: a gate that only exits 1 or 0; a report to a file is still written */
		if (!o->quiet || (o->out && strcmp(o->out, "-")))
			ret = write_report(o, &a, &s);
	}
	if (ret == EXIT_OK && (((o->fail_on & FAIL_UNPATCHABLE) && s.patchable < s.sites) ||
			       ((o->fail_on & FAIL_RUNTIME_WRITES) && (s.runtime_writes || s.write_paths))))
		ret = EXIT_REFUSED;
	free(seen);
	audit_sum_free(&s);
	audit_free(&a);
	return ret;
}

static const struct command commands[NCOMMANDS] = {
	{ "table", CMD_TABLE, "IN.o -o OUT.o",
	  "find the calls through ops tables in a relocatable object (a unit, a kernel's "
	  "ld -r output, a module) and write OUT.o: IN.o plus a patch table the final "
	  "link resolves", cmd_table },
	{ "verify", CMD_VERIFY, "IMAGE",
	  "check the patch table of a linked image against its code; with "
	  "-Wl,--emit-relocs also check that no site was missed", cmd_verify },
	{ "audit", CMD_AUDIT, "FILE...",
	  "report every reference to an ops table in objects, archives and images "
	  "(linked with -Wl,--emit-relocs): where, which field, patchable or why not, "
	  "and every write to a field", cmd_audit },
	{ "patch", CMD_PATCH, "IMAGE -o OUT --ops TABLE=TEMPLATE",
	  "write OUT: the linked IMAGE with every site already rewritten as the applier "
	  "would for the slot values given (a backend's template object, --slot "
	  "overrides) and the patches registered with PVOPS_INLINE/PVOPS_NOP; at start-up "
	  "the applier then writes nothing, or re-targets the sites for another backend",
	  cmd_patch },
};

static int run(const struct command *cmd, int argc, char **argv)
{
	struct options o;
	int ret = options_parse(argc, argv, cmd, &o);

	if (ret == EXIT_OK && o.in)
		ret = cmd->run(&o);
	else if (ret == EXIT_OK)
		usage_of(cmd, EXIT_OK);         /* --help */
	else if (!pvlink_out_of_memory())
		usage_of(cmd, ret);
	if (pvlink_out_of_memory())
		ret = EXIT_BAD_INPUT;
	options_free(&o);
	arch_format_done();
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_of(NULL, EXIT_BAD_INPUT);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage_of(NULL, EXIT_OK);
	if (!strcmp(argv[1], "--version")) {
		printf("pvlink %s\n", PVLINK_VERSION);
		return EXIT_OK;
	}
	elf_version(EV_CURRENT);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return run(&commands[i], argc - 1, argv + 1);
	fprintf(stderr, "pvlink: unknown command '%s'\n", argv[1]);
	return usage_of(NULL, EXIT_BAD_INPUT);
}
