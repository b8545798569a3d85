/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * patch.h - pre-patch a linked image for one backend (`pvlink patch`),
 * and recognise a pre-patched site (`pvlink verify`).
 */
#ifndef PVLINK_PATCH_H
#define PVLINK_PATCH_H

#include "elf.h"
#include "pvops.h"

/* The patches PVOPS_INLINE()/PVOPS_NOP() registered in an image. */
struct patch_recs {
	struct pvops_patch *v;    /* target: the image address; code: into the file's bytes */
	size_t              n;
};

/* Read them (none without the section); -1 after one message when malformed. */
int patch_recs_read(struct elf *e, struct patch_recs *recs);
void patch_recs_free(struct patch_recs *recs);

/* The first registered patch for target, as the applier finds it, or NULL. */
const struct pvops_patch *patch_recs_find(const struct patch_recs *recs, uint64_t target);

/*
 * What a site that does not hold its original bytes holds: the outcome
 * (PVOPS_OUT_*) and target for which the applier writes exactly `have`
 * (gathered, e->len bytes) at `at`, or -1 when it writes that for none.
 */
int patch_identify(const struct pvops_site *x, uint64_t at, const struct patch_recs *recs,
		   const uint8_t *orig, const uint8_t *have, uint64_t *target);

struct patch_opts {
	const char        *out;
	const char *const *ops;     /* TABLE=TEMPLATE */
	size_t             nops;
	const char *const *slots;   /* TABLE.FIELD=SYM or TABLE+OFF=SYM */
	size_t             nslots;
	bool               quiet;
	bool               verbose;   /* one line per site: what it became */
};

/* Write e pre-patched to o->out; returns an exit code (nothing written unless 0). */
int patch_image(struct elf *e, const struct patch_opts *o);

#endif
