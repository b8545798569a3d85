#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `pvlink patch`: the example kernel pre-patched for each backend from the
# one build.  Only text bytes and the table's `written` fields change;
# verify accepts the images and names what they were patched for; each
# boots on its own backend with 0 writes and on the other with the sites
# re-targeted, and its text after boot equals, byte for byte (checksum),
# that of the unpatched kernel patched at boot.  Every bad input: one
# line, no output, input untouched.
. "$(dirname "$0")/lib.sh"

k=$work/minikernel
cp -r "$top/examples/minikernel" "$k"
make -s -C "$k" clean >/dev/null
if ! make -s -C "$k" TOP="$top" PVLINK="$PVLINK" kernel.elf kernel-stale.elf \
	>"$work/build.log" 2>&1; then
	fail "build" "$(cat "$work/build.log")"
	finish
fi
pass "build"
cd "$k" || exit 1

expect "patch native: summary" \
	"kernel.native.elf: 24 sites pre-patched: 10 inlined, 14 direct, 0 nop, 0 indirect" \
	"$("$PVLINK" patch kernel.elf -o kernel.native.elf --ops pv_ops=native_ops 2>&1)"
expect "patch pv: summary" \
	"kernel.pv.elf: 24 sites pre-patched: 0 inlined, 21 direct, 3 nop, 0 indirect" \
	"$("$PVLINK" patch kernel.elf -o kernel.pv.elf --ops pv_ops=pv_ops_pv 2>&1)"
expect "output keeps the executable bit" "-rwx" "$(stat -c %A kernel.native.elf | cut -c1-4)"

# File offsets [start, end) of the text sections and of each `written` field.
allowed() {
	local name type addr off size
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] *//p' |
	while read -r name type addr off size _; do
		off=$((0x$off)) size=$((0x$size))
		case $name in
		.text | .init.text) echo "$off $((off + size))" ;;
		pvlink_sites)
			for ((i = 0; i < size / 24; i++)); do
				echo "$((off + 24 * i + 20)) $((off + 24 * i + 24))"
			done ;;
		esac
	done
}

# Differing bytes (1-based offsets from cmp) outside the allowed ranges.
outside() {
	cmp -l "$1" "$2" | awk -v ranges="$(allowed "$1" | tr '\n' ' ')" '
		BEGIN { n = split(ranges, r, " ") }
		{ off = $1 - 1; ok = 0
		  for (i = 1; i < n; i += 2) if (off >= r[i] && off < r[i + 1]) ok = 1
		  if (!ok) bad++ }
		END { print bad + 0 }'
}

for b in native pv; do
	expect "$b: same size as the input" "$(stat -c %s kernel.elf)" "$(stat -c %s kernel.$b.elf)"
	expect "$b: only text and written fields differ" 0 "$(outside kernel.elf kernel.$b.elf)"
	expect "$b: bytes changed" 1 "$([ "$(cmp -l kernel.elf kernel.$b.elf | wc -l)" -gt 24 ] && echo 1)"
done

expect "verify native: accepted, counted" \
	"kernel.native.elf: 24 entries, 0 bad; 24 patchable sites rescanned, 0 without entry
kernel.native.elf: 24 sites pre-patched: 10 inlined, 14 direct, 0 nop" \
	"$("$PVLINK" verify kernel.native.elf 2>&1; echo "exit $?" | grep -v 'exit 0')"
expect "verify pv: accepted, counted" \
	"kernel.pv.elf: 24 entries, 0 bad; 24 patchable sites rescanned, 0 without entry
kernel.pv.elf: 24 sites pre-patched: 0 inlined, 21 direct, 3 nop" \
	"$("$PVLINK" verify kernel.pv.elf 2>&1; echo "exit $?" | grep -v 'exit 0')"
expect "verify -v names what a site was patched for" \
	"check_io_delay+0xe: pre-patched, nop: pv_io_delay+0x0" \
	"$("$PVLINK" verify -v kernel.pv.elf 2>&1 | grep -m1 'check_io_delay.*pre-patched')"
expect "verify -v: an inlined site" \
	"irq_state+0x12: pre-patched, inlined: native_save_fl+0x0" \
	"$("$PVLINK" verify -v kernel.native.elf 2>&1 | grep -m1 '^irq_state.*pre-patched')"

expect "patch -v: one line per site" 24 "$("$PVLINK" patch -v kernel.elf -o v.elf --ops pv_ops=pv_ops_pv | grep -c ': \(direct\|nop\|inlined\|indirect\): ')"
expect "patch -v: a NOP site" "check_io_delay+0xe: nop: pv_io_delay+0x0" \
	"$("$PVLINK" patch -v kernel.elf -o v.elf --ops pv_ops=pv_ops_pv | grep -m1 '^check_io_delay')"

# Re-patching: a pre-patched image is patched again from its original bytes.
"$PVLINK" patch kernel.native.elf -o again.pv.elf --ops pv_ops=pv_ops_pv -q
expect "re-patch native image for pv == pv image" "" "$(cmp kernel.pv.elf again.pv.elf 2>&1)"
"$PVLINK" patch kernel.native.elf -o again.native.elf --ops pv_ops=native_ops -q
expect "re-patch native image for native: identical" "" "$(cmp kernel.native.elf again.native.elf 2>&1)"
expect "re-patch says so" \
	"x.elf: 24 sites pre-patched: 0 inlined, 21 direct, 3 nop, 0 indirect; 24 re-targeted from an earlier pre-patch" \
	"$("$PVLINK" patch kernel.native.elf -o x.elf --ops pv_ops=pv_ops_pv 2>&1)"

# --slot overrides, by field name (DWARF) and by offset: the same bytes.
expect "--slot by name" \
	"s1.elf: 24 sites pre-patched: 10 inlined, 11 direct, 3 nop, 0 indirect" \
	"$("$PVLINK" patch kernel.elf -o s1.elf --ops pv_ops=native_ops --slot pv_ops.io_delay=pv_io_delay 2>&1)"
"$PVLINK" patch kernel.elf -o s2.elf --ops pv_ops=native_ops --slot pv_ops+0x48=pv_io_delay -q
expect "--slot by offset: same image" "" "$(cmp s1.elf s2.elf 2>&1)"
"$PVLINK" verify -q s1.elf
expect "--slot image verifies" 0 $?

# bad NAME WANT-STDERR ARGS...: exit 2 or 1, one line, no output, input untouched.
bad() {
	local name=$1 want=$2 in=$3 sum st
	shift 3
	sum=$(md5sum "$in")
	rm -f out.elf
	"$PVLINK" patch "$in" "$@" -o out.elf >"$work/bad.out" 2>"$work/bad.err"
	st=$?
	expect "$name: message" "$want" "$(cat "$work/bad.err")"
	expect "$name: refused" 1 "$([ "$st" -eq 1 ] || [ "$st" -eq 2 ] && echo 1)"
	expect "$name: no output" "no" "$([ -e out.elf ] && echo yes || echo no)"
	expect "$name: input untouched" "$sum" "$(md5sum "$in")"
}

printf 'int main(void) { return 0; }\n' >plain.c
cc -o plain plain.c
bad "no table" "plain: error: no pvlink table (section pvlink_sites): nothing to pre-patch" \
	plain --ops pv_ops=native_ops
bad "template of another size" \
	"kernel.elf: error: --ops pv_ops=native_backend: native_backend is 32 bytes, not the size of pv_ops (96)" \
	kernel.elf --ops pv_ops=native_backend
bad "template not an object" \
	"kernel.elf: error: --ops pv_ops=native_irq_disable: native_irq_disable is not a data object with a size" \
	kernel.elf --ops pv_ops=native_irq_disable
bad "template does not exist" \
	"kernel.elf: error: --ops pv_ops=nosuch: no symbol nosuch in the image" \
	kernel.elf --ops pv_ops=nosuch
bad "slot symbol does not exist" \
	"kernel.elf: error: --slot pv_ops.io_delay=nosuch: no symbol nosuch in the image" \
	kernel.elf --ops pv_ops=native_ops --slot pv_ops.io_delay=nosuch
bad "slot symbol not in text" \
	"kernel.elf: error: --slot pv_ops.io_delay=native_ops: native_ops is not in a text section" \
	kernel.elf --ops pv_ops=native_ops --slot pv_ops.io_delay=native_ops
bad "no such field" \
	"kernel.elf: error: --slot pv_ops.nosuch=native_io_delay: pv_ops has no field nosuch" \
	kernel.elf --ops pv_ops=native_ops --slot pv_ops.nosuch=native_io_delay
bad "offset past the table" \
	"kernel.elf: error: --slot pv_ops+0x60=native_io_delay: pv_ops has no slot at offset 0x60 (96 bytes, 8-byte slots)" \
	kernel.elf --ops pv_ops=native_ops --slot pv_ops+0x60=native_io_delay
bad "offset inside a slot" \
	"kernel.elf: error: --slot pv_ops+0x3=native_io_delay: pv_ops has no slot at offset 0x3 (96 bytes, 8-byte slots)" \
	kernel.elf --ops pv_ops=native_ops --slot pv_ops+0x3=native_io_delay
bad "a slot nothing gives" \
	"kernel.elf: error: kmain+0x92: entry 0 (site 0xffffffff80101272): slot pv_ops+0x40: no --ops or --slot says what it holds" \
	kernel.elf --slot pv_ops.io_delay=native_io_delay
bad "--ops without a template" "pvlink: patch: --ops pv_ops: takes TABLE=TEMPLATE" \
	kernel.elf --ops pv_ops
bad "no slot values" \
	"pvlink: patch: say what the ops tables hold: --ops TABLE=TEMPLATE or --slot TABLE.FIELD=SYM" \
	kernel.elf
bad "relocatable input" "kernel.o: error: is a relocatable object: patch writes a linked image" \
	kernel.o --ops pv_ops=native_ops
bad "stale site" \
	"kernel-stale.elf: error: kmain+0x92: entry 0 (site 0xffffffff80101272): site holds neither the recorded instructions nor bytes the applier wrote" \
	kernel-stale.elf --ops pv_ops=native_ops

# A plain C program: a NULL slot stays indirect; a template slot that
# holds a data pointer is refused.
cat >p.c <<'EOF'
#include "pvops.h"
struct ops { void (*a)(void); void (*b)(void); };
struct ops ops;
PVOPS_TABLE(ops);
static int datum;
static void fa(void) { __asm__ volatile(""); }
const struct ops with_null = { fa, 0 };
const struct ops with_data = { fa, (void (*)(void))&datum };
__attribute__((noinline)) void run(void) { ops.a(); ops.b(); }
int main(void) { ops = with_null; ops.b = fa; run(); return 0; }
EOF
cc -O2 -g -I"$top/include" -c p.c -o p.o && "$PVLINK" table -q p.o -o p.pv.o &&
	cc p.pv.o -o p
expect "C: a NULL slot stays indirect" "p2: 2 sites pre-patched: 0 inlined, 1 direct, 0 nop, 1 indirect" \
	"$("$PVLINK" patch p -o p2 --ops ops=with_null 2>&1)"
./p2
expect "C: the pre-patched program runs" 0 $?
"$PVLINK" patch p -o p3 --ops ops=with_data 2>"$work/data.err"
expect "C: a template slot holding data: exit 2, no output" "2 no" "$? $([ -e p3 ] && echo yes || echo no)"
expect "C: a template slot holding data: message" \
	"p: error: --ops ops=with_data: with_data+0x8 holds 0xADDR, which is not in a text section" \
	"$(sed 's/0x[0-9a-f]*,/0xADDR,/' "$work/data.err")"

# Every allocation of patch, and of verify on a pre-patched image, failed
# in turn (tests/tools/failmalloc.c): one line and exit 2, no output; or
# success unchanged.  Not under a sanitizer, which has its own allocator.
nomem() {
	local name=$1 base n err st bad=0
	shift
	base=$(FAILMALLOC_COUNT=count LD_PRELOAD=$work/failmalloc.so "$PVLINK" "$@" 2>&1 >/dev/null)
	n=$(cat count)
	for i in $(seq 1 "$n"); do
		rm -f out.elf
		err=$(FAILMALLOC_AT=$i LD_PRELOAD=$work/failmalloc.so "$PVLINK" "$@" 2>&1 >/dev/null)
		st=$?
		[ $st -eq 0 ] && [ "$err" = "$base" ] && continue
		[ $st -eq 2 ] && [ "$err" = "pvlink: error: out of memory" ] &&
			! ls out.elf out.elf.* .out.elf* >/dev/null 2>&1 && continue
		fail "$name: allocation $i of $n fails" "exit $st: [$err]"
		bad=$((bad + 1))
	done
	[ "$n" -gt 0 ] && [ $bad -eq 0 ] && pass "$name: each of $n allocations failed in turn"
}
if ldd "$PVLINK" | grep -q 'libasan\|libubsan'; then
	skip "out of memory" "a sanitizer build"
else
	gcc -O2 -shared -fPIC "$top/tests/tools/failmalloc.c" -o "$work/failmalloc.so"
	nomem "patch, --slot by name" patch kernel.elf -o out.elf --ops pv_ops=native_ops \
		--slot pv_ops.io_delay=pv_io_delay
	nomem "verify -v, pre-patched" verify -v kernel.pv.elf
fi

# The user-space example (a PIE: its templates' pointers are RELATIVE
# relocations), pre-patched for each backend and run under both.
ex=$work/userspace
mkdir -p "$ex" && cp "$top"/examples/userspace/{*.[ch],Makefile} "$ex"
if make -s -C "$ex" TOP="$top" PVLINK="$PVLINK" hashdemo hashdemo.fnv hashdemo.crc \
	>"$work/user.log" 2>&1; then
	pass "user: build, patch and verify"
	expect "user: verify counts fnv" \
		"$ex/hashdemo.fnv: 8 sites pre-patched: 2 inlined, 4 direct, 2 nop" \
		"$("$PVLINK" verify "$ex/hashdemo.fnv" | grep pre-patched)"
	expect "user: only text and written fields differ" 0 "$(outside "$ex/hashdemo" "$ex/hashdemo.crc")"
	run() { HASH_BACKEND=$2 "$ex/$1" | grep -E '^(patched:|writes|text)'; }
	for b in fnv crc; do
		want=$(run hashdemo $b | grep -v '^writes')
		for img in fnv crc; do
			out=$(run hashdemo.$img $b)
			expect "user: $img image, $b: same outcomes and text as patching at run time" \
				"$want" "$(grep -v '^writes' <<<"$out")"
			expect "user: $img image, $b: writes" \
				"writes: $([ $img = $b ] && echo 0 || echo 6)" "$(grep '^writes' <<<"$out")"
		done
		expect "user: $b: patched hashes" "$(HASH_BACKEND=$b "$ex/hashdemo" | grep '^patched ' | sed 's/  [0-9.]* ns.byte//')" \
			"$(HASH_BACKEND=$b "$ex/hashdemo.$b" | grep '^patched ' | sed 's/  [0-9.]* ns.byte//')"
	done
	bad "user: a template without an initializer" \
		"$ex/hashdemo: error: --ops hash_ops=hash_ops: hash_ops has no initializer in the file" \
		"$ex/hashdemo" --ops hash_ops=hash_ops
	# W^X: a program pre-patched for its backend never makes its text writable
	wx() { HASH_BACKEND=$2 strace -f -e trace=mprotect "$ex/$1" 2>&1 >/dev/null | grep -c 'PROT_WRITE|PROT_EXEC'; }
	if command -v strace >/dev/null && strace -e trace=none true 2>/dev/null; then
		expect "user: fnv image, fnv: text never writable" 0 "$(wx hashdemo.fnv fnv)"
		expect "user: fnv image, crc: text writable once to re-target" 1 "$(wx hashdemo.fnv crc)"
		expect "user: unpatched, fnv: text writable once" 1 "$(wx hashdemo fnv)"
	else
		skip "user: W^X" "no working strace"
	fi
else
	fail "user: build, patch and verify" "$(cat "$work/user.log")"
fi

if ! command -v "${QEMU:-qemu-system-x86_64}" >/dev/null; then
	skip "boot" "qemu-system-x86_64 not installed (Debian: qemu-system-x86)"
	finish
fi

# boot NAME KERNEL BACKEND: console in $work/NAME.out.
boot() {
	./boot.sh "$2" "pvops=$3" 2>&1 | tr -d '\r' >"$work/$1.out"
	expect "$1: QEMU exit status 1 (pass)" 1 "${PIPESTATUS[0]}"
	expect "$1: self-test" "selftest: PASS" "$(grep -m1 '^selftest: ' "$work/$1.out")"
	expect "$1: text read-only before the applier" "text: read-only before patching, CR0.WP 1" \
		"$(grep -m1 '^text: read-only' "$work/$1.out")"
}
line() { grep -m1 "^$2" "$work/$1.out"; }
NATIVE="pvlink: 24 sites: 10 inlined, 14 direct, 0 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed"
PV="pvlink: 24 sites: 0 inlined, 21 direct, 3 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed"

boot ref-native kernel.elf native
boot ref-pv kernel.elf pv
boot native-native kernel.native.elf native
expect "native image, native: 0 writes" "$NATIVE, 0 writes" "$(line native-native 'pvlink: ')"
boot pv-pv kernel.pv.elf pv
expect "pv image, pv: 0 writes" "$PV, 0 writes" "$(line pv-pv 'pvlink: ')"
boot native-pv kernel.native.elf pv
expect "native image, pv: re-targeted" "$PV, 13 writes" "$(line native-pv 'pvlink: ')"
boot pv-native kernel.pv.elf native
expect "pv image, native: re-targeted" "$NATIVE, 13 writes" "$(line pv-native 'pvlink: ')"

for b in native pv; do
	want=$(line ref-$b 'text: fnv1a')
	expect "$b: text after boot patching = pre-patched text" "$want" "$(line $b-$b 'text: fnv1a')"
	other=$([ $b = native ] && echo pv || echo native)
	expect "$b: re-targeted text = text patched at boot" "$want" "$(line $other-$b 'text: fnv1a')"
done

# The i386 kernel (needs gcc-12-multilib): the same, through 32-bit entries.
if ! make -s -C "$k" TOP="$top" PVLINK="$PVLINK" prepatched32 >"$work/build32.log" 2>&1; then
	skip "i386" "kernel32.elf does not build here (gcc-12-multilib?)"
	finish
fi
for b in native pv; do
	boot ref32-$b kernel32.elf $b
	for img in native pv; do
		boot $img-$b-32 kernel32.$img.elf $b
		expect "i386: $img image, $b: counts as patching at boot, $([ $img = $b ] && echo 0 || echo 13) writes" \
			"$(line ref32-$b 'pvlink: ' | sed 's/24 writes$//')$([ $img = $b ] && echo 0 || echo 13) writes" \
			"$(line $img-$b-32 'pvlink: ')"
		expect "i386: $img image, $b: text as patched at boot" "$(line ref32-$b 'text: fnv1a')" \
			"$(line $img-$b-32 'text: fnv1a')"
	done
done
finish
