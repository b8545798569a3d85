#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# build_sites.sh N DIR [nodwarf] - the inputs parts 2 and 3 measure:
#   DIR/sites.o     N generated references (bench/gen_sites.c), assembled
#                   with line info (as -g), like a -g build; `nodwarf`
#                   leaves it out, so the image has DWARF for everything
#                   but the sites (libpvops.a and the C start-up)
#   DIR/sites.pv.o  after `pvlink table`
#   DIR/image       a program linked with -Wl,--emit-relocs around them
#                   (scale_main.c), which times the applier when run
# Skipped when DIR/image is newer than everything it is made from.
. "$(dirname "$0")/lib.sh"

n=$1 dir=$2 dwarf=-g
[ "${3:-}" = nodwarf ] && dwarf=
OPS="--ops tbl0 --ops tbl1 --ops tbl2 --ops tbl3"

bench_tools
mkdir -p "$dir"
fresh=yes
for dep in "$BENCH/bin/gen_sites" "$PVLINK" "$top/build/libpvops.a" "$top/bench/scale_main.c"; do
	[ "$dir/image" -nt "$dep" ] || fresh=
done
[ -n "$fresh" ] && exit 0
"$BENCH/bin/gen_sites" "$n" >"$dir/sites.S" 2>"$dir/forms.txt"
as $dwarf "$dir/sites.S" -o "$dir/sites.o"
rm -f "$dir/sites.S"
"$PVLINK" table -q "$dir/sites.o" -o "$dir/sites.pv.o" $OPS
$CC $BENCH_CFLAGS -fno-pie -c "$top/bench/scale_main.c" -o "$dir/main.o"
$CC -no-pie "$dir/main.o" "$BENCH/bin/retpoline.o" "$dir/sites.pv.o" "$top/build/libpvops.a" \
	-Wl,--emit-relocs -Wl,--wrap=mprotect -o "$dir/image"
"$PVLINK" verify -q "$dir/image" $OPS
