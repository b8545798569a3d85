#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every test script (tests/t-*.sh) and counts the checks they report.
# Usage: tests/run.sh [NAME...]   e.g. tests/run.sh t-table
# Each script prints PASS:/FAIL:/SKIP: lines (tests/lib.sh); a script that
# dies without reporting a failure counts as one failed check.  The last
# line is the total: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
logdir=${TEST_LOGDIR:-build/test-logs}
mkdir -p "$logdir"

if [ $# -gt 0 ]; then
	scripts=$(for n in "$@"; do echo "tests/${n%.sh}.sh"; done)
else
	scripts=$(ls tests/t-*.sh)
fi

passed=0 failed=0 skipped=0
for t in $scripts; do
	name=$(basename "$t" .sh)
	log=$logdir/$name.log
	bash "$t" >"$log" 2>&1
	status=$?
	p=$(grep -c '^PASS: ' "$log")
	f=$(grep -c '^FAIL: ' "$log")
	s=$(grep -c '^SKIP: ' "$log")
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name: exited $status without reporting a failure" >>"$log"
		f=1
	fi
	printf '%-24s %4d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
	if [ "$f" -gt 0 ]; then
		# each failure with the lines that explain it (a diff, a message)
		awk '/^FAIL: /{show=1} /^(PASS|SKIP): /{show=0} show' "$log" |
			head -60 | sed 's/^/    /'
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
