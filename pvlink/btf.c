// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * btf.c - field names of ops tables from BTF, for inputs without DWARF.
 *
 * Debian's kernel and modules carry no DWARF but do carry .BTF: vmlinux a
 * whole type graph, each module "split" BTF whose type ids and strings
 * continue vmlinux's, so a module's BTF only reads on top of its base
 * (--base-btf: the vmlinux it was built against, or the running kernel's
 * /sys/kernel/btf/vmlinux).  libbpf reads and checks the BTF.
 *
 * pahole 1.24 (Debian 12) encodes variables only for per-CPU data, so the
 * BTF rarely says which type `pv_ops` has.  A table's type is the BTF
 * variable of its name when there is one, else the struct of its name,
 * else the struct Linux declares for it (pv_ops: paravirt_patch_template).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "btf.h"
#include "warn.h"

static const struct {
	const char *table, *type;
} linux_tables[] = {
	{ "pv_ops", "paravirt_patch_template" },
	{ "x86_platform", "x86_platform_ops" },
	{ "x86_init", "x86_init_ops" },
	{ "x86_cpuinit", "x86_cpuinit_ops" },
};

/* libbpf's own "libbpf: ..." lines would break the one-line diagnostics. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static const char *btf_errmsg(int err, char *buf, size_t len)
{
	if (libbpf_strerror(err, buf, len))
		snprintf(buf, len, "%s", strerror(err));
	return buf;
}

struct btf *btf_open_base(const char *path)
{
	struct btf *btf;
	char msg[128];
	int fd = open(path, O_RDONLY), err;

	if (fd < 0) {
		ERROR(path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	close(fd);
	libbpf_set_print(quiet);
	btf = btf__parse(path, NULL);
	err = errno;
	if (btf)
		return btf;
	/* ENOENT: an ELF file without .BTF; FORMAT: neither ELF nor raw BTF */
	if (err == ENOENT || err == LIBBPF_ERRNO__FORMAT)
		ERROR(path, "no BTF: --base-btf takes a vmlinux with a .BTF section "
		      "or /sys/kernel/btf/vmlinux");
	else
		ERROR(path, "bad BTF: %s", btf_errmsg(err, msg, sizeof(msg)));
	return NULL;
}

void btf_close_base(struct btf *base)
{
	btf__free(base);
}

/* Follow typedefs and qualifiers to the type itself; 0 if there is none. */
static __u32 strip_type(const struct btf *btf, __u32 id)
{
	for (int depth = 0; depth < 16; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			return 0;
		if (!btf_is_typedef(t) && !btf_is_mod(t))
			return id;
		id = t->type;
	}
	return 0;
}

/* The struct or union type of table, or 0. */
static __u32 table_type(const struct btf *btf, const char *table)
{
	const struct btf_type *t;
	int id = btf__find_by_name_kind(btf, table, BTF_KIND_VAR);

	if (id > 0 && (id = (int)strip_type(btf, btf__type_by_id(btf, id)->type)) &&
	    (t = btf__type_by_id(btf, id)) && btf_is_composite(t))
		return (__u32)id;
	id = btf__find_by_name_kind(btf, table, BTF_KIND_STRUCT);
	if (id > 0)
		return (__u32)id;
	for (size_t i = 0; i < sizeof(linux_tables) / sizeof(linux_tables[0]); i++)
		if (!strcmp(linux_tables[i].table, table) &&
		    (id = btf__find_by_name_kind(btf, linux_tables[i].type, BTF_KIND_STRUCT)) > 0)
			return (__u32)id;
	return 0;
}

/* Every leaf member of struct or union id, by its dotted path (fields.c). */
static void add_members(const struct btf *btf, struct field_names *out, const char *table,
			__u32 id, int64_t base, const char *prefix, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = t ? btf_members(t) : NULL;
	char name[FIELD_NAME_MAX];

	if (!t || depth > FIELD_DEPTH_MAX)
		return;
	for (__u32 i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		__u32 bits = btf_member_bit_offset(t, i), mid = strip_type(btf, m->type);
		const struct btf_type *mt = btf__type_by_id(btf, mid);
		int64_t off = base + bits / 8;

		/* a bit-field holds no pointer */
		if (btf_member_bitfield_size(t, i) || bits % 8 ||
		    fields_join(name, sizeof(name), prefix, mname))
			continue;
		if (mid && mt && btf_is_composite(mt))
			add_members(btf, out, table, mid, off, name, depth + 1);
		else if (mname && *mname)
			fields_add(out, table, off, name);
	}
}

static size_t add_tables(const struct btf *btf, const char *const *tables, size_t ntables,
			 struct field_names *out)
{
	size_t n = 0;

	for (size_t i = 0; i < ntables; i++) {
		__u32 id = table_type(btf, tables[i]);

		if (id && btf_vlen(btf__type_by_id(btf, id))) {
			add_members(btf, out, tables[i], id, 0, "", 0);
			n++;
		}
	}
	return n;
}

/*
 * libbpf 1.1 (Debian 12) declares btf__new_split() but does not export it,
 * so the section is read by path: an archive's members are not read.
 */
size_t btf_add_fields(const char *path, struct btf *base, const char *const *tables,
		      size_t ntables, struct field_names *out)
{
	struct btf *btf;
	char msg[128];
	size_t n;
	int err;

	libbpf_set_print(quiet);
	btf = btf__parse_elf_split(path, base);
	err = errno;
	if (btf) {
		n = add_tables(btf, tables, ntables, out);
		btf__free(btf);
		return n;
	}
	/* ENOENT: no .BTF section; FORMAT: not an ELF file (an archive) */
	if (err == ENOENT || err == LIBBPF_ERRNO__FORMAT)
		return base ? add_tables(base, tables, ntables, out) : 0;
	WARN(path, "unreadable .BTF: %s: fields shown by offset%s", btf_errmsg(err, msg, sizeof(msg)),
	     base ? "" : " (a module's split BTF needs --base-btf FILE)");
	return 0;
}
