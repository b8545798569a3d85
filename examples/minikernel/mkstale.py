#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mkstale.py IN.elf OUT.elf - copy a kernel with one patch site made stale.

Takes the first entry of the pvlink_sites table that describes a plain
`call *slot(%rip)` (ff 15 disp32, 6 bytes) and overwrites those bytes with
what a patching pass would have left there for the slot's initial target:
`cs call target` (2e e8 rel32).  The code still works on the native
backend, but the site no longer holds the bytes the table describes, so
`pvlink verify` must refuse the image and the applier must count the site
as a mismatch and leave it alone.  (Six bytes cannot hold another
indirect call through the same slot: the absolute form takes seven.)

Entries are struct pvops_site (include/pvops.h), 24 bytes:
    u16 magic, u8 version, u8 form, s32 site, s32 slot, s32 thunk,
    u8 len, u8 branch, u8 reg, u8 reserved, u32 written
where site, slot and thunk are relative to their own field's address.
"""
import os
import struct
import sys

SITE_SIZE = 24
PVOPS_MAGIC = 0x7670
PVOPS_MEM = 0


def sections(elf):
    """(name, addr, offset, size, type) for every section of an ELF64 LE file."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        sys.exit("mkstale: not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
    raw = [struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    stroff = raw[shstrndx][4]
    out = []
    for name, typ, _flags, addr, off, size in raw:
        end = elf.index(b"\0", stroff + name)
        out.append((elf[stroff + name:end].decode(), addr, off, size, typ))
    return out


def file_offset(secs, va, n):
    """File offset of n bytes at address va, inside one PROGBITS section."""
    for _name, addr, off, size, typ in secs:
        if typ == 1 and addr and addr <= va and va + n <= addr + size:
            return off + va - addr
    sys.exit("mkstale: address %#x is not in the file" % va)


def first_mem_call(elf, secs):
    """(site address, slot address) of the first 6-byte `call *slot(%rip)` entry."""
    table = [s for s in secs if s[0] == "pvlink_sites"]
    if not table:
        sys.exit("mkstale: no pvlink_sites section")
    _name, addr, off, size, _typ = table[0]
    for e in range(0, size - size % SITE_SIZE, SITE_SIZE):
        magic, _ver, form, site, slot, _thunk, length = struct.unpack_from("<HBBiiiB", elf, off + e)
        if magic == PVOPS_MAGIC and form == PVOPS_MEM and length == 6:
            return addr + e + 4 + site, addr + e + 8 + slot
    sys.exit("mkstale: no `call *slot(%rip)` entry in the table")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkstale.py IN.elf OUT.elf")
    elf = bytearray(open(sys.argv[1], "rb").read())
    secs = sections(elf)
    site, slot = first_mem_call(elf, secs)
    at = file_offset(secs, site, 6)
    if elf[at:at + 2] != b"\xff\x15":
        sys.exit("mkstale: site %#x does not hold ff 15" % site)
    target, = struct.unpack_from("<Q", elf, file_offset(secs, slot, 8))
    elf[at:at + 6] = b"\x2e\xe8" + struct.pack("<i", target - (site + 6))
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(elf)
    os.chmod(tmp, 0o755)
    os.replace(tmp, sys.argv[2])
    print("mkstale: site %#x: call *%#x -> cs call %#x" % (site, slot, target))


if __name__ == "__main__":
    main()
