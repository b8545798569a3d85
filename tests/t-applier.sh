#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Unit tests of the applier (tests/unit/applier.c), hosted, and a build of
# it with the freestanding kernel flags that must need nothing outside.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

gcc -std=c11 -Wall -Wextra -O2 -I"$top/include" "$top/tests/unit/applier.c" \
	"$top/kernel-glue/apply.c" -o applier || { fail "build" "unit test does not compile"; finish; }
./applier

kflags="-ffreestanding -nostdlib -fno-pic -mcmodel=kernel -mno-red-zone -mno-sse -O2"
if gcc -std=c11 -Wall -Wextra -Werror $kflags -I"$top/include" -c "$top/kernel-glue/apply.c" \
	-o apply.o; then
	expect "freestanding applier needs no outside symbol" "" "$(nm -u apply.o)"
else
	fail "freestanding build" "kernel-glue/apply.c does not build with $kflags"
fi
finish
