# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for the test scripts in tests/.  Each script sources this
# file, reports every check it makes with `pass`, `fail` or `skip`, and
# ends with `finish`.  tests/run.sh counts those lines across all scripts.
#
#   pass NAME            a check that held
#   fail NAME WHY...     a check that did not; WHY is printed after it
#   skip NAME WHY...     a check that could not run here
#   expect NAME WANT GOT assert equality of two strings
#   expect_file NAME FILE.expect FILE   golden comparison with diff -u
#                        (branch mnemonics compared without Capstone's size suffix)

set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PVLINK=${PVLINK:-$top/pvlink/pvlink}
failures=0

pass() { printf 'PASS: %s\n' "$1"; }
fail() { printf 'FAIL: %s: %s\n' "$1" "${*:2}"; failures=$((failures + 1)); }
skip() { printf 'SKIP: %s: %s\n' "$1" "${*:2}"; }

expect() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected [$2], got [$3]"
	fi
}

# Capstone 4 spells AT&T branches with a size suffix (callq, jmpq, retq;
# calll on i386), Capstone 5 without: goldens compare without it.
capstone_spelling() {
	sed -E 's/\b(call|jmp|ret|push|pop)[lq]\b/\1/g'
}

expect_file() {
	if diff -u <(capstone_spelling <"$2") <(capstone_spelling <"$3") >"$3.diff" 2>&1; then
		pass "$1"
		rm -f "$3.diff"
	else
		fail "$1" "output differs from $2:"
		cat "$3.diff"
	fi
}

# A scratch directory, removed when the script exits (KEEP=1 keeps it).
work=$(mktemp -d "${TMPDIR:-/tmp}/pvlink-test.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
scratch() { printf '%s\n' "$work"; }

# "valid", or "invalid: WHY": FILE against Documentation/audit.schema.json.
audit_json_valid() {
	python3 - "$top/Documentation/audit.schema.json" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
try:
    jsonschema.validate(json.load(open(sys.argv[2])), schema,
                        cls=jsonschema.Draft202012Validator)
    print("valid")
except jsonschema.ValidationError as e:
    print("invalid:", e.message)
PY
}

finish() { [ "$failures" -eq 0 ]; exit; }
