// SPDX-License-Identifier: MIT
/*
 * hash_ops.h - the ops table of the example: a hash function whose
 * implementation is chosen once, at start-up, and called on every byte.
 *
 * Callers write ordinary C (`hash_ops.update(h, byte)`); pvlink finds the
 * calls from their relocations.  PVOPS_TABLE marks the table so that
 * `pvlink table` needs no --ops flag.  Hidden visibility lets PIE code
 * address the table directly instead of through the GOT.
 */
#ifndef HASH_OPS_H
#define HASH_OPS_H

#include <stdint.h>

#include "pvops.h"

struct hash_ops {
	uint32_t (*init)(void);
	uint32_t (*update)(uint32_t h, uint8_t byte);
	uint32_t (*final)(uint32_t h);
	void     (*trace)(const char *what, uint32_t h);
};

extern struct hash_ops hash_ops __attribute__((visibility("hidden")));
PVOPS_TABLE(hash_ops);

/* Fills hash_ops from the HASH_BACKEND environment variable; returns its name. */
const char *hash_select(void);

/* The backends' tables: templates for `pvlink patch --ops`. */
extern const struct hash_ops fnv_backend, crc_backend;

#endif
