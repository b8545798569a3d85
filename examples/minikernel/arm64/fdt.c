// SPDX-License-Identifier: MIT
/*
 * fdt.c - the command line from the flattened device tree QEMU hands
 * over: the value of /chosen/bootargs.
 *
 * The tree is big-endian: a header, then a structure block of 32-bit
 * tokens (BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP, END),
 * each item padded to 4 bytes, and a strings block the properties' names
 * are offsets into.  Only the structure block is walked, with bounds
 * checks against the header's sizes; anything unexpected fails the boot
 * rather than being guessed at.
 */
#include <bootparam.h>

#include "console.h"
#include "kernel.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

/* Header fields, as byte offsets. */
#define FDT_TOTALSIZE  4
#define FDT_OFF_STRUCT 8
#define FDT_OFF_STRS   12
#define FDT_SIZE_STRS  32
#define FDT_SIZE_STRUCT 36

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t align4(uint32_t n)
{
	return (n + 3) & ~3u;
}

/* The size of the NUL-terminated name at s + off, NUL included; 0 when it runs past size. */
static uint32_t name_size(const uint8_t *s, uint32_t off, uint32_t size)
{
	for (uint32_t i = off; i < size; i++)
		if (!s[i])
			return i - off + 1;
	return 0;
}

static int streq(const char *a, const char *b)
{
	size_t n = strlen(b);

	return !memcmp(a, b, n + 1);
}

static __attribute__((noreturn)) void bad_tree(uint32_t at, const char *why)
{
	kprintf("boot: device tree at %#x: %s\n", at, why);
	qemu_exit(0);
}

/*
 * Walks the structure block [s, s + size).  depth counts open nodes: the
 * root is 1, /chosen 2.  A property belongs to the innermost open node.
 */
static const char *find_bootargs(const uint8_t *s, uint32_t size, const char *strs,
				 uint32_t strs_size, uint32_t at)
{
	uint32_t off = 0, depth = 0, chosen = 0;

	while (off + 4 <= size) {
		uint32_t tok = be32(s + off), len;
		const char *name;

		off += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = (const char *)s + off;
			len = name_size(s, off, size);
			if (!len)
				bad_tree(at, "unterminated node name");
			depth++;
			if (depth == 2 && streq(name, "chosen"))
				chosen = 1;
			off += align4(len);
			break;
		case FDT_END_NODE:
			if (depth == 2)
				chosen = 0;
			if (!depth--)
				bad_tree(at, "END_NODE without a node");
			break;
		case FDT_PROP:
			if (off + 8 > size)
				bad_tree(at, "truncated property");
			len = be32(s + off);
			if (be32(s + off + 4) >= strs_size || off + 8 + len > size)
				bad_tree(at, "property out of bounds");
			name = strs + be32(s + off + 4);
			if (chosen && depth == 2 && streq(name, "bootargs") && len &&
			    s[off + 8 + len - 1] == '\0')
				return (const char *)s + off + 8;
			off += 8 + align4(len);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return NULL;
		default:
			bad_tree(at, "unknown token");
		}
	}
	bad_tree(at, "no END token");
}

const char *boot_cmdline(uint32_t boot_info)
{
	const uint8_t *fdt = (const uint8_t *)(uintptr_t)boot_info;
	uint32_t total, off_struct, size_struct, off_strs, size_strs;
	const char *args;

	if (be32(fdt) != FDT_MAGIC)
		bad_tree(boot_info, "bad magic");
	total = be32(fdt + FDT_TOTALSIZE);
	off_struct = be32(fdt + FDT_OFF_STRUCT);
	size_struct = be32(fdt + FDT_SIZE_STRUCT);
	off_strs = be32(fdt + FDT_OFF_STRS);
	size_strs = be32(fdt + FDT_SIZE_STRS);
	if (off_struct > total || size_struct > total - off_struct ||
	    off_strs > total || size_strs > total - off_strs)
		bad_tree(boot_info, "blocks outside the tree");
	args = find_bootargs(fdt + off_struct, size_struct, (const char *)fdt + off_strs,
			     size_strs, boot_info);
	return args ? args : "";
}
