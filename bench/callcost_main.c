// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * callcost_main.c - what a call through an ops table costs before and
 * after the applier rewrites it, against a call compiled direct.
 *
 *   callcost normal|retpoline   (BENCH_MS per measurement, BENCH_REPS runs)
 *
 * The same two sites are timed unpatched and patched in every run:
 * pvops_hosted_apply(..., 1) puts the indirect calls back, the next
 * pvops_hosted_apply(..., 0) patches them again, exactly as a program
 * does at start-up.  Ratios are taken within each run, then the median
 * over runs, so a slow moment on the machine affects both sides.  Each
 * loop's call count is calibrated to last about BENCH_MS: a retpoline
 * call costs 30 times a direct one, and one count for all would make
 * either the fast loops too short to time or the slow one too long.
 *
 * (e) is not a target: a 7-byte NOP in front of a compiled direct call.
 * In the retpoline build the applier keeps the site's 7-byte load of the
 * slot (so that no register changes) and rewrites only the thunk call;
 * it used to replace the load by this NOP.  (b)/(e) there is the cost of
 * keeping the load, an L1 hit, against the NOP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callcost.h"
#include "stats.h"

#define MAX_REPS 64

enum { UNPATCHED, PATCHED, DIRECT, INLINE, NOP_DIRECT, NVARIANTS };

static const char *const what[NVARIANTS] = {
	"(a) unpatched indirect call",
	"(b) patched: direct call",
	"(c) compiled direct call",
	"(d) patched: inline mov %rdi,%rax",
	"(e) 7-byte NOP + compiled direct call",
};

static long (*const loop_of[NVARIANTS])(long) = {
	loop_ops_call, loop_ops_call, loop_direct, loop_ops_inline, loop_direct_nop7,
};

extern struct pvops_site __start_pvlink_sites[], __stop_pvlink_sites[];

static volatile long sink;

static double ns_per_call(long (*loop)(long), long n)
{
	double t0 = now();

	sink += loop(n);
	return (now() - t0) * 1e9 / (double)n;
}

/* Calls that take about ms milliseconds, a multiple of 10^6, from the
 * fastest of three short pilot runs. */
static long calibrate(long (*loop)(long), double ms)
{
	double pilot[3];

	for (int i = 0; i < 3; i++)
		pilot[i] = ns_per_call(loop, 1000000);
	return ((long)(ms * 1e6 / vmin(pilot, 3) / 1e6) + 1) * 1000000;
}

static int check(struct pvops_counts c, unsigned direct, unsigned inlined, unsigned indirect)
{
	if (c.direct == direct && c.inlined == inlined && c.indirect == indirect &&
	    !c.mismatch && !c.bad_entry && !c.failed)
		return 0;
	fprintf(stderr, "callcost: applier: %u direct, %u inlined, %u indirect, %u mismatch, "
		"%u bad, %u failed\n", c.direct, c.inlined, c.indirect, c.mismatch,
		c.bad_entry, c.failed);
	return -1;
}

static int unpatch(void)
{
	return check(pvops_hosted_apply(cc_patches, cc_npatches, 1), 0, 0, 2);
}

static int patch(void)
{
	return check(pvops_hosted_apply(cc_patches, cc_npatches, 0), 1, 1, 0);
}

/* The bytes of each site, so the output shows what was measured. */
static void show_sites(const char *when)
{
	for (struct pvops_site *e = __start_pvlink_sites; e < __stop_pvlink_sites; e++) {
		const uint8_t *p = pvops_site_addr(e);

		printf("  site %-9s", when);
		for (int i = 0; i < e->len; i++)
			printf(" %02x", p[i]);
		printf("\n");
	}
}

static double time_variant(int v, const long n[NVARIANTS])
{
	return ns_per_call(loop_of[v], n[v]);
}

static int run(const long n[NVARIANTS], int reps, double t[NVARIANTS][MAX_REPS])
{
	for (int r = 0; r < reps; r++) {
		if (unpatch())
			return -1;
		t[UNPATCHED][r] = time_variant(UNPATCHED, n);
		if (patch())
			return -1;
		/* alternate the order of the pair the 2% target compares */
		if (r % 2) {
			t[DIRECT][r] = time_variant(DIRECT, n);
			t[PATCHED][r] = time_variant(PATCHED, n);
		} else {
			t[PATCHED][r] = time_variant(PATCHED, n);
			t[DIRECT][r] = time_variant(DIRECT, n);
		}
		t[INLINE][r] = time_variant(INLINE, n);
		t[NOP_DIRECT][r] = time_variant(NOP_DIRECT, n);
	}
	return 0;
}

static void ratio_line(const char *name, const double *v, int reps, const char *target,
		       int met)
{
	printf("    %-26s %7.3f [%.3f-%.3f]", name, median(v, reps), vmin(v, reps),
	       vmax(v, reps));
	if (target)
		printf("  target %s: %s", target, met ? "met" : "MISSED");
	printf("\n");
}

static void report(const char *label, const long n[NVARIANTS], int reps,
		   double t[NVARIANTS][MAX_REPS])
{
	double pd[MAX_REPS], up[MAX_REPS], ic[MAX_REPS], pn[MAX_REPS];

	printf("call cost, %s build, %d runs; ns per call\n", label, reps);
	printf("  %-38s %8s %8s %8s %12s\n", "", "median", "min", "max", "calls/run");
	for (int v = 0; v < NVARIANTS; v++)
		printf("  %-38s %8.3f %8.3f %8.3f %12ld\n", what[v], median(t[v], reps),
		       vmin(t[v], reps), vmax(t[v], reps), n[v]);
	for (int r = 0; r < reps; r++) {
		double call = t[PATCHED][r] < t[DIRECT][r] ? t[PATCHED][r] : t[DIRECT][r];

		pd[r] = t[PATCHED][r] / t[DIRECT][r];
		up[r] = t[UNPATCHED][r] / t[PATCHED][r];
		ic[r] = t[INLINE][r] / call;
		pn[r] = t[PATCHED][r] / t[NOP_DIRECT][r];
	}
	printf("  ratios within each run, median [min-max]:\n");
	ratio_line("(b)/(c) patched/compiled", pd, reps, "<= 1.02", median(pd, reps) <= 1.02);
	ratio_line("(a)/(b) unpatched/patched", up, reps, strcmp(label, "retpoline") ? NULL : ">= 3",
		   median(up, reps) >= 3);
	ratio_line("(d)/min(b,c) inline/call", ic, reps, "< 1 in every run", vmax(ic, reps) < 1);
	ratio_line("(b)/(e) patched/NOP+direct", pn, reps, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "normal";
	double ms = getenv("BENCH_MS") ? atof(getenv("BENCH_MS")) : 250;
	int reps = getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 7;
	static double t[NVARIANTS][MAX_REPS];
	long n[NVARIANTS];

	if (ms <= 0 || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "callcost: BENCH_MS > 0 and 1 <= BENCH_REPS <= %d\n", MAX_REPS);
		return 2;
	}
	cc_select();
	show_sites("original");
	n[UNPATCHED] = calibrate(loop_of[UNPATCHED], ms);
	if (patch())
		return 1;
	show_sites("patched");
	for (int v = PATCHED; v < NVARIANTS; v++)
		n[v] = calibrate(loop_of[v], ms);
	if (run(n, reps, t))
		return 1;
	report(label, n, reps, t);
	return 0;
}
