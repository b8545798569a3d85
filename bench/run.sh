#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh - `make bench`: the three measurements and the profile, one
# table each, also written to build/bench/results.txt.  A few minutes on
# two cores; the part scripts also run alone (see each one's header).
#
#   1. callcost.sh   a call through an ops table: unpatched, patched,
#                    compiled direct, inline; plain and retpoline builds
#   2. scale.sh      pvlink table / verify / audit on 10k-1M references
#   3. applier.sh    pvops_hosted_apply() on the same programs
#   4. profile.sh    where pvlink table spends its time (callgrind)
#   5. prepatch.sh   pvlink patch on 1M references; the applier's pass at
#                    boot, unpatched kernel against pre-patched ones
. "$(dirname "$0")/lib.sh"

mkdir -p "$BENCH"
exec > >(tee "$BENCH/results.txt") 2>&1
start=$(date +%s)

rev=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$top" diff --quiet HEAD -- pvlink kernel-glue include 2>/dev/null || rev="$rev + uncommitted changes"
echo "pvlink bench, $(date -u '+%Y-%m-%d %H:%M UTC'), pvlink $rev"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
     "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)," \
     "$(uname -sr)"
echo "tools: $($CC --version | head -n1); $(as --version | head -n1); capstone" \
     "$(pkg-config --modversion capstone 2>/dev/null || echo '?')"
echo

bench_tools
"$top/bench/callcost.sh"
"$top/bench/scale.sh"
"$top/bench/applier.sh"
"$top/bench/profile.sh" table
"$top/bench/profile.sh" table-memory
"$top/bench/prepatch.sh"
echo "make bench took $(($(date +%s) - start)) s"
