#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Relocations in sections that only list addresses for another tool
# (objtool's .retpoline_sites, .orc_unwind_ip, .discard.*) are not ways
# into code; jump tables, exception tables and unknown sections are,
# unless named with --addresses-only.  A self-relative pointer in one of
# Linux's tables (__bug_table) lands exactly where it says; elsewhere it
# may be a relative jump table's entry, landing anywhere below.  The same list reaches table,
# verify and audit.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
fx=$top/tests/fixtures

gcc -c "$fx/addrlists.S" -o a.o
"$PVLINK" table -v a.o -o a.pv.o --ops pv_ops >table.out
expect "exit status of table" 0 $?
sed '$d' table.out >table.rows
expect_file "known lists are not ways in, the rest are" "$fx/addrlists.expect" table.rows
expect "table summary" "a.pv.o: 9 references, 5 patchable, 4 not patchable" "$(tail -1 table.out)"

"$PVLINK" table -v a.o -o b.pv.o --ops pv_ops --addresses-only .mytool_sites >named.out
expect "a named section is not a way in" "in_other_tool+0x0: patchable" \
	"$(awk '$1 == "in_other_tool+0x0" { print $1 ":", $NF }' named.out)"
expect "naming one section leaves the others" \
	"b.pv.o: 9 references, 6 patchable, 3 not patchable" "$(tail -1 named.out)"

# The image: verify's rescan uses the lists it is given.  In the image
# .rodata.rel sits deeper in .rodata, so its entry's range reaches back
# over before_bug_target too: one entry more than the rescan proves.
printf 'void (*pv_ops[8])(void);\nint main(void) { return 0; }\n' >main.c
gcc -no-pie main.c "$top/kernel-glue/retpoline.S" b.pv.o -Wl,--emit-relocs -o prog
expect "verify with the same lists" \
	"prog: 6 entries, 0 bad; 5 patchable sites rescanned, 0 without entry" \
	"$("$PVLINK" verify prog --ops pv_ops --addresses-only .mytool_sites)"
expect "verify without the named list rescans one site fewer" \
	"prog: 6 entries, 0 bad; 4 patchable sites rescanned, 0 without entry" \
	"$("$PVLINK" verify prog --ops pv_ops)"

expect "audit with the known lists" \
	"total: 9 sites, 5 patchable (55.6%), 4 not patchable; 0 runtime writes, 0 init writes" \
	"$("$PVLINK" audit a.o --ops pv_ops 2>/dev/null | sed -n 2p)"
expect "audit with a named list" \
	"total: 9 sites, 6 patchable (66.7%), 3 not patchable; 0 runtime writes, 0 init writes" \
	"$("$PVLINK" audit a.o --ops pv_ops --addresses-only .mytool_sites 2>/dev/null | sed -n 2p)"
"$PVLINK" patch prog -o p2 --ops pv_ops=a.o --addresses-only x 2>err.out
expect "patch does not take the option" 2 $?
expect "patch's refusal" "pvlink: patch: --addresses-only does not apply to patch" "$(head -1 err.out)"
finish
