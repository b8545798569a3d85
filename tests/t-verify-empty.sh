#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# An image built from objects that went through pvlink table but had no
# site to patch has no table, only the note every output of table carries:
# verify reports 0 entries and succeeds, with GNU ld, gold and lld, with
# --gc-sections, stripped, and with a kernel-style script that gathers
# the notes into .notes.  An image never processed is still refused, and
# under --emit-relocs completeness is still checked.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

cat >defs.c <<'C'
struct pv_ops { void (*irq_disable)(void); void (*irq_enable)(void); };
static void native_irq_disable(void) {}
static void native_irq_enable(void) {}
struct pv_ops pv_ops = { native_irq_disable, native_irq_enable };
int main(void) { return 0; }
C
cat >calls.c <<'C'
struct pv_ops { void (*irq_disable)(void); void (*irq_enable)(void); };
extern struct pv_ops pv_ops;
void g(void) { pv_ops.irq_disable(); }
C
gcc -O2 -fno-pic -c defs.c -o defs.o
gcc -O2 -fno-pic -c calls.c -o calls.o
"$PVLINK" table -q defs.o -o defs-t.o --ops pv_ops
expect "no site: table adds no pvlink table" "" "$(readelf -SW defs-t.o | grep pvlink_sites)"

zero() { printf '%s: 0 entries, 0 bad; 0 patchable sites rescanned, 0 without entry' "$1"; }
for ld in bfd gold lld; do
	for flags in "" "-Wl,--emit-relocs" "-Wl,--gc-sections" "-s"; do
		name="$ld${flags:+ $flags}"
		if ! gcc -no-pie -fuse-ld=$ld defs-t.o $flags -o img 2>/dev/null; then
			skip "no site, $name" "cannot link"
			continue
		fi
		out=$("$PVLINK" verify img 2>&1)
		expect "no site, $name: verify exit status" 0 $?
		expect "no site, $name: 0 entries" "$(zero img)" "$out"
	done
done

gcc -m32 -O2 -fno-pic -c defs.c -o defs32.o 2>/dev/null &&
"$PVLINK" table -q defs32.o -o defs32-t.o --ops pv_ops &&
gcc -m32 -no-pie defs32-t.o -Wl,--emit-relocs -o img32 2>/dev/null
if [ -e img32 ]; then
	out=$("$PVLINK" verify img32 2>&1)
	expect "no site, i386: verify exit status" 0 $?
	expect "no site, i386: 0 entries" "$(zero img32)" "$out"
else
	skip "no site, i386" "no 32-bit toolchain"
fi

# A small kernel's script: every .note.* into one .notes (SHT_PROGBITS
# when no other note is there), .comment discarded.
cat >k.lds <<'L'
ENTRY(main)
SECTIONS {
	. = 0x100000;
	.text : { *(.text*) }
	.notes : { *(.note.*) }
	.data : { *(.data*) }
	.bss : { *(.bss*) }
	/DISCARD/ : { *(.comment) *(.eh_frame) *(.note.GNU-stack) }
}
L
ld -T k.lds --emit-relocs defs-t.o -o k.elf 2>/dev/null
out=$("$PVLINK" verify k.elf 2>&1)
expect "no site, notes gathered by a script: verify exit status" 0 $?
expect "no site, notes gathered by a script: 0 entries" "$(zero k.elf)" "$out"

# Completeness still holds: an object that calls but was not processed.
ld -T k.lds --emit-relocs defs-t.o calls.o -o k2.elf 2>/dev/null
out=$("$PVLINK" verify k2.elf --ops pv_ops 2>&1)
expect "no table, an unprocessed call: verify exit status" 1 $?
expect "no table, an unprocessed call: the site without entry" \
	"k2.elf: error: g+0x0: patchable call through pv_ops+0x0 has no table entry (object not run through pvlink table?)
k2.elf: 0 entries, 0 bad; 1 patchable sites rescanned, 1 without entry" "$out"

ld -T k.lds --emit-relocs defs.o -o k3.elf 2>/dev/null
out=$("$PVLINK" verify k3.elf 2>&1)
expect "never processed: verify exit status" 1 $?
expect "never processed: message" \
	"k3.elf: error: no pvlink table (section pvlink_sites): run pvlink table on the object before the final link" \
	"$out"
finish
