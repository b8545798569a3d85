#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# callcost.sh - part 1: the cost of one call through an ops table,
# unpatched, patched to a direct call, compiled direct, and inlined, in
# a plain and a retpoline build.  Built the way a program adopts pvlink:
# compile, `pvlink table` on the object with the calls, link with
# libpvops.a, pvops_hosted_apply() at start-up.
#
# -fno-pie: in PIE code gcc hoists the table's address out of the loop
# (lea cc_ops(%rip),%r12; call *(%r12)), a site too short to patch;
# `pvlink audit` gives the same advice.
. "$(dirname "$0")/lib.sh"

bench_tools
dir=$BENCH/callcost
mkdir -p "$dir"
cflags="$BENCH_CFLAGS -fno-pie"

$CC $cflags -c "$top/bench/callcost_ops.c" -o "$dir/ops.o"
$CC $cflags -c "$top/bench/callcost_main.c" -o "$dir/main.o"
for build in normal retpoline; do
	extra=
	[ "$build" = retpoline ] && extra=-mindirect-branch=thunk-extern
	$CC $cflags $extra -c "$top/bench/callcost_loops.c" -o "$dir/loops.$build.o"
	"$PVLINK" table -q "$dir/loops.$build.o" -o "$dir/loops.$build.pv.o"
	$CC -no-pie "$dir/main.o" "$dir/ops.o" "$dir/loops.$build.pv.o" \
		"$BENCH/bin/retpoline.o" "$top/build/libpvops.a" -o "$dir/callcost.$build"
	"$dir/callcost.$build" "$build"
	echo
done
