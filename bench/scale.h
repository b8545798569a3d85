// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * scale.h - the shape shared by the site generator (gen_sites.c) and the
 * program the generated sites are linked into (scale_main.c): how many
 * ops tables, and how many 8-byte slots each.
 */
#ifndef BENCH_SCALE_H
#define BENCH_SCALE_H

#define BENCH_TABLES 4
#define BENCH_SLOTS  32

#endif
