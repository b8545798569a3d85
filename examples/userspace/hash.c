// SPDX-License-Identifier: MIT
/*
 * hash.c - the hot path: one call through hash_ops per byte, written as
 * plain C calls.
 */
#include <stddef.h>

#include "hash.h"

uint32_t hash_buffer(const uint8_t *p, size_t n)
{
	uint32_t h = hash_ops.init();

	for (size_t i = 0; i < n; i++)
		h = hash_ops.update(h, p[i]);
	hash_ops.trace("buffer", h);
	return hash_ops.final(h);
}

uint32_t hash_string(const char *s)
{
	uint32_t h = hash_ops.init();

	while (*s)
		h = hash_ops.update(h, (uint8_t)*s++);
	hash_ops.trace("string", h);
	return hash_ops.final(h);
}
