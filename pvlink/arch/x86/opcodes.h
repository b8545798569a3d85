/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opcodes.h - the second decoder: libopcodes, for instruction lengths
 * Capstone 4 does not know.
 */
#ifndef PVLINK_OPCODES_H
#define PVLINK_OPCODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode one instruction of [bytes, bytes + avail) at address addr with
 * libopcodes (i386 or x86-64), writing its AT&T text to text.  Returns its
 * length, or -1 when libopcodes does not know it either.
 */
int opcodes_decode(bool i386, const uint8_t *bytes, size_t avail, uint64_t addr,
		   char *text, size_t text_size);

#endif
