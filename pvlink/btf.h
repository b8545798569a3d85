/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * btf.h - field names of ops tables from BTF (libbpf), for inputs that
 * carry no DWARF: Debian's vmlinux and modules.
 */
#ifndef PVLINK_BTF_H
#define PVLINK_BTF_H

#include "fields.h"

struct btf;

/*
 * The BTF a module's split BTF is read on top of: a vmlinux (or any ELF
 * file) with a .BTF section, or raw BTF such as /sys/kernel/btf/vmlinux.
 * NULL after one error line.  Free with btf_close_base().
 */
struct btf *btf_open_base(const char *path);
void btf_close_base(struct btf *base);

/*
 * Name the members of tables[] from the .BTF section of path (an object
 * or image, not an archive), read on top of base when base is not NULL.
 * Without a .BTF section, base's own types are used, if given.  A .BTF
 * section that cannot be read is reported with one warning; nothing is
 * fatal.  Returns how many of the tables the BTF describes.
 */
size_t btf_add_fields(const char *path, struct btf *base, const char *const *tables,
		    size_t ntables, struct field_names *out);

#endif
