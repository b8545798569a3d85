#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Hand-made broken objects: cut at every header boundary, offsets and
# indices out of range, overlapping sections, huge counts, an empty text
# section, relocations at the very end of a section.  Each must end with
# exit status 2 and exactly one line on stderr naming the file (or, for
# the valid corner cases, succeed), never a crash, never an output file.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
MANGLE=$top/build/tests/mangle

cat >a.c <<'C'
struct pv_ops { void (*irq_disable)(void); void (*irq_enable)(void); };
extern struct pv_ops pv_ops;
void f(void) { pv_ops.irq_disable(); pv_ops.irq_enable(); }
C
gcc -O2 -fno-pic -c a.c -o a.o

# section_field NAME N: column N (4 offset, 5 size) of section NAME, as a number.
section_field() {
	echo $((16#$(readelf -SW a.o | sed -n 's/^ *\[ *[0-9]*\] //p' | awk -v n="$1" -v c="$2" '$1 == n { print $c }')))
}

# refused NAME FILE: exit 2, one "FILE: error: " line, no output.
refused() {
	local err status
	err=$(timeout 20 "$PVLINK" table "$2" -o out.o --ops pv_ops 2>&1 >/dev/null)
	status=$?
	if [ $status -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
	   [[ $err == "$2: error: "* ]] && [ ! -e out.o ]; then
		pass "$1"
	else
		fail "$1" "status $status, no output: $([ -e out.o ] && echo no || echo yes), stderr: $err"
	fi
	rm -f out.o
}

# Every boundary between headers and section contents, and one byte past.
size=$(stat -c %s a.o)
shoff=$(readelf -h a.o | awk '/Start of section headers/ { print $5 }')
cuts="0 1 16 63 64 $((shoff - 1)) $shoff $((shoff + 64)) $((size - 64)) $((size - 1))"
# (readelf -SW: name type address offset size ...; offsets in hex)
for off in $(readelf -SW a.o | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '{ print $4 }'); do
	cuts="$cuts $((16#$off)) $((16#$off + 1))"
done
n=0
for c in $(printf '%s\n' $cuts | sort -un); do
	[ "$c" -ge "$size" ] && continue
	head -c "$c" a.o >"cut-$c.o"
	refused "truncated at byte $c" "cut-$c.o"
	n=$((n + 1))
done
expect "boundaries tried" "yes" "$([ $n -ge 20 ] && echo yes || echo "only $n")"

cp a.o symtab-huge.o && $MANGLE shdr symtab-huge.o .symtab size 0x7ffffff0
refused "huge symbol count" symtab-huge.o
cp a.o rela-huge.o && $MANGLE shdr rela-huge.o .rela.text size 0x7ffffff0
refused "huge relocation count" rela-huge.o
cp a.o shndx.o && $MANGLE sym-shndx shndx.o f 0x7fff
refused "symbol in a section that does not exist" shndx.o
cp a.o link.o && $MANGLE shdr link.o .rela.text link 0x7fff
refused "relocations against a table that does not exist" link.o
cp a.o info.o && $MANGLE shdr info.o .rela.text info 0x7fff
refused "relocations for a section that does not exist" info.o
cp a.o overlap.o && $MANGLE shdr overlap.o .data offset "$(section_field .text 4)"
$MANGLE shdr overlap.o .data size 8
refused "sections overlapping in the file" overlap.o
cp a.o last-byte.o && $MANGLE reloc-offset last-byte.o .rela.text 0 $(($(section_field .text 5) - 1))
refused "4-byte relocation at the last byte of a section" last-byte.o

# Valid corner cases: an empty text section; a relocation in the last four bytes.
cat >edge.S <<'S'
	.section .text.empty, "ax", @progbits
	.text
	.globl g
	.type g, @function
g:	jmp *pv_ops+8(%rip)
	.size g, . - g
	.section .note.GNU-stack, "", @progbits
S
gcc -c edge.S -o edge.o
"$PVLINK" table edge.o -o edge.pv.o --ops pv_ops >edge.out 2>&1
expect "empty text section and a relocation in the last 4 bytes" \
	"edge.pv.o: 1 references, 1 patchable, 0 not patchable" "$(cat edge.out)"
finish
