#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The first `make` on a machine without the build dependencies succeeds:
# the library flags are computed after scripts/deps.sh has installed
# pkg-config and the -dev packages, not when make reads the Makefile.
# Simulated without touching the machine's packages: a pkg-config that
# does not exist until a stand-in for deps.sh has run.
. "$(dirname "$0")/lib.sh"

mkdir -p "$work/src" "$work/bin"
cp -r "$top/Makefile" "$top/pvlink" "$top/include" "$top/kernel-glue" "$work/src/"
mkdir -p "$work/src/examples/linux"     # the Makefile includes its targets
cp "$top/examples/linux/linux.mk" "$work/src/examples/linux/"
rm -f "$work/src/pvlink/pvlink"
real=$(command -v pkg-config) || { skip "first run" "no pkg-config here"; finish; }
cat >"$work/bin/pkg-config" <<SH
#!/bin/sh
[ -e "$work/installed" ] || { echo "pkg-config: not installed" >&2; exit 127; }
echo pkg-config >>"$work/log"
exec "$real" "\$@"
SH
cat >"$work/deps.sh" <<SH
#!/bin/sh
echo "deps \$1" >>"$work/log"
touch "$work/installed"
SH
chmod +x "$work/bin/pkg-config" "$work/deps.sh"

# a plain build, whatever variables (SANITIZE=1) the enclosing make passes down
PATH="$work/bin:$PATH" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -j2 -C "$work/src" DEPS_SH="$work/deps.sh" SANITIZE= all >"$work/make.out" 2>&1
expect "first make on a machine without pkg-config: exit status" 0 $?
grep -v '^  [A-Z]' "$work/make.out" | grep -v '^make' | head -5
[ -x "$work/src/pvlink/pvlink" ] && pass "first make: pvlink built" ||
	fail "first make: pvlink built" "no pvlink/pvlink"
expect "first make: deps ran once, before pkg-config" "deps build" "$(head -1 "$work/log")"
expect "first make: pkg-config asked once per flag set" 2 "$(grep -c pkg-config "$work/log")"
"$work/src/pvlink/pvlink" --version >/dev/null
expect "first make: the tool runs" 0 $?
finish
