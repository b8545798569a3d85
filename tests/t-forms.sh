#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every reference shape of tests/fixtures/forms.S, classified exactly as
# recorded in forms.expect; the table pvlink writes; and the patched
# program, which must behave the same with only the recorded sites changed.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
fx=$top/tests/fixtures

gcc -c "$fx/forms.S" -o forms.o
"$PVLINK" table -v forms.o -o forms.pv.o --ops pv_ops --ops local_ops >table.out
expect "exit status of table" 0 $?
expect_file "classification of every shape" "$fx/forms.expect" table.out

# The sections pvlink added: one piece per text section with sites, linked
# to it, writable, 24-byte entries; the input's own sections unchanged.
# name type size entsize flags link info align (not the file offset, which moves)
sections() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' |
		awk '{ print $1, $2, $5, $6, (NF == 10 ? $7 : "-"), $(NF-2), $(NF-1), $NF }'
}
sections forms.o >in.sections
sections forms.pv.o >out.sections
# (only the section-name table grows, by the two new names)
expect "input sections kept as they were" "$(grep -v '^.shstrtab' in.sections)" \
	"$(head -n "$(wc -l <in.sections)" out.sections | grep -v '^.shstrtab')"
expect "added sections" "pvlink_sites PROGBITS 000168 18 WAL 1 0 4
pvlink_sites PROGBITS 000018 18 WAL 5 0 4
.relapvlink_sites RELA 000330 18 I 10 13 8
.relapvlink_sites RELA 000030 18 I 10 14 8
.note.pvlink NOTE 000018 00 - 0 0 4" "$(tail -n +"$(($(wc -l <in.sections) + 1))" out.sections)"
# 16 entries: site and slot each, plus the thunk of the four thunk forms
expect "entry relocations are all PC32" "36" \
	"$(readelf -rW forms.pv.o | sed -n '/relapvlink_sites/,/^$/p' | grep -c R_X86_64_PC32)"

gcc -O2 -no-pie -I"$top/include" "$fx/forms_main.c" "$top/kernel-glue/retpoline.S" forms.pv.o \
	"$top/build/libpvops.a" -Wl,--emit-relocs -o forms
"$PVLINK" verify forms --ops pv_ops --ops local_ops >verify.out
expect "verify accepts the image" "0" "$?"
expect "verify counts" "forms: 16 entries, 0 bad; 16 patchable sites rescanned, 0 without entry" \
	"$(cat verify.out)"
./forms >run.out
expect "program exit status" 0 $?
expect "outcomes" "counts: direct=16 inlined=0 nop=0 indirect=0 mismatch=0 bad=0 failed=0 writes=16" \
	"$(grep '^counts:' run.out)"
expect "only recorded sites changed" "diff: only recorded sites changed" "$(grep '^diff:' run.out)"
expect "same behaviour before and after" "$(sed -n 's/^indirect: //p' run.out)" \
	"$(sed -n 's/^patched: //p' run.out)"
expect "calls made" "calls 1 12 5 2" "$(sed -n 's/^patched: //p' run.out)"
finish
