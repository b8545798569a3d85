#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A build runs pvlink on every object and module; most call nothing
# through the ops table.  A named table that an input neither defines nor
# references is no error: table writes the object unchanged but for its
# note, audit reports 0 sites.  A name that no input at all knows (a typo)
# gets exactly one warning line, and the exit status stays 0.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

# A module-like object: kernel code model, two units linked with ld -r.
cat >inode.c <<'C'
int ext4_inode_size(int blocks) { return blocks * 4096; }
C
cat >super.c <<'C'
static char name[] __attribute__((section(".modinfo"), used)) = "name=ext4";
int ext4_fill_super(int x) { return x + 1; }
C
for f in inode super; do
	gcc -O2 -g -mcmodel=kernel -fno-pic -ffreestanding -c $f.c -o $f.o
done
ld -r inode.o super.o -o ext4.ko
# Defines the table (with an initializer) but never calls through it.
cat >def.c <<'C'
struct pv_ops { void (*irq_disable)(void); void (*irq_enable)(void); };
static void native_irq_disable(void) {}
static void native_irq_enable(void) {}
struct pv_ops pv_ops = { native_irq_disable, native_irq_enable };
C
# Calls through it.
cat >calls.c <<'C'
struct pv_ops { void (*irq_disable)(void); void (*irq_enable)(void); };
extern struct pv_ops pv_ops;
void f(void) { pv_ops.irq_disable(); pv_ops.irq_enable(); }
C
gcc -O2 -g -fno-pic -c def.c -o def.o
gcc -O2 -g -fno-pic -c calls.c -o calls.o
typo="pvlink: warning: --ops pv_ops: no input defines or references it"

# sections: NAME TYPE FLAGS SIZE, in order
sections() { readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '{ print $1, $2, $6, $NF }'; }

"$PVLINK" table ext4.ko -o out.ko --ops pv_ops >out 2>err
expect "module without reference: table exit status" 0 $?
expect "module without reference: table summary" \
	"out.ko: 0 references, 0 patchable, 0 not patchable" "$(cat out)"
expect "module without reference: table warns once (no input knows pv_ops)" "$typo" "$(cat err)"
expect "module without reference: no pvlink table, the input's sections then the note" \
	"$(sections ext4.ko; echo ".note.pvlink NOTE 00 4")" "$(sections out.ko)"
expect "module without reference: every section's contents unchanged" \
	"$(objdump -s ext4.ko | tail -n +3)" \
	"$(objdump -s out.ko | tail -n +3 | sed '/^Contents of section .note.pvlink:/,$d')"
expect "module without reference: symbols unchanged" \
	"$(readelf -sW ext4.ko)" "$(readelf -sW out.ko)"

"$PVLINK" table -q ext4.ko -o out.ko --ops pv_ops >out 2>err
expect "module without reference: table -q: exit status" 0 $?
expect "module without reference: table -q: silent" "" "$(cat out err)"
"$PVLINK" table -q out.ko -o again.ko --ops pv_ops
expect "run again on its output: exit status" 0 $?
expect "run again on its output: still one note" 1 "$(readelf -SW again.ko | grep -c '\.note\.pvlink')"

"$PVLINK" table -v ext4.ko -o out.ko --ops pv_ops >out 2>err
expect "module without reference: table -v: the note, then the warning" \
	"ext4.ko: note: pv_ops: neither defined nor referenced here: 0 sites
$typo" "$(cat err)"

"$PVLINK" audit ext4.ko --ops pv_ops --fail-on unpatchable >out 2>err
expect "module without reference: audit exit status (with --fail-on)" 0 $?
expect "module without reference: audit warns once" "$typo" "$(cat err)"
expect "module without reference: audit reports 0 sites" \
	"pvlink audit: 1 input, 0 references to 1 ops table
total: 0 sites, 0 patchable (100.0%), 0 not patchable; 0 runtime writes, 0 init writes

ops table pv_ops: 0 sites, 0 patchable (100.0%), 0 not patchable; 0 runtime writes, 0 init writes" \
	"$(cat out)"
"$PVLINK" audit ext4.ko --ops pv_ops --format json -o zero.json 2>/dev/null
expect "module without reference: audit json: 0 sites, total and table" 2 \
	"$(grep -c '"sites": 0' zero.json)"
expect "module without reference: audit json matches the schema" valid \
	"$(audit_json_valid zero.json)"

"$PVLINK" table def.o -o out.o --ops pv_ops >out 2>err
expect "defines the table, no call: table exit status" 0 $?
expect "defines the table, no call: table says nothing on stderr" "" "$(cat err)"
expect "defines the table, no call: no pvlink table" "" "$(readelf -SW out.o | grep pvlink_sites)"
"$PVLINK" audit def.o --ops pv_ops --fail-on unpatchable >out 2>err
expect "defines the table, no call: audit exit status" 0 $?
expect "defines the table, no call: audit says nothing on stderr" "" "$(cat err)"
expect "defines the table, no call: 0 sites, fields from the initializer" \
	"ops table pv_ops: 0 sites, 0 patchable (100.0%), 0 not patchable; 0 runtime writes, 0 init writes
  never called: irq_disable, irq_enable" "$(grep -e '^ops table' -e 'never called' out)"

"$PVLINK" audit -v calls.o ext4.ko def.o --ops pv_ops >out 2>err
expect "three inputs, one without reference: audit -v exit status" 0 $?
expect "three inputs, one without reference: -v notes that one, no warning" \
	"ext4.ko: note: pv_ops: neither defined nor referenced here: 0 sites" "$(cat err)"
expect "three inputs: the calls are counted" \
	"ops table pv_ops: 2 sites, 2 patchable (100.0%), 0 not patchable; 0 runtime writes, 0 init writes" \
	"$(grep '^ops table' out)"

"$PVLINK" audit calls.o ext4.ko --ops pv_ops --ops pv_opz >out 2>err
expect "a typo in --ops: audit exit status" 0 $?
expect "a typo in --ops: exactly one warning line" \
	"pvlink: warning: --ops pv_opz: no input defines or references it" "$(cat err)"
expect "a typo in --ops: reported with 0 sites" \
	"ops table pv_ops: 2 sites, 2 patchable (100.0%), 0 not patchable; 0 runtime writes, 0 init writes
ops table pv_opz: 0 sites, 0 patchable (100.0%), 0 not patchable; 0 runtime writes, 0 init writes" \
	"$(grep '^ops table' out)"
"$PVLINK" table calls.o -o out.o --ops pv_ops --ops pv_opz >out 2>err
expect "a typo in --ops: table exit status" 0 $?
expect "a typo in --ops: table: exactly one warning line" \
	"pvlink: warning: --ops pv_opz: no input defines or references it" "$(cat err)"
expect "a typo in --ops: the real table's sites are still written" \
	"out.o: 2 references, 2 patchable, 0 not patchable" "$(cat out)"

# No name at all and nothing marked is still a usage error.
"$PVLINK" audit ext4.ko >out 2>err
expect "no --ops and no marked table: audit exit status" 2 $?
expect "no --ops and no marked table: message" \
	"ext4.ko: error: no ops table: name one with --ops SYM or mark it with PVOPS_TABLE()" "$(cat err)"
finish
