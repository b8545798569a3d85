#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Outputs appear whole or not at all: a failed write (file-size limit, as
# a full disk would) or a run stopped by SIGTERM in the middle of writing
# leaves neither the output nor a temporary file, and an older output of
# the same name stays as it was.  Inputs are never modified.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

# 300k call sites: a 9 MB object, a 9 MB output that takes a while to write.
cat >big.S <<'S'
	.text
	.globl big
	.type big, @function
big:
	.rept 300000
	call *pv_ops+8(%rip)
	.endr
	ret
	.size big, . - big
	.section .note.GNU-stack, "", @progbits
S
gcc -c big.S -o big.o
before=$(sha256sum big.o)

echo old >out.o
err=$( (ulimit -f 100; "$PVLINK" table big.o -o out.o --ops pv_ops) 2>&1 >/dev/null)
expect "write failure: exit status" 2 $?
expect "write failure: message" "out.o: error: cannot write output: cannot write data to file" "$err"
expect "write failure: the old output is untouched" "old" "$(cat out.o)"
expect "write failure: no temporary file" "" "$(ls out.o.tmp* 2>/dev/null)"

"$PVLINK" table big.o -o whole.o --ops pv_ops >/dev/null
rm -f out.o
"$PVLINK" table big.o -o out.o --ops pv_ops >/dev/null &
pid=$!
for _ in $(seq 1000); do
	ls out.o.tmp* >/dev/null 2>&1 && break
	sleep 0.005
done
if ls out.o.tmp* >/dev/null 2>&1; then
	kill -TERM $pid
	wait $pid
	expect "SIGTERM while writing: killed by the signal" 143 $?
	# the signal may land just after the rename: then the output is whole
	if [ -e out.o ] && cmp -s out.o whole.o; then
		pass "SIGTERM while writing: no output, or the whole output"
	else
		expect "SIGTERM while writing: no output, or the whole output" "" \
			"$(ls out.o 2>/dev/null)"
	fi
	expect "SIGTERM while writing: no temporary file" "" "$(ls out.o.tmp* 2>/dev/null)"
else
	wait $pid
	skip "SIGTERM while writing" "the write finished before it could be interrupted"
fi

"$PVLINK" table big.o -o out.o --ops pv_ops >/dev/null
expect "a complete run writes the output" 0 $?
expect "the input is never modified" "$before" "$(sha256sum big.o)"
finish
