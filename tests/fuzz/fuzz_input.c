// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * fuzz_input.c - libFuzzer harness over pvlink's whole input path: read
 * and validate an ELF file, resolve ops tables, walk the relocations,
 * decode and classify, write the table, and run the audit's summary.
 *
 * Build and run: make fuzz (FUZZ_SECONDS=N).  Every crash or hang found
 * goes into tests/fuzz/regress/, which make check replays through the
 * real pvlink binary.
 */
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pvlink/table.h"

const char *pvlink_prog = "pvlink-fuzz";

static const char *const names[] = { "pv_ops" };

/* Table output goes to a private directory, removed file by file. */
static const char *output_path(void)
{
	static char path[64];

	if (!path[0]) {
		char dir[] = "/tmp/pvlink-fuzz.XXXXXX";

		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/out.o", dir);
	}
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	struct ops_set ops = { 0 };
	struct refs refs = { 0 };
	struct elf e = { 0 };
	Elf *elf;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	elf_version(EV_CURRENT);
	elf = elf_memory(copy, size);
	if (elf && !elf_load(&e, elf, "fuzz") &&
	    !ops_resolve(&e, names, 0, &ops, false)) {
		struct symbol *sym = find_symbol_by_name(&e, names[0]);

		if ((!sym || !ops_add(&e, &ops, sym)) && ops.n && !scan_object(&e, &ops, NULL, &refs) &&
		    !e.linked)
			table_write(&e, &refs, output_path());
	}
	unlink(output_path());
	refs_free(&refs);
	ops_free(&ops);
	elf_release(&e);
	if (elf)
		elf_end(elf);
	free(copy);
	return 0;
}
