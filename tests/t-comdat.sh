#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# C++ COMDAT groups: an inline function that calls through an ops table,
# used in two translation units (tests/fixtures/comdat_*.cc).  Each object
# has its own copy of helper() in a COMDAT group; the linker keeps one and
# discards the other group whole.  The table piece that pvlink adds for
# helper's text (SHF_LINK_ORDER to it) and its relocations must be
# members of that group: outside it, gold stops with "relocation refers
# to local symbol ... defined in a discarded section" and lld with
# "sh_link points to discarded section".  For g++ and clang++, with GNU
# ld, gold and lld, it checks that
#   - pvlink table puts pvlink_sites and .relapvlink_sites in the group
#     of .text._Z6helperl (readelf -g);
#   - the program links, pvlink verify finds the one kept copy's 2 entries;
#   - patched, it prints what it printed unpatched, with 2 direct calls.
. "$(dirname "$0")/lib.sh"

fix=$top/tests/fixtures
cd "$(scratch)" || exit 1
for cxx in g++ clang++; do
	if ! command -v "$cxx" >/dev/null; then
		skip "$cxx" "$cxx not installed"
		continue
	fi
	ok=1
	for u in a b; do
		# -fno-inline: helper() stays a function of its own in each unit
		if ! $cxx -O2 -fno-inline -I"$top/include" -c "$fix/comdat_$u.cc" -o "$u.o" 2>cc.out ||
		   ! "$PVLINK" table --ops cops "$u.o" -o "$u.pv.o" >table.out 2>&1; then
			fail "$cxx: compile and pvlink table comdat_$u.cc" "$(cat cc.out table.out)"
			ok=0
		fi
	done
	[ $ok = 1 ] || continue
	for u in a b; do
		expect "$cxx: comdat_$u: the piece and its relocations join helper's group" \
			".text._Z6helperl pvlink_sites .relapvlink_sites" \
			"$(readelf -gW "$u.pv.o" | awk '/\[_Z6helperl\]/ { on = 1; next } on && /^ *\[ *[0-9]+\]/ { print $3 } on && /^$/ { on = 0 }' |
			   grep -v '^\.rela\.text' | tr '\n' ' ' | sed 's/ $//')"
	done
	for ld in bfd gold lld; do
		name="$cxx -fuse-ld=$ld"
		if ! command -v "ld.$ld" >/dev/null; then
			skip "$name" "ld.$ld not installed"
			continue
		fi
		rm -f prog
		if ! $cxx -fuse-ld=$ld -Wl,--emit-relocs a.pv.o b.pv.o "$top/build/libpvops.a" \
			-o prog >link.out 2>&1; then
			fail "$name: link" "$(cat link.out)"
			continue
		fi
		pass "$name: link"
		expect "$name: pvlink verify" \
			"prog: 2 entries, 0 bad; 2 patchable sites rescanned, 0 without entry" \
			"$("$PVLINK" verify prog 2>&1)"
		out=$(./prog 2>&1)
		expect "$name: patched run prints what the unpatched run printed" \
			"110 39
110 39
direct=2 mismatch=0" "$out"
	done
done
finish
