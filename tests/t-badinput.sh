#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every unusable input gets one line on stderr naming the file and the
# problem, a non-zero exit, no output file, and an untouched input.
. "$(dirname "$0")/lib.sh"
d=$(scratch)
cd "$d" || exit 1
MANGLE=$top/build/tests/mangle

cat >a.c <<'C'
struct pv_ops { void (*irq_disable)(void); void (*irq_enable)(void); };
extern struct pv_ops pv_ops;
struct pv_ops pv_ops;
void f(void) { pv_ops.irq_disable(); pv_ops.irq_enable(); }
int main(void) { return 0; }
C
gcc -O2 -fno-pic -c a.c -o a.o
gcc -mx32 -O2 -c a.c -o a32.o
echo hello >notelf.o
head -c 100 a.o >trunc-header.o
head -c 1000 a.o >trunc-sections.o
cp a.o reloc-offset.o && $MANGLE reloc-offset reloc-offset.o .rela.text 0 0x100000
cp a.o reloc-sym.o && $MANGLE reloc-sym reloc-sym.o .rela.text 0 999
cp a.o data-offset.o && $MANGLE shdr data-offset.o .text offset 0x7fffffff
gcc -no-pie a.o -o linked
"$PVLINK" table -q a.o -o tabled.o --ops pv_ops
gcc -no-pie tabled.o -o image-norelocs
gcc -no-pie tabled.o -Wl,--emit-relocs -o image-stale
$MANGLE site image-stale 0 0x90

# bad_input NAME "ARGS" STATUS "STDERR LINE" [OUTPUT FILE]
bad_input() {
	local name=$1 args=$2 want_status=$3 want_err=$4 out=${5:-out.o}
	local inputs before after status err
	inputs=$(ls *.o linked image-* 2>/dev/null)
	before=$(sha256sum $inputs)
	# shellcheck disable=SC2086
	err=$("$PVLINK" $args 2>&1 >/dev/null)
	status=$?
	after=$(sha256sum $inputs)
	expect "$name: exit status" "$want_status" "$status"
	expect "$name: message" "$want_err" "$err"
	if [ -e "$out" ] || ls "$out".tmp* >/dev/null 2>&1; then
		fail "$name: no output" "$out or a temporary file was left behind"
	else
		pass "$name: no output"
	fi
	expect "$name: input untouched" "$before" "$after"
}

bad_input "not ELF" "table notelf.o -o out.o --ops pv_ops" 2 \
	"notelf.o: error: not an ELF file"
bad_input "truncated header" "table trunc-header.o -o out.o --ops pv_ops" 2 \
	"trunc-header.o: error: truncated: section headers end past the end of the file"
bad_input "truncated sections" "table trunc-sections.o -o out.o --ops pv_ops" 2 \
	"trunc-sections.o: error: truncated: section headers end past the end of the file"
bad_input "section data outside file" "table data-offset.o -o out.o --ops pv_ops" 2 \
	"data-offset.o: error: section .text: data lies outside the file (truncated?)"
bad_input "wrong machine" "table a32.o -o out.o --ops pv_ops" 2 \
	"a32.o: error: unsupported machine (ELF class 1, machine 62): pvlink handles x86-64, i386 and AArch64"
bad_input "linked image to table" "table linked -o out.o --ops pv_ops" 2 \
	"linked: error: is a linked image: run pvlink table on the relocatable object before the final link"
bad_input "ops is a function" "table a.o -o out.o --ops f" 2 \
	"a.o: error: f: is a function, not an ops table (an object)"
bad_input "no ops table" "table a.o -o out.o" 2 \
	"a.o: error: no ops table: name one with --ops SYM or mark it with PVOPS_TABLE()"
bad_input "relocation outside section" "table reloc-offset.o -o out.o --ops pv_ops" 2 \
	"reloc-offset.o: error: .text+0x100000: relocation outside its section"
bad_input "relocation symbol out of range" "table reloc-sym.o -o out.o --ops pv_ops" 2 \
	"reloc-sym.o: error: .text+0x6: relocation names symbol 999 of 7"
bad_input "already has a table" "table tabled.o -o out.o --ops pv_ops" 2 \
	"tabled.o: error: already has a pvlink table (section pvlink_sites)"
bad_input "output directory missing" "table a.o -o nodir/out.o --ops pv_ops" 2 \
	"nodir/out.o: error: cannot create output: No such file or directory" nodir/out.o
bad_input "verify an object" "verify a.o" 2 \
	"a.o: error: is a relocatable object: verify checks the linked image"
bad_input "verify without table" "verify linked" 1 \
	"linked: error: no pvlink table (section pvlink_sites): run pvlink table on the object before the final link"
bad_input "completeness without relocations" "verify --complete image-norelocs" 2 \
	"image-norelocs: error: no relocations in the image: link with -Wl,--emit-relocs to check completeness"
# gcc -O2 opens f with sub $8,%rsp (4 bytes); the first call follows.
site=$(nm image-stale | awk '$3 == "f" { print $1 }')
bad_input "stale table" "verify -q image-stale" 1 \
	"image-stale: error: f+0x4: entry 0 (site 0x$(printf %x $((0x$site + 4)))): site no longer holds the recorded instructions"
bad_input "unknown command" "frob a.o" 2 "pvlink: unknown command 'frob'
$("$PVLINK" --help)"
bad_input "missing -o" "table a.o --ops pv_ops" 2 "pvlink: table needs -o OUT.o
$("$PVLINK" table --help)"

# The good path leaves the input alone too, and verify accepts the image.
"$PVLINK" verify -q image-norelocs
expect "verify without --emit-relocs checks the entries" 0 $?
finish
