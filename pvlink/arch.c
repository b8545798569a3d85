// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * arch.c - the machines pvlink reads, by ELF class and machine.
 */
#include <stdio.h>

#include "arch.h"

extern const struct arch arch_x86_64, arch_i386, arch_aarch64;

static const struct arch *const machines[] = {
	&arch_x86_64,
	&arch_i386,
	&arch_aarch64,
};

#define NMACHINES (sizeof(machines) / sizeof(machines[0]))

const struct arch *arch_for(const GElf_Ehdr *eh)
{
	for (size_t i = 0; i < NMACHINES; i++)
		if (eh->e_ident[EI_CLASS] == machines[i]->elf_class &&
		    eh->e_machine == machines[i]->machine)
			return machines[i];
	return NULL;
}

const char *arch_names(void)
{
	static char names[64];
	size_t len = 0;

	for (size_t i = 0; i < NMACHINES && len < sizeof(names); i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
					i == 0 ? "" : i + 1 < NMACHINES ? ", " : " and ",
					machines[i]->name);
	return names;
}

void arch_format_done(void)
{
	for (size_t i = 0; i < NMACHINES; i++)
		machines[i]->format_done();
}
