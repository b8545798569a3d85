#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds one soundness program and compares its patched run with its
# unpatched one (tests/sound-lib.sh); for tests/gen/reduce.py.
#   check-one.sh SRC FAMILY CONFIG     e.g. prog.cc gcc O2-retp
#   (SOUND_ARCH=aarch64: an AArch64 program, e.g. gen-a64-5.c gcc O2-bti)
# Exit status: 0 the runs agree, 1 they differ (or pvlink refused the
# program), 2 the program does not build, is not deterministic or does
# not exit 0 unpatched.
. "$(dirname "$0")/../lib.sh"
. "$top/tests/matrix-lib.sh"
. "$top/tests/sound-lib.sh"

src=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
sound_setup "$(scratch)" >/dev/null || exit 2
# a reduction must not make the program undefined
sound_workdir=$(scratch) SOUND_TWICE=1
SOUND_CFLAGS_EXTRA="-Werror=return-type -Werror=uninitialized -Werror=maybe-uninitialized"
[ "$2" = clang ] && SOUND_CFLAGS_EXTRA="-Werror=return-type -Werror=uninitialized -Werror=sometimes-uninitialized"
cd "$(scratch)" || exit 2
sound_check "$src" "$2" "$(sound_cflags "$2" "$3")" "$(basename "$src")" >check.out 2>&1
rc=$?
[ -n "${VERBOSE:-}" ] && cat check.out
# a program that pvlink refuses or that fails unpatched shows nothing
# about patching
[ $rc = 1 ] && [ "$sound_s0" != 0 ] && exit 2
exit $rc
