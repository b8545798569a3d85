// SPDX-License-Identifier: MIT
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

#include "hash_ops.h"

uint32_t hash_buffer(const uint8_t *p, size_t n);
uint32_t hash_string(const char *s);

#endif
