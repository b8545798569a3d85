#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The user-space example: built with the pvlink step, it must print the
# same hashes before and after patching, with exactly these outcomes.
. "$(dirname "$0")/lib.sh"
ex=$work/userspace
mkdir -p "$ex" && cp "$top"/examples/userspace/{*.[ch],Makefile} "$ex"
make -s -C "$ex" TOP="$top" hashdemo >"$work/build.log" 2>&1 ||
	{ fail "build" "$(cat "$work/build.log")"; finish; }
expect "pvlink table summary" \
"main.pv.o: 0 references, 0 patchable, 0 not patchable
hash.pv.o: 8 references, 8 patchable, 0 not patchable
backends.pv.o: 6 references, 0 patchable, 6 not patchable" \
	"$(grep -E '^[a-z]+\.pv\.o: ' "$work/build.log")"

run() { HASH_BACKEND=$1 "$ex/hashdemo" | grep -v '^backend'; }
hashes() { sed -n "s/^$1 *\(hash.*)=[0-9a-f]*\) .*/\1/p"; }
for backend in fnv crc; do
	out=$(run $backend)
	expect "$backend: same hashes before and after patching" \
		"$(hashes indirect <<<"$out")" "$(hashes patched <<<"$out")"
	case $backend in
	fnv) want="patched: 4 direct, 2 inlined, 2 nop, 0 left indirect, 0 mismatch" ;;
	crc) want="patched: 6 direct, 0 inlined, 2 nop, 0 left indirect, 0 mismatch" ;;
	esac
	expect "$backend: outcomes" "$want" "$(grep '^patched:' <<<"$out")"
done
expect "fnv hash of \"pvlink\"" 'hash("pvlink")=c1dd811f' "$(run fnv | hashes patched | cut -d' ' -f1)"
finish
