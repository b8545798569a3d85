#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The main paths under valgrind: no invalid read or write, no use of
# uninitialised memory, no leak (the one of libbfd's own is suppressed in
# tests/valgrind.supp).
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
command -v valgrind >/dev/null || { skip "valgrind" "valgrind is not installed"; finish; }
fx=$top/tests/fixtures

gcc -c "$fx/forms.S" -o forms.o
gcc -O2 -fpie -g -c "$fx/audit.c" -o audit.o
"$PVLINK" table -q forms.o -o forms.pv.o --ops pv_ops --ops local_ops
gcc -O2 -no-pie -I"$top/include" "$fx/forms_main.c" "$top/kernel-glue/retpoline.S" forms.pv.o \
	"$top/build/libpvops.a" -Wl,--emit-relocs -o forms
echo junk >junk.o

vg() {
	local name=$1
	shift
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--suppressions="$top/tests/valgrind.supp" "$@" >/dev/null 2>vg.err
	if [ $? -eq 99 ]; then
		fail "$name" "$(cat vg.err)"
	else
		pass "$name"
	fi
}

vg "table" "$PVLINK" table forms.o -o out.o --ops pv_ops --ops local_ops
vg "verify" "$PVLINK" verify forms --ops pv_ops --ops local_ops
vg "audit text" "$PVLINK" audit audit.o --ops dev_ops
vg "audit json" "$PVLINK" audit audit.o --ops dev_ops --format json
vg "audit html of an image" "$PVLINK" audit forms --ops pv_ops --format html
vg "refusing bad input" "$PVLINK" table junk.o -o out2.o --ops pv_ops
vg "refusing a linked image" "$PVLINK" table forms -o out2.o --ops pv_ops
vg "the applier, in the patched program" ./forms
finish
