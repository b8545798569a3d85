/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.h - how references are shown to people.
 */
#ifndef PVLINK_REPORT_H
#define PVLINK_REPORT_H

#include <stdio.h>

#include "scan.h"

/* One line: where, table+field, kind, instructions, and the verdict. */
void report_ref_line(FILE *f, struct elf *e, const struct ref *r);

#endif
