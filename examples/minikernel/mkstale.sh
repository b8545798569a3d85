#!/bin/bash
# SPDX-License-Identifier: MIT
# mkstale.sh IN.elf OUT.elf - copy a kernel with one patch site made stale.
#
# Takes the first entry of the pvlink_sites table that describes a plain
# `call *slot(%rip)` (ff 15 disp32, 6 bytes; in an i386 kernel `call
# *slot`, ff 15 abs32, form PVOPS_MEM | PVOPS_ABS | PVOPS_I386) and
# overwrites those bytes
# with what a patching pass would leave there for the slot's initial
# target: `cs call target` (2e e8 rel32).  The code still works on the
# native backend, but the site no longer holds the bytes the table
# records, so `pvlink verify` must refuse the image and the applier must
# count the site as a mismatch and leave it alone.  (Six bytes cannot
# hold another indirect call through the same slot: the absolute form
# takes seven.)
#
# Entries are struct pvops_site (include/pvops.h), 24 bytes:
#   +0 u16 magic  +2 u8 version  +3 u8 form  +4 s32 site  +8 s32 slot
#   +12 s32 thunk  +16 u8 len ...
# site and slot are relative to their own field's address.  Addresses
# are 64-bit; bash arithmetic wraps the same way, so no 0xffff... value
# needs special care.  Only readelf, od and dd: no interpreter needed.
set -eu

die() { echo "mkstale: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: mkstale.sh IN.elf OUT.elf"
in=$1 out=$2

# "name addr off size" for every PROGBITS section.
sections=$(readelf -SW "$in" | sed 's/^ *\[ *[0-9]*\]//' |
	awk '$2 == "PROGBITS" { print $1, "0x" $3, "0x" $4, "0x" $5 }')

# File offset of N bytes at address VA.
file_offset() {
	local va=$1 n=$2 name addr off size
	while read -r name addr off size; do
		if [ $((addr)) -ne 0 ] && [ $((va - addr)) -ge 0 ] &&
		   [ $((va - addr + n)) -le $((size)) ]; then
			echo $((off + va - addr))
			return
		fi
	done <<<"$sections"
	die "address $(printf %#x "$va") is not in the file"
}

# Signed little-endian integer of N bytes at file offset OFF.
read_int() { od -An -td"$2" -j "$1" -N "$2" "$in" | tr -d ' '; }
read_hex() { od -An -tx1 -j "$1" -N "$2" "$in" | tr -d ' \n'; }

read -r _ tab_addr tab_off tab_size <<<"$(grep '^pvlink_sites ' <<<"$sections")" ||
	die "no pvlink_sites section in $in"

site=
for ((e = 0; e + 24 <= tab_size; e += 24)); do
	at=$((tab_off + e))
	magic=$(read_hex "$at" 4)
	if { [ "$magic" = 70760100 ] || [ "$magic" = 70760118 ]; } &&
	   [ "$(read_hex $((at + 16)) 1)" = 06 ]; then
		site=$((tab_addr + e + 4 + $(read_int $((at + 4)) 4)))
		slot=$((tab_addr + e + 8 + $(read_int $((at + 8)) 4)))
		break
	fi
done
[ -n "$site" ] || die "no \`call *slot(%rip)\` entry in the table"

site_off=$(file_offset "$site" 6)
[ "$(read_hex "$site_off" 2)" = ff15 ] || die "site $(printf %#x "$site") does not hold ff 15"
# a pointer: 8 bytes, or 4 in an ELF32 (i386) kernel
ptr=8
readelf -h "$in" | grep -q 'Class: *ELF32' && ptr=4
target=$(read_int "$(file_offset "$slot" $ptr)" $ptr)
[ $ptr = 4 ] && target=$((target & 0xffffffff))
rel=$((target - (site + 6)))

cp "$in" "$out.tmp"
printf "$(printf '\\x%02x' 0x2e 0xe8 $((rel & 255)) $((rel >> 8 & 255)) \
	$((rel >> 16 & 255)) $((rel >> 24 & 255)))" |
	dd of="$out.tmp" bs=1 seek="$site_off" conv=notrunc status=none
mv "$out.tmp" "$out"
printf 'mkstale: site %#x: call *%#x -> cs call %#x\n' "$site" "$slot" "$target"
