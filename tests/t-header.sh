#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# include/pvops.h: with gcc and clang at -O0 and -O2,
# tests/fixtures/static_table.c (a static table the compiler folds away,
# marked with PVOPS_TABLE) compiles, pvlink table finds the table without
# --ops, the program links with build/libpvops.a and prints "42 0".  As
# C++ (g++, clang++) the applier's declarations must link (extern "C");
# the table is then global, or static with an assembler name: C++
# mangles a static one's name (_ZL6st_ops), which the marker's assembly
# cannot know.
. "$(dirname "$0")/lib.sh"

cd "$(scratch)" || exit 1
for cc in gcc g++ clang clang++; do
	if ! command -v "$cc" >/dev/null; then
		skip "$cc" "$cc not installed"
		continue
	fi
	lang=c defs=-DST_STATIC
	case $cc in *++) lang=c++ defs="-DST_GLOBAL -DST_ASMNAME" ;; esac
	for o in O0 O2; do for def in $defs; do
		name="$cc -$o $def"
		if ! $cc -x $lang $def -$o -Wall -Wextra -Werror -I"$top/include" \
			-c "$top/tests/fixtures/static_table.c" -o st.o 2>cc.out; then
			fail "$name: compile" "$(cat cc.out)"
			continue
		fi
		if ! "$PVLINK" table st.o -o st.pv.o >table.out 2>&1; then
			fail "$name: pvlink table finds the marked static table" "$(cat table.out)"
			continue
		fi
		pass "$name: pvlink table finds the marked static table"
		if ! $cc st.pv.o "$top/build/libpvops.a" -o prog >link.out 2>&1; then
			fail "$name: link" "$(cat link.out)"
			continue
		fi
		expect "$name: runs" "42 0" "$(./prog 2>&1)"
	done; done
done
finish
