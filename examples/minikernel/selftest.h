/* SPDX-License-Identifier: MIT */
/*
 * selftest.h - the self-test's checks: those every architecture runs
 * (selftest.c) and the table of all of them, in the order they run, which
 * each architecture's checks.c defines beside the checks of its own ops.
 */
#ifndef SELFTEST_H
#define SELFTEST_H

struct pv_backend;

/* A check returns NULL when it holds, else what went wrong. */
struct selftest_check {
	const char *name;
	const char *(*fn)(const struct pv_backend *b);
};

#define SELFTEST_MAX 16

/* checks.c: at most SELFTEST_MAX. */
extern const struct selftest_check selftest_checks[];
extern const unsigned int selftest_nchecks;

/* Defines selftest_nchecks after the table, and holds it to SELFTEST_MAX. */
#define SELFTEST_NCHECKS(table)                                             \
	_Static_assert(sizeof(table) / sizeof(table[0]) <= SELFTEST_MAX,    \
		       "selftest_run() records at most SELFTEST_MAX failures"); \
	const unsigned int selftest_nchecks = sizeof(table) / sizeof(table[0])

/* selftest.c */
const char *check_irqflags(const struct pv_backend *b);
const char *check_io_delay(const struct pv_backend *b);
const char *check_tlb(const struct pv_backend *b);

#endif
