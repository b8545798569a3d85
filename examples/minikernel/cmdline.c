// SPDX-License-Identifier: MIT
/*
 * cmdline.c - options from the command line PVH hands over
 * (QEMU's -append): space-separated words, `key=value` or bare.
 */
#include "kernel.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * Returns the value of the last `key=value` word (later words override
 * earlier ones, as on Linux), with its length in *len; NULL if absent.
 */
const char *cmdline_get(const char *cmdline, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *found = NULL, *p = cmdline;

	while (*p) {
		const char *w = p;
		size_t n = 0;

		while (*p && !is_space(*p))
			p++, n++;
		if (n > klen && w[klen] == '=' && !memcmp(w, key, klen)) {
			found = w + klen + 1;
			*len = n - klen - 1;
		}
		while (is_space(*p))
			p++;
	}
	return found;
}
