// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * driver.c - main() for the soundness programs (sound.h).
 *
 *   ./prog [WHICH]          fill the table (backend WHICH, default 0), run
 *   SOUND_PATCH=1 ./prog    the same, with the call sites patched first
 *
 * With SOUND_PATCH set the applier's counts go to stderr, so stdout and
 * the exit status of the two runs can be compared byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sound.h"

long sound_log[SOUND_LOG_MAX];
int sound_nlog;
int sound_which;

/* A program may register inline and no-op replacements. */
extern const struct pvops_patch sound_patches[] __attribute__((weak));
extern const unsigned sound_npatches __attribute__((weak));

int main(int argc, char **argv)
{
	struct pvops_counts c;
	int status;

	sound_which = argc > 1 ? atoi(argv[1]) : 0;
	sound_init();
	if (getenv("SOUND_PATCH")) {
		c = pvops_hosted_apply(sound_patches, &sound_npatches ? sound_npatches : 0, 0);
		fprintf(stderr, "counts: direct=%u inlined=%u nop=%u indirect=%u mismatch=%u "
			"bad_entry=%u failed=%u writes=%u\n", c.direct, c.inlined, c.nop,
			c.indirect, c.mismatch, c.bad_entry, c.failed, c.writes);
	}
	fflush(stdout);
	status = sound_run();
	for (int i = 0; i < sound_nlog; i++)
		printf("%d: %ld\n", i, sound_log[i]);
	return status;
}
