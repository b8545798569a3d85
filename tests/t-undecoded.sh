#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Code Capstone 4 cannot decode (rdpkru, wrpkru, AVX-512, AMX, CET,
# serialize, movdiri as bytes in tests/fixtures/undecoded.S): every call
# after it is still found and patched where proven, the patched program
# behaves the same, a reference inside such an instruction is its own
# kind (undecoded), and the audit never shows 100% while one exists.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
fx=$top/tests/fixtures

gcc -c "$fx/undecoded.S" -o und.o
"$PVLINK" table -v und.o -o und.pv.o --ops ops >table.out
expect "exit status of table" 0 $?
expect "every call after the unknown instructions" \
"  after_unknown+0x19               ops+0x0 call    callq *ops+0x0(%rip): patchable
  after_unknown+0x22               ops+0x8 call    movq ops+0x8(%rip), %r11; callq __x86_indirect_thunk_r11: patchable
  loop_back+0xc                    ops+0x10 jump    jmpq *ops+0x10(%rip): patchable
  stores_unknown+0x0               ops+0x0 undecoded movdiri %rax,ops+0x0(%rip): in an instruction Capstone cannot decode: pvlink cannot tell what it does with the field
und.pv.o: 4 references, 3 patchable, 1 not patchable" "$(cat table.out)"

gcc -O2 -no-pie -I"$top/include" "$fx/undecoded_main.c" "$top/kernel-glue/retpoline.S" \
	und.pv.o "$top/build/libpvops.a" -o und
./und >run.out
expect "program exit status" 0 $?
expect "same results before and after" "$(sed -n 's/^indirect: //p' run.out)" \
	"$(sed -n 's/^patched: //p' run.out)"
expect "results" "21 301" "$(sed -n 's/^patched: //p' run.out)"
expect "outcomes" "counts: direct=3 mismatch=0 bad=0" "$(grep '^counts:' run.out)"

# A %rip-relative field inside bytes no decoder knows (0xd6 is invalid in
# 64-bit mode): its operand is taken to end the instruction, so the field
# is ops+0x8, not the raw addend 0x4.
printf '.text\njunk: .byte 0xd6\n.long ops+8-.-4\nret\n' >raw.S
gcc -c raw.S -o raw.o
expect "field of a relocation in bytes no decoder knows" \
	".text+0x1 ops+0x8 undecoded (not decoded) not patchable: no instruction decodes at this relocation" \
	"$("$PVLINK" audit raw.o --ops ops 2>/dev/null | awk '/^  0x1 /{$1=""; $3=""; $4=""; print}' | tr -s ' ' | sed 's/^ //')"

# 1000 patchable calls and one undecoded reference: 99.9%, not 100.0%.
{
	echo '.text; .globl f; f:'
	for i in $(seq 1000); do echo 'call *ops+0(%rip)'; done
	echo 'movdiri %rax, ops+8(%rip); ret'
} >many.S
gcc -c many.S -o many.o
"$PVLINK" audit many.o --ops ops >audit.txt 2>/dev/null
expect "audit status" 0 $?
expect "coverage stays below 100% with one undecoded reference" \
	"total: 1001 sites, 1000 patchable (99.9%), 1 not patchable; 0 runtime writes, 0 init writes" \
	"$(sed -n 2p audit.txt)"
"$PVLINK" audit many.o --ops ops --fail-on unpatchable >/dev/null 2>&1
expect "--fail-on unpatchable fails on it" 1 $?
"$PVLINK" audit many.o --ops ops --format json -o many.json 2>/dev/null
expect "JSON row kind" "undecoded" \
	"$(python3 -c 'import json,sys; print([s["kind"] for s in json.load(open(sys.argv[1]))["sites"] if not s["patchable"]][0])' many.json)"
expect "JSON coverage" "99.9" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["coverage_percent"])' many.json)"
expect "JSON matches the schema" "valid" "$(audit_json_valid many.json)"
finish
