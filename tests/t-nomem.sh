#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Running out of memory is reported like any other failure: one line,
# `pvlink: error: out of memory`, exit 2, no output file; never a crash,
# a silent exit or a second message.  tests/tools/failmalloc.c fails the
# Nth allocation pvlink's own code makes; N runs over every allocation of
# table, audit (each format, an archive, an image, i386, C++) and verify.
# Each run either succeeds exactly as without the shim or fails that way.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

if ldd "$PVLINK" | grep -q 'libasan\|libubsan'; then
	skip "allocation failures" "a sanitizer build: its allocator cannot be preloaded over"
	finish
fi
gcc -O2 -shared -fPIC "$top/tests/tools/failmalloc.c" -o failmalloc.so
fixtures=$top/tests/fixtures
gcc -O2 -g -fno-pic -c "$fixtures/audit.c" -o audit.o
gcc -m32 -O2 -g -fno-pic -c "$fixtures/audit.c" -o audit32.o
g++ -O2 -g -c "$fixtures/audit_cxx.cc" -o cxx.o
gcc -c "$fixtures/forms.S" -o forms.o
echo 'int main(void) { return 0; }' >main.c
gcc -O2 -g -c main.c -o main.o
ar rcs lib.a audit.o audit32.o
"$PVLINK" table -q audit.o -o audit.pv.o --ops dev_ops
gcc -no-pie audit.pv.o main.o -Wl,--emit-relocs -o image

# run_all NAME ARGS...: every allocation of one command, failed in turn
run_all() {
	local name=$1 base n err status bad=0 out
	shift
	base=$(FAILMALLOC_COUNT=count LD_PRELOAD=./failmalloc.so "$PVLINK" "$@" 2>&1 >/dev/null)
	n=$(cat count)
	for i in $(seq 1 "$n"); do
		rm -f out.o out.txt
		err=$(FAILMALLOC_AT=$i LD_PRELOAD=./failmalloc.so timeout 20 "$PVLINK" "$@" 2>&1 >/dev/null)
		status=$?
		[ $status -eq 0 ] && [ "$err" = "$base" ] && continue
		if [ $status -eq 2 ] && [ "$err" = "pvlink: error: out of memory" ]; then
			out=$(ls out.o out.txt out.*.tmp* 2>/dev/null)
			[ -z "$out" ] && continue
			err="left $out behind"
		fi
		fail "$name: allocation $i of $n fails" "exit $status: [$err]"
		bad=$((bad + 1))
	done
	[ "$n" -gt 0 ] || fail "$name: no allocation counted" "is the shim loaded?"
	[ $bad -eq 0 ] && [ "$n" -gt 0 ] && pass "$name: each of $n allocations failed in turn"
}

run_all "table" table audit.o -o out.o --ops dev_ops
run_all "table -v, i386" table -v audit32.o -o out.o --ops dev_ops
run_all "table, every form" table forms.o -o out.o --ops pv_ops
run_all "audit text" audit audit.o --ops dev_ops -o out.txt
run_all "audit json, archive" audit lib.a --ops dev_ops --format json
run_all "audit html, image" audit image --ops dev_ops --format html -o out.txt
run_all "audit C++, marked table" audit cxx.o --ops cxx_ops
run_all "audit, a table no input knows" audit audit.o --ops dev_ops --ops nosuch
run_all "verify --complete -v" verify -v image --complete
finish
