#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Install the Debian packages pvlink builds and tests with, if missing.
# Usage: scripts/deps.sh [build|check|all|linux]   (default: all)
# linux: what examples/linux needs to build and boot Linux 6.1 (make linux);
# not part of all, which the README's two commands install.
set -eu

build="gcc make pkg-config libelf-dev libdw-dev libcapstone-dev binutils-dev libbpf-dev"
# gcc-12-multilib, not the gcc-multilib metapackage: that one adds only a
# /usr/include/asm link, which -m32 builds here do not need, and conflicts
# with every cross compiler, gcc-aarch64-linux-gnu among them.  AArch64:
# gcc and clang --target=aarch64-linux-gnu build the applier, the fixture
# and the example kernel; qemu-aarch64 runs programs, qemu-system-aarch64
# boots the kernel.
check="g++ clang lld binutils gcc-12-multilib qemu-system-x86 python3 python3-jsonschema chromium dwarves"
check="$check gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user"
check="$check qemu-system-arm"
linux="linux-source-6.1 flex bison bc libssl-dev cpio ccache libelf-dev qemu-system-x86"

case "${1:-all}" in
build) want=$build ;;
check|all) want="$build $check" ;;
linux) want="$build $linux" ;;
*) echo "usage: $0 [build|check|all|linux]" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "pvlink needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# qemu-system-x86 recommends a desktop's worth of packages; none are needed headless.
apt-get install -y -qq --no-install-recommends $missing >/dev/null
