#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pvlink audit names fields from BTF when there is no DWARF, as in Debian's
# vmlinux and modules: a "kernel" and a "module" built with -g, given BTF
# by pahole -J (the module's split on the kernel's with --btf_base), then
# stripped of DWARF.  Exact rows for nested members (pv_ops.cpu.write_msr),
# with and without --base-btf; with DWARF, the same nested names, DWARF
# winning over BTF; a bad --base-btf is one line and exit 2.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
fx=$top/tests/fixtures

if ! command -v pahole >/dev/null; then
	skip "BTF audits" "pahole is not installed (Debian package dwarves)"
	finish
fi
cc="gcc -O2 -fno-pic -g -c"
has() { readelf -S "$1" | grep -c " $2 "; }
field_col() { awk '/^references:/ { on = 1; next } on && NF { print $5 }' "$1" | tail -n +2; }

# With DWARF: nested names, down to the leaf (not "cpu", not "mmu").
mkdir dwarf complete split
$cc "$fx/btf_module.c" -o dwarf/module.o
$cc "$fx/btf_vmlinux.c" -o dwarf/vmlinux.o
"$PVLINK" audit dwarf/module.o --ops pv_ops >dwarf.txt 2>dwarf.err
expect "DWARF: exit status" 0 $?
expect "DWARF: no diagnostics" "" "$(cat dwarf.err)"
expect_file "DWARF: nested names" "$fx/btf-dwarf.expect" dwarf.txt
expect "DWARF: the issue's example, pv_ops.cpu.io_delay" "pv_ops.cpu.io_delay" \
	"$("$PVLINK" audit dwarf/vmlinux.o --ops pv_ops | field_col /dev/stdin)"

# Complete BTF, no DWARF (Debian's vmlinux; a module built without a base).
for f in module vmlinux; do
	cp "dwarf/$f.o" "complete/$f.o"
	pahole -J "complete/$f.o" && objcopy --strip-debug "complete/$f.o"
done
expect "complete: BTF kept, DWARF gone" "1 0" \
	"$(has complete/module.o .BTF) $(has complete/module.o .debug_info)"
(cd complete && "$PVLINK" audit module.o --ops pv_ops >../complete.txt 2>../complete.err)
expect "complete BTF: exit status" 0 $?
expect "complete BTF: the note says where names came from" \
	"module.o: note: no debug info: field names from BTF, no source lines" "$(cat complete.err)"
expect_file "complete BTF: nested names" "$fx/btf.expect" complete.txt
(cd complete && "$PVLINK" audit vmlinux.o --ops pv_ops >../kernel.txt 2>/dev/null)
expect "complete BTF: kernel row and its default" \
	"pv_ops.cpu.io_delay cpu.io_delay 0x0 native_io_delay" \
	"$(field_col kernel.txt) $(awk '$1 == "cpu.io_delay" { print $1, $2, $NF }' kernel.txt)"

# Split BTF (a module's): unreadable alone, named on top of --base-btf.
cp complete/vmlinux.o split/vmlinux.o
cp dwarf/module.o split/module.o
pahole --btf_base split/vmlinux.o -J split/module.o && objcopy --strip-debug split/module.o
objcopy --dump-section .BTF=split/vmlinux.btf split/vmlinux.o
cd split || exit 1
"$PVLINK" audit module.o --ops pv_ops >../alone.txt 2>../alone.err
expect "split BTF alone: exit status" 0 $?
expect "split BTF alone: one warning, then the note" \
	"module.o: warning: unreadable .BTF: Invalid argument: fields shown by offset (a module's split BTF needs --base-btf FILE)
module.o: note: no debug info: fields shown by offset, no source lines" "$(cat ../alone.err)"
expect "split BTF alone: offsets" "pv_ops+0x30 pv_ops+0x28 pv_ops+0x10 pv_ops+0x18 pv_ops+0x20" \
	"$(field_col ../alone.txt | tr '\n' ' ' | sed 's/ $//')"
"$PVLINK" audit module.o --ops pv_ops --base-btf vmlinux.o >../split.txt 2>../split.err
expect "split BTF on an ELF base: exit status" 0 $?
expect "split BTF on an ELF base: note" \
	"module.o: note: no debug info: field names from BTF, no source lines" "$(cat ../split.err)"
expect_file "split BTF on an ELF base: nested names" "$fx/btf.expect" ../split.txt
"$PVLINK" audit module.o --ops pv_ops --base-btf vmlinux.btf >../raw.txt 2>/dev/null
expect_file "split BTF on a raw BTF base (as /sys/kernel/btf/vmlinux)" "$fx/btf.expect" ../raw.txt
cp module.o module2.o
"$PVLINK" audit module.o module2.o --ops pv_ops --base-btf vmlinux.o >/dev/null 2>../two.err
expect "two modules: each named from its own BTF" \
	"module.o: note: no debug info: field names from BTF, no source lines
module2.o: note: no debug info: field names from BTF, no source lines" "$(cat ../two.err)"
cd .. || exit 1

# A module without any BTF: the base's types still name the fields.
objcopy --strip-debug dwarf/module.o bare.o
expect "no BTF in the input: the base's types" "pv_ops.mmu.write_cr3" \
	"$("$PVLINK" audit bare.o --ops pv_ops --base-btf split/vmlinux.o 2>/dev/null | field_col /dev/stdin | head -1)"

# DWARF first: BTF that names the leaves otherwise does not override it.
gcc -O2 -fno-pic -g -DRENAMED -c "$fx/btf_module.c" -o renamed.o
pahole -J renamed.o && objcopy --dump-section .BTF=renamed.btf renamed.o
objcopy --add-section .BTF=renamed.btf dwarf/module.o mixed.o
expect "DWARF and BTF: DWARF's names" "pv_ops.mmu.write_cr3" \
	"$("$PVLINK" audit mixed.o --ops pv_ops | field_col /dev/stdin | head -1)"
objcopy --strip-debug mixed.o mixed-nodwarf.o
expect "BTF alone: BTF's names" "pv_ops.mmu.btf_write_cr3" \
	"$("$PVLINK" audit mixed-nodwarf.o --ops pv_ops 2>/dev/null | field_col /dev/stdin | head -1)"

# A bad --base-btf: one line, exit 2, no report.
bad() {	# NAME FILE MESSAGE
	"$PVLINK" audit complete/module.o --ops pv_ops --base-btf "$2" -o out.txt >out.stdout 2>err.txt
	expect "$1: exit" 2 $?
	expect "$1: message" "$3" "$(cat err.txt)"
	expect "$1: no report" "" "$(cat out.stdout; ls out.txt* 2>/dev/null)"
}
echo "not btf" >junk
bad "--base-btf junk" junk \
	"junk: error: no BTF: --base-btf takes a vmlinux with a .BTF section or /sys/kernel/btf/vmlinux"
bad "--base-btf without .BTF" dwarf/module.o \
	"dwarf/module.o: error: no BTF: --base-btf takes a vmlinux with a .BTF section or /sys/kernel/btf/vmlinux"
bad "--base-btf missing" nosuch "nosuch: error: cannot open: No such file or directory"
head -c 40 split/vmlinux.btf >short.btf
bad "--base-btf truncated" short.btf "short.btf: error: bad BTF: Invalid argument"

# The running kernel's BTF, where there is one: accepted as a base.
if [ -r /sys/kernel/btf/vmlinux ]; then
	"$PVLINK" audit bare.o --ops pv_ops --base-btf /sys/kernel/btf/vmlinux >/dev/null 2>&1
	expect "/sys/kernel/btf/vmlinux as the base" 0 $?
else
	skip "/sys/kernel/btf/vmlinux as the base" "this kernel exposes no BTF"
fi
finish
