#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pvlink audit: exact rows for a fixture with a hoisted base pointer, a
# runtime write, an init write and an inlined call; the JSON against its
# schema; the HTML in headless Chromium; --fail-on; archives; the kernel.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
fx=$top/tests/fixtures

# the committed object (tests/fixtures/mkobjects.sh), so that the golden
# report does not change with the compiler; without debug info, the same code
cp "$fx/audit.o" audit.o
objcopy --strip-debug audit.o nodebug.o

"$PVLINK" audit audit.o --ops dev_ops >audit.txt 2>audit.err
expect "audit exit status" 0 $?
expect_file "text report" "$fx/audit.expect" audit.txt
expect "no diagnostics with debug info" "" "$(cat audit.err)"

# JSON: valid against the schema, and the rows a reviewer looks for.
"$PVLINK" audit audit.o --ops dev_ops --format json -o audit.json
validate() { audit_json_valid "$1"; }
expect "JSON matches the schema" "valid" "$(validate audit.json)"
sed 's/"version": 2/"version": 3/' audit.json >bad.json
expect "the schema rejects another version" "invalid: 2 was expected" "$(validate bad.json)"
row() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["sites"]:
    if s["function"] == sys.argv[2] and s["kind"] == sys.argv[3]:
        print(s["line"], s["field"], s["patchable"], s["phase"], s["reason"], s["inlined"])
' "$1" "$2" "$3"
}
expect "hoisted base pointer: not patchable, with its line" \
	"29 None False runtime takes the table's address (a base pointer kept in a register) None" \
	"$(row audit.json spin address)"
expect "runtime write flagged" "22 reset False runtime stores to the ops field None" \
	"$(row audit.json dev_override write)"
expect "init write" "17 reset False init stores to the ops field None" "$(row audit.json dev_init write)"
expect "inlined call, with its chain" \
	"15 reset True None None dev_reset <- reset_twice (audit.c:38)
39 reset True None None None" "$(row audit.json reset_twice call; row audit.json reset_twice jump)"
summary=$(python3 -c '
import json; s = json.load(open("audit.json"))["summary"]
print(s["sites"], s["patchable"], s["not_patchable"], s["coverage_percent"], s["runtime_writes"], s["init_writes"])')
expect "JSON summary" "4 3 1 75.0 1 1" "$summary"

# HTML: loads in a real browser without console errors, shows the same totals.
if command -v chromium >/dev/null; then
	"$PVLINK" audit audit.o --ops dev_ops --format html -o audit.html
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$work/chromium" --enable-logging=stderr --v=0 \
		--dump-dom "file://$work/audit.html" >dom.html 2>chromium.log
	expect "chromium loaded the page" 0 $?
	expect "no console messages" "" "$(grep ':CONSOLE' chromium.log)"
	totals=$(for id in sites patchable not-patchable coverage runtime-writes init-writes; do
		sed -n "s/.*id=\"total-$id\"[^>]*>\([^<]*\)<.*/\1/p" dom.html; done | tr '\n' ' ')
	expect "HTML totals equal the JSON summary" "4 3 1 75.0% 1 1 " "$totals"
	expect "HTML lists every reference" 6 "$(grep -o '<tr><td data-key' dom.html | wc -l)"
else
	skip "html in chromium" "chromium is not installed"
fi

# --fail-on
"$PVLINK" audit -q audit.o --ops dev_ops --fail-on unpatchable >/dev/null
expect "--fail-on unpatchable with an unpatchable site" 1 $?
"$PVLINK" audit audit.o --ops dev_ops --fail-on runtime-writes >/dev/null
expect "--fail-on runtime-writes with a runtime write" 1 $?
"$PVLINK" audit audit.o --ops dev_ops --fail-on sometimes >/dev/null 2>&1
expect "--fail-on takes two words" 2 $?

# Archives: every member audited; a member that is not ELF reported and skipped.
echo "not an object" >notes.txt
ar rcs lib.a audit.o notes.txt
"$PVLINK" audit lib.a --ops dev_ops --format json -o lib.json 2>lib.err
expect "archive exit status" 0 $?
expect "non-ELF member reported" "lib.a(notes.txt): warning: not an ELF object, skipped" "$(cat lib.err)"
expect "rows name the member" "lib.a(audit.o) 6" \
	"$(python3 -c 'import json; d = json.load(open("lib.json")); print(d["sites"][0]["file"], len(d["sites"]))')"

# Without debug info: offsets, no lines, one note.
"$PVLINK" audit nodebug.o --ops dev_ops --format json -o nodebug.json 2>nodebug.err
expect "no debug info: said once" "nodebug.o: note: no debug info: fields shown by offset, no source lines" \
	"$(cat nodebug.err)"
expect "no debug info: offsets instead of names" "None None 8" \
	"$(python3 -c 'import json; s = json.load(open("nodebug.json"))["sites"][2]; print(s["field"], s["line"], s["field_offset"])')"

# C++ callers are shown demangled.
g++ -O2 -g -c "$fx/audit_cxx.cc" -o cxx.o
expect "C++ function demangled" "drv::Widget::poke(int)" \
	"$("$PVLINK" audit cxx.o --ops cxx_ops --format json | python3 -c 'import json, sys; print(json.load(sys.stdin)["sites"][0]["function"])')"

# Bad input: one line, exit 2, no report file.
echo hello >notelf.o
"$PVLINK" audit notelf.o --ops dev_ops -o out.txt 2>err.txt
expect "not ELF: exit" 2 $?
expect "not ELF: message" "notelf.o: error: not an ELF file or archive" "$(cat err.txt)"
gcc -no-pie -O2 audit.o -nostartfiles -e dev_init -o linked 2>/dev/null
"$PVLINK" audit linked --ops dev_ops -o out.txt 2>err.txt
expect "image without relocations: message" \
	"linked: error: no relocations in the image: link with -Wl,--emit-relocs to audit it" "$(cat err.txt)"
expect "no report file after errors" "" "$(ls out.txt* 2>/dev/null)"

# The example kernel: 100% patchable, all writes at init.
kdir=$work/minikernel
mkdir -p "$kdir" && cp "$top"/examples/minikernel/{*.[chS],*.lds,*.sh,Makefile} "$kdir"
if make -s -C "$kdir" TOP="$top" PVLINK="$PVLINK" kernel.elf >kbuild.log 2>&1; then
	"$PVLINK" audit "$kdir/kernel.elf" --fail-on unpatchable --fail-on runtime-writes >kernel.txt
	expect "kernel passes both gates" 0 $?
	expect "kernel totals" "total: 24 sites, 24 patchable (100.0%), 0 not patchable; 0 runtime writes, 12 init writes" \
		"$(sed -n 2p kernel.txt)"
	expect "kernel: a row with field, source and default" \
		"pv_ops.read_msr call call *pv_ops+0x40(%rip) patchable main.c:50" \
		"$(awk '$3 == "kmain" && $5 == "pv_ops.read_msr" { print $5, $6, $7, $8, $9, $4 }' kernel.txt |
			capstone_spelling)"
else
	fail "kernel build" "$(cat kbuild.log)"
fi
finish
