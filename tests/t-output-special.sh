#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# -o never replaces what is not a regular file: a character device (a
# copy of /dev/null made with mknod here, never the real one), a FIFO or
# an open descriptor (/dev/stdout, /dev/fd/N) is written in place and
# stays what it was; a symbolic link keeps pointing at its file; a
# directory is an error.  `-o -` is standard output for audit's report.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

gcc -O2 -g -fno-pic -c "$top/tests/fixtures/two_calls.c" -o a.o
"$PVLINK" table -q a.o -o want.o --ops pv_ops
"$PVLINK" audit a.o --ops pv_ops >want.txt
kind() { stat -c %F "$1"; }

if mknod null c 1 3 2>/dev/null; then
	"$PVLINK" audit a.o --ops pv_ops -o null
	expect "device: audit exit status" 0 $?
	expect "device: still a character device after audit" "character special file" "$(kind null)"
	"$PVLINK" table -q a.o --ops pv_ops -o null
	expect "device: table exit status" 0 $?
	expect "device: still a character device after table" "character special file" "$(kind null)"
	expect "device: no temporary file left" "" "$(ls null.tmp* 2>/dev/null)"
else
	skip "device" "mknod needs root"
fi

mkfifo fifo
cat fifo >got.txt &
"$PVLINK" audit a.o --ops pv_ops -o fifo
expect "FIFO: audit exit status" 0 $?
wait
expect "FIFO: the reader got the report" "$(cat want.txt)" "$(cat got.txt)"
cat fifo >got.o &
"$PVLINK" table -q a.o --ops pv_ops -o fifo
expect "FIFO: table exit status" 0 $?
wait
cmp -s want.o got.o && pass "FIFO: the reader got the object" ||
	fail "FIFO: the reader got the object" "differs from a file output"
expect "FIFO: still a FIFO" "fifo" "$(kind fifo)"

expect "/dev/stdout into a pipe: the report" "$(cat want.txt)" \
	"$("$PVLINK" audit a.o --ops pv_ops -o /dev/stdout | cat)"
"$PVLINK" table -q a.o --ops pv_ops -o /dev/stdout | cat >piped.o
cmp -s want.o piped.o && pass "/dev/stdout into a pipe: the object" ||
	fail "/dev/stdout into a pipe: the object" "differs from a file output"
echo first >appended
"$PVLINK" audit a.o --ops pv_ops -o /dev/stdout >>appended
expect "/dev/stdout appended to a file: what was there stays" \
	"first
$(cat want.txt)" "$(cat appended)"
"$PVLINK" audit a.o --ops pv_ops -o /dev/fd/3 3>fd3.txt
expect "/dev/fd/3: the report" "$(cat want.txt)" "$(cat fd3.txt)"

"$PVLINK" audit a.o --ops pv_ops -o - >dash.txt
expect "-o -: audit writes standard output" "$(cat want.txt)" "$(cat dash.txt)"
expect "-o -: no file named -" "" "$(ls -- - 2>/dev/null)"
err=$("$PVLINK" table a.o --ops pv_ops -o - 2>&1 >/dev/null | head -1)
expect "-o -: table refuses it" \
	"pvlink: table writes an object, not a report: -o - is for audit" "$err"

echo old >target.o
ln -s target.o link.o
"$PVLINK" table -q a.o --ops pv_ops -o link.o
expect "symbolic link: exit status" 0 $?
expect "symbolic link: still a link to its file" "target.o" "$(readlink link.o)"
cmp -s want.o target.o && pass "symbolic link: the file it names is the output" ||
	fail "symbolic link: the file it names is the output" "target.o differs"

mkdir dir
err=$("$PVLINK" audit a.o --ops pv_ops -o dir 2>&1)
expect "directory: exit status" 2 $?
expect "directory: message" "dir: error: cannot create output: Is a directory" "$err"
expect "directory: still a directory, empty" "directory " "$(kind dir) $(ls dir)"
finish
