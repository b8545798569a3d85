#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# An option that does not apply to the subcommand is a usage error that
# names both, never silently ignored; bad values name the choices; --help
# for one command lists exactly its options; the man page documents every
# option --help lists.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

gcc -O2 -g -fno-pic -c "$top/tests/fixtures/two_calls.c" -o a.o
"$PVLINK" table -q a.o -o a.pv.o --ops pv_ops
echo 'struct pv_ops { void (*a)(void); void (*b)(void); } pv_ops; int main(void) { return 0; }' |
	gcc -x c -c - -o main.o
gcc -no-pie a.pv.o main.o -Wl,--emit-relocs -o image

# rejected NAME "ARGS" "FIRST STDERR LINE": exit 2, that line, usage after it, no output
rejected() {
	local err status cmd=${2%% *}
	rm -f out.o out.txt
	# shellcheck disable=SC2086
	err=$("$PVLINK" $2 2>&1 >out.stdout)
	status=$?
	expect "$1: exit status" 2 "$status"
	expect "$1: message" "$3" "$(head -1 <<<"$err")"
	expect "$1: the command's usage follows" "usage: pvlink $cmd " \
		"$(sed -n 2p <<<"$err" | cut -c1-$((15 + ${#cmd})))"
	expect "$1: nothing written" "" "$(cat out.stdout; ls out.o out.txt 2>/dev/null)"
}
rejected "table --format" "table a.o -o out.o --ops pv_ops --format json" \
	"pvlink: table: --format does not apply to table"
rejected "table --fail-on" "table a.o -o out.o --ops pv_ops --fail-on unpatchable" \
	"pvlink: table: --fail-on does not apply to table"
rejected "table --complete" "table a.o -o out.o --ops pv_ops --complete" \
	"pvlink: table: --complete does not apply to table"
rejected "audit --complete" "audit a.o --ops pv_ops --complete -q" \
	"pvlink: audit: --complete does not apply to audit"
rejected "verify -o" "verify image -o out.txt" \
	"pvlink: verify: --output does not apply to verify"
rejected "verify --format" "verify image --format json" \
	"pvlink: verify: --format does not apply to verify"
rejected "audit --format bogus" "audit a.o --ops pv_ops --format yaml" \
	"pvlink: --format takes text, json, html"
rejected "audit --fail-on bogus" "audit a.o --ops pv_ops --fail-on sometimes" \
	"pvlink: --fail-on takes unpatchable, runtime-writes"
rejected "unknown option" "audit a.o --ops pv_ops --frobnicate" \
	"pvlink: audit: unknown option --frobnicate"
rejected "unknown short option" "table a.o -o out.o -x" "pvlink: table: unknown option -x"
rejected "missing argument" "audit a.o --ops" "pvlink: audit: --ops needs an argument"
rejected "missing argument, short" "table a.o -o" "pvlink: table: --output needs an argument"
rejected "no input" "audit --ops pv_ops" "pvlink: audit: no input file"

# -q for audit: a gate that prints nothing; a report to a file is still written.
"$PVLINK" audit -q a.o --ops pv_ops --fail-on unpatchable >out 2>err
expect "audit -q: exit status" 0 $?
expect "audit -q: nothing printed" "" "$(cat out err)"
"$PVLINK" audit -q a.o --ops pv_ops -o out.txt >out
expect "audit -q -o FILE: the report is written" \
	"pvlink audit: 1 input, 2 references to 1 ops table" "$(head -1 out.txt)"

# Options after the inputs, and long forms, still work.
"$PVLINK" table a.o --output out.o --ops=pv_ops --quiet
expect "long forms and options after the input" 0 $?

# --help: exit 0 on stdout; a command's help lists its options only.
for cmd in table verify audit; do
	"$PVLINK" $cmd --help >help.$cmd 2>err
	expect "$cmd --help: exit status and silence on stderr" "0 " "$? $(cat err)"
done
# the option column: "  -o, --output FILE" or "      --ops SYM"
opts() { grep -oE -- '^  (-[a-z], |    )--[a-z-]+' "$1" | sed 's/.* //' | sort | paste -sd' '; }
expect "table --help: its options" "--addresses-only --help --ops --output --quiet --verbose" "$(opts help.table)"
expect "verify --help: its options" "--addresses-only --complete --help --ops --quiet --verbose" \
	"$(opts help.verify)"
expect "audit --help: its options" \
	"--addresses-only --base-btf --fail-on --format --help --init --ops --output --quiet --verbose" "$(opts help.audit)"
"$PVLINK" --help >help.all
missing=
for o in $(opts help.all); do
	grep -q -- "${o//-/\\\\-}" "$top/Documentation/pvlink.1" || missing="$missing $o"
done
expect "every option in --help is in pvlink.1" "" "$missing"
finish
