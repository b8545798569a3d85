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
expect "added sections" "pvlink_sites PROGBITS 000138 18 WAL 1 0 4
pvlink_sites PROGBITS 000018 18 WAL 5 0 4
.relapvlink_sites RELA 000318 18 I 15 18 8
.relapvlink_sites RELA 000030 18 I 15 19 8
.note.pvlink NOTE 000018 00 - 0 0 4" "$(tail -n +"$(($(wc -l <in.sections) + 1))" out.sections)"
# 14 entries: site and slot each, plus the thunk of the seven thunk forms
expect "entry relocations are all PC32" "35" \
	"$(readelf -rW forms.pv.o | sed -n '/relapvlink_sites/,/^$/p' | grep -c R_X86_64_PC32)"

gcc -O2 -no-pie -I"$top/include" "$fx/forms_main.c" "$top/kernel-glue/retpoline.S" forms.pv.o \
	"$top/build/libpvops.a" -Wl,--emit-relocs -o forms
"$PVLINK" verify forms --ops pv_ops --ops local_ops >verify.out
expect "verify accepts the image" "0" "$?"
# In the image .text.opaque joins .text: its movdiri leaves the ways into
# .text open, so the rescan proves only the one-instruction sites.
expect "verify counts" "forms: 14 entries, 0 bad; 7 patchable sites rescanned, 0 without entry" \
	"$(cat verify.out)"
./forms >run.out
expect "program exit status" 0 $?
expect "outcomes" "counts: direct=14 inlined=0 nop=0 indirect=0 mismatch=0 bad=0 failed=0 writes=14" \
	"$(grep '^counts:' run.out)"
expect "only recorded sites changed" "diff: only recorded sites changed" "$(grep '^diff:' run.out)"
expect "same behaviour before and after" "$(sed -n 's/^indirect: //p' run.out)" \
	"$(sed -n 's/^patched: //p' run.out)"
expect "calls made" "calls 1 15 5 2" "$(sed -n 's/^patched: //p' run.out)"
finish
