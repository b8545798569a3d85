#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# AArch64 shapes (tests/fixtures/a64-shapes.S, one function per shape, so
# the expected classification does not depend on a compiler's choices):
# exactly the sites the proofs in pvlink/arch/arm64/classify.c cover are
# patchable, every other reference says why not; the table links and
# verifies; and bad AArch64 input is refused with one line.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
fx=$top/tests/fixtures

if ! command -v aarch64-linux-gnu-as >/dev/null || ! command -v aarch64-linux-gnu-ld >/dev/null; then
	skip "AArch64 shapes" "aarch64-linux-gnu binutils are not installed"
	finish
fi
aarch64-linux-gnu-as "$fx/a64-shapes.S" -o shapes.o
"$PVLINK" table -v shapes.o -o shapes.pv.o --ops ops >table.out 2>table.err
expect "exit status of table" 0 $?
expect_file "classification of every shape" "$fx/a64-shapes.expect" table.out
expect "table piece relocations" \
	"12 R_AARCH64_PREL32" \
	"$(aarch64-linux-gnu-readelf -W -r shapes.pv.o | awk '/\.relapvlink_sites/ { on = 1; next }
		on && /R_AARCH64/ { n++; t = $3 } END { print n, t }')"

# The audit's rows in JSON and HTML, as on x86.
"$PVLINK" audit shapes.o --ops ops --format json -o shapes.json 2>/dev/null
expect "audit JSON matches the schema" "valid" "$(audit_json_valid shapes.json)"
expect "audit JSON: 25 rows, 6 patchable" "25 6" "$(python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))["sites"]; print(len(s), sum(r["patchable"] for r in s))' shapes.json)"
"$PVLINK" audit shapes.o --ops ops --format html -o shapes.html 2>/dev/null
expect "audit HTML: one row per reference" 25 "$(grep -c '<td>.text+0x' shapes.html)"

# Linked, the entries name the branches and verify accepts them; with
# --emit-relocs the rescan finds no patchable site without an entry.
printf '.data\n.globl ops\n.type ops, %%object\n.size ops, 32\n.balign 8\nops: .quad 0, 0, 0, 0\n' >ops.S
aarch64-linux-gnu-as ops.S -o ops.o
aarch64-linux-gnu-ld -e single --emit-relocs shapes.pv.o ops.o -o shapes.elf
expect "verify --complete" \
	"shapes.elf: 6 entries, 0 bad; 6 patchable sites rescanned, 0 without entry" \
	"$("$PVLINK" verify shapes.elf --complete 2>&1)"
printf '.text\n.globl other\n.type other, %%function\nother: adrp x8, ops+8\nldr x8, [x8, :lo12:ops+8]\nblr x8\nret\n.size other, .-other\n' >other.S
aarch64-linux-gnu-as other.S -o other.o
aarch64-linux-gnu-ld -e single --emit-relocs shapes.pv.o other.o ops.o -o missing.elf
"$PVLINK" verify missing.elf --complete >missing.out 2>&1
expect "verify --complete: exit status with a site missing" 1 $?
expect "verify --complete names the site an object never got an entry for" \
	"missing.elf: error: other+0x8: patchable call through ops+0x8 has no table entry (object not run through pvlink table?)" \
	"$(grep -m1 other+0x8 missing.out)"

# A relocation type no AArch64 ops call uses, on an instruction.
printf '.text\nf: tbz w0, #0, 1f\n.reloc f, R_AARCH64_TSTBR14, ops+8\n1: ret\n' >odd.S
aarch64-linux-gnu-as odd.S -o odd.o
expect "unknown relocation type: reported, not patched" \
	"  .text+0x0                        ops+0x8 address tbz w0, #0, ops+0x8: the relocation does not give the slot's address (unexpected type)
odd.pv.o: 1 references, 0 patchable, 1 not patchable" \
	"$("$PVLINK" table -v odd.o -o odd.pv.o --ops ops 2>&1)"

# A truncated instruction stream: the last word is cut, a relocation in it.
printf '.text\nf: adrp x8, ops\n.byte 0, 0\n.reloc f+4, R_AARCH64_LDST64_ABS_LO12_NC, ops\n' >cut.S
aarch64-linux-gnu-as cut.S -o cut.o
"$PVLINK" table cut.o -o cut.pv.o --ops ops >cut.out 2>&1
expect "truncated instruction: exit status" 2 $?
expect "truncated instruction: one line" "cut.o: error: .text+0x4: relocation outside its section" \
	"$(cat cut.out)"
expect "truncated instruction: no output" "" "$(ls cut.pv.o 2>/dev/null)"
finish
