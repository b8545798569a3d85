#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# i386: every reference shape of tests/fixtures/forms32.S classified exactly
# as forms32.expect records it; the REL table pvlink writes (R_386_PC32,
# addends in the entries' own bytes); the patched program, which must
# behave the same with only the recorded sites changed; verify on i386
# images; the applier's i386 encodings (tests/unit/applier32.c, built -m32
# and -m64) and its freestanding -m32 builds; and the audit of i386 objects.
# (tests/t-matrix32.sh builds compiled C the same way.)
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
fx=$top/tests/fixtures

if ! echo 'int main(void) { return 0; }' | gcc -m32 -x c - -o m32 2>/dev/null; then
	skip "i386" "gcc -m32 cannot link (install gcc-12-multilib)"
	finish
fi

gcc -m32 -c "$fx/forms32.S" -o forms.o
"$PVLINK" table -v forms.o -o forms.pv.o --ops pv_ops --ops local_ops >table.out
expect "exit status of table" 0 $?
expect_file "classification of every shape" "$fx/forms32.expect" table.out

# name type size entsize flags link info align (not the file offset, which moves)
sections() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' |
		awk '{ print $1, $2, $5, $6, (NF == 10 ? $7 : "-"), $(NF-2), $(NF-1), $NF }'
}
sections forms.o >in.sections
sections forms.pv.o >out.sections
expect "input sections kept as they were" "$(grep -v '^.shstrtab' in.sections)" \
	"$(head -n "$(wc -l <in.sections)" out.sections | grep -v '^.shstrtab')"
# i386 linkers read REL only: .relpvlink_sites, 8-byte Elf32_Rel entries
expect "added sections" "pvlink_sites PROGBITS 0000c0 18 WAL 2 0 4
pvlink_sites PROGBITS 000018 18 WAL 6 0 4
.relpvlink_sites REL 0000a8 08 I 12 15 4
.relpvlink_sites REL 000010 08 I 12 16 4
.note.pvlink NOTE 000018 00 - 0 0 4" "$(tail -n +"$(($(wc -l <in.sections) + 1))" out.sections)"
# 9 entries: site and slot each, plus the thunk of the three thunk forms
# (R_386_PC32) and the GOT of the two GOT-relative ones (R_386_GOTPC)
relocs=$(readelf -rW forms.pv.o | sed -n '/relpvlink_sites/,/^$/p')
expect "entry relocations: R_386_PC32, R_386_GOTPC for the GOT" "23 21 2" \
	"$(grep -c 'R_386_' <<<"$relocs") $(grep -c R_386_PC32 <<<"$relocs") $(grep -c R_386_GOTPC <<<"$relocs")"
# Entry 0 (call_abs at .text+0): site = 0 (the anchor, call_abs, + 0),
# slot = 4 (pv_ops + 4), thunk = 0: the addends, in the fields they fill.
expect "REL addends stored in the entry's fields" \
	"70760118 00000000 04000000 00000000" \
	"$(objdump -s -j pvlink_sites forms.pv.o | awk '$1 == "0000" { print $2, $3, $4, $5; exit }')"

for f in apply hosted; do
	gcc -m32 -std=c11 -Wall -Wextra -Werror -O2 -I"$top/include" -c "$top/kernel-glue/$f.c" \
		-o $f.o || fail "build" "kernel-glue/$f.c does not compile with -m32"
done
ar rcs libpvops32.a apply.o hosted.o
gcc -m32 -O2 -no-pie -I"$top/include" "$fx/forms_main.c" "$top/kernel-glue/retpoline.S" forms.pv.o \
	libpvops32.a -Wl,--emit-relocs -o forms
"$PVLINK" verify forms --ops pv_ops --ops local_ops >verify.out
expect "verify accepts the image" "0" "$?"
expect "verify counts" "forms: 9 entries, 0 bad; 9 patchable sites rescanned, 0 without entry" \
	"$(cat verify.out)"
./forms >run.out
expect "program exit status" 0 $?
expect "outcomes" "counts: direct=9 inlined=0 nop=0 indirect=0 mismatch=0 bad=0 failed=0 writes=9" \
	"$(grep '^counts:' run.out)"
expect "only recorded sites changed" "diff: only recorded sites changed" "$(grep '^diff:' run.out)"
expect "same behaviour before and after" "$(sed -n 's/^indirect: //p' run.out)" \
	"$(sed -n 's/^patched: //p' run.out)"
expect "calls made" "calls 0 16 5 0" "$(sed -n 's/^patched: //p' run.out)"

# An image whose site changed after the table was made, and one whose
# entry claims x86-64 code: verify refuses both, naming the entry.
# "ADDR OFFSET" of a section of the image
shdr() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk -v n="$2" '$1 == n { print $3, $4 }'
}
patch_byte() {
	printf '%b' "\\x$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
site=$(printf '%x' "0x$(nm forms | awk '$3 == "call_abs" { print $1 }')")
read -r text_addr text_off <<<"$(shdr forms .text)"
read -r _ table_off <<<"$(shdr forms pvlink_sites)"
cp forms stale && patch_byte stale $((0x$text_off + 0x$site - 0x$text_addr)) 90
expect "verify refuses a changed i386 site" \
	"stale: error: call_abs+0x0: entry 0 (site 0x$site): site no longer holds the recorded instructions" \
	"$("$PVLINK" verify -q stale 2>&1)"
# entry 0's form byte: PVOPS_I386 | PVOPS_ABS (0x18) becomes PVOPS_ABS alone
cp forms mixed && patch_byte mixed $((0x$table_off + 3)) 08
expect "verify refuses an x86-64 entry in an i386 image" \
	"mixed: error: call_abs+0x0: entry 0 (site 0x$site): entry describes code of another machine (i386 and x86-64 mixed)" \
	"$("$PVLINK" verify -q mixed 2>&1)"

# The applier, hosted: i386 encodings byte for byte (-m32), and what the
# tool, a 64-bit program, relies on (-m64).
for m in 32 64; do
	if gcc -m$m -std=c11 -Wall -Wextra -Werror -O2 -I"$top/include" \
		"$top/tests/unit/applier32.c" "$top/kernel-glue/apply.c" -o applier$m; then
		./applier$m | sed "s/^\(PASS\|FAIL\): /\1: -m$m: /"
	else
		fail "applier -m$m" "tests/unit/applier32.c does not compile"
	fi
done
# ... and freestanding, with an i386 kernel's flags, needing nothing outside.
kflags="-m32 -ffreestanding -nostdlib -fno-pic -mregparm=3 -mno-sse -mno-mmx -O2"
for cc in gcc clang; do
	# shellcheck disable=SC2086
	if ! command -v $cc >/dev/null; then
		skip "$cc freestanding -m32" "$cc not installed"
	elif $cc -std=c11 -Wall -Wextra -Werror $kflags -I"$top/include" \
		-c "$top/kernel-glue/apply.c" -o kapply.o; then
		expect "$cc: freestanding -m32 applier needs no outside symbol" "" "$(nm -u kapply.o)"
	else
		fail "$cc freestanding -m32" "kernel-glue/apply.c does not build with $kflags"
	fi
done

# The audit of i386 objects: the rows of x86-64, with i386 instructions;
# under -fpie the calls are GOT-relative, patched where the GOT register
# is proven, and the hoisted table address is reported.
cp "$fx/audit32.o" audit.o            # committed: tests/fixtures/mkobjects.sh
cp "$fx/audit32-pie.o" audit-pie.o
"$PVLINK" audit audit.o --ops dev_ops >audit.txt 2>audit.err
expect "audit exit status" 0 $?
expect_file "text report, -fno-pie" "$fx/audit32.expect" audit.txt
expect "no diagnostics with debug info" "" "$(cat audit.err)"
"$PVLINK" audit audit-pie.o --ops dev_ops >audit-pie.txt 2>&1
expect_file "text report, -fpie" "$fx/audit32-pie.expect" audit-pie.txt
"$PVLINK" audit audit-pie.o --ops dev_ops --fail-on unpatchable >/dev/null
expect "--fail-on unpatchable fails on the hoisted table address" 1 $?
"$PVLINK" audit audit.o --ops dev_ops --format json -o audit.json
expect "JSON matches the schema" "valid" "$(audit_json_valid audit.json)"
finish
