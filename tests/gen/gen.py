#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Random programs that call through an ops table from random control flow.

    gen.py SEED            print one program (C or C++) on stdout
    gen.py SEED --config   print "FAMILY CONFIG LANG" to build it with
    gen.py SEED --arch aarch64 [--config]
                           the same for AArch64: C only (no C++ library
                           for AArch64 here), instructions Capstone does
                           not decode in AArch64's encoding, ms_abi with
                           clang only (gcc ignores it there), a choice of
                           two slots for one call and a slot holding a C
                           library function, and CONFIG OPT-nopie|pie|bti|
                           sections|pic|large instead of OPT-plain|retp

The program follows tests/soundness/sound.h: it defines and fills the
table, does its work in sound_run(), and records every result with slog(),
so a run before and a run after patching can be compared byte for byte.
The same seed gives the same program and configuration on every machine
(only Python's own random.Random is used).

Shapes: loops, switches (jump tables), if/else, try/catch (C++), computed
goto, setjmp/longjmp (C), tail calls, varargs, a pointer loaded once and
called again, a pointer passed to itself, many values live across calls
(callee-saved register pressure), ms_abi callees, preserve_most callees
(clang only), and instructions Capstone does not decode, as .byte in
branches never taken.  Arithmetic is unsigned: no undefined behaviour, so
every compiler and flag gives the same output for the same program.
"""
import random
import sys

UNDECODABLE = [
    "0xf3,0x48,0x0f,0x1e,0xc8",   # rdsspq %rax
    "0xf3,0x48,0x0f,0xae,0xe0",   # ptwrite %rax
    "0x48,0x0f,0x38,0xf9,0x07",   # movdiri %rax,(%rdi)
    "0x66,0x0f,0x38,0xf8,0x07",   # movdir64b (%rdi),%rax
    "0x0f,0x01,0xe8",             # serialize
    "0x48,0x0f,0x38,0xf6,0x07",   # wrssq %rax,(%rdi)
    "0x0f,0x01,0xee",             # rdpkru
    "0x0f,0x01,0xef",             # wrpkru
    "0xc4,0xe1,0xfb,0x93,0xc1",   # kmovq %k1,%rax
]

# Capstone 4 does not know these.
UNDECODABLE_A64 = [
    "0xf83fd020",   # ld64b x0, [x1]
    "0xf8bfc020",   # ldapr x0, [x1]
    "0x38bfc020",   # ldaprb w0, [x1]
    "0x19000020",   # stlurb w0, [x1]
    "0x1d010441",   # cpyfp [x1]!, [x2]!, x4!
    "0xdac143e0",   # xpaci x0
    "0x1e7e0020",   # fjcvtzs w0, d1
]
# smstart, in the branch and system group: a section holding a word there
# that Capstone does not know has an open set of ways in (sweep.c), and
# nothing in it is patched; rare, so that most programs patch something.
UNDECODABLE_A64_SYS = "0xd503477f"



class Gen:
    def __init__(self, seed, arch="x86_64"):
        self.r = random.Random(seed)
        r = self.r
        self.seed = seed
        self.a64 = arch == "aarch64"
        self.cxx = r.random() < 0.4 and not self.a64
        self.fam = r.choice(["gcc", "clang"])
        self.pm = self.fam == "clang" and r.random() < 0.3
        self.ms = r.random() < 0.3 and (self.fam == "clang" or not self.a64)
        self.nf = r.randint(2, 5)          # plain fields f0..
        self.nfn = r.randint(2, 5)         # generated functions fn0..
        self.lines = []
        self.ind = 1
        self.nlabel = 0
        self.njb = 0
        self.extra = []
        self.reads = []           # loop counters: read, never written

    # -- helpers -----------------------------------------------------------
    def emit(self, s):
        self.lines.append("\t" * self.ind + s)

    def const(self):
        return "%duL" % self.r.choice([1, 2, 3, 5, 7, 9, 13, 31, 255, 4097, 0x9e3779b9])

    def val(self, names):
        r = self.r
        names = names + self.reads
        k = r.random()
        if k < 0.5:
            return r.choice(names)
        if k < 0.8:
            return "(%s %s %s)" % (r.choice(names), r.choice("+^*-|"), self.const())
        return "(%s %s %s)" % (r.choice(names), r.choice("+^*-"), r.choice(names))

    def field(self):
        r = self.r
        pool = ["f%d" % i for i in range(self.nf)]
        if self.ms:
            pool.append("m0")
        if self.pm:
            pool.append("p0")
        return r.choice(pool)

    def undecodable(self):
        """An asm statement of one instruction Capstone does not decode."""
        if self.a64:
            w = UNDECODABLE_A64_SYS if self.r.random() < 0.02 else self.r.choice(UNDECODABLE_A64)
            return "__asm__ volatile(\".inst %s\" ::: \"x0\", \"memory\");" % w
        return "__asm__ volatile(\".byte %s\" ::: \"rax\", \"memory\");" \
            % self.r.choice(UNDECODABLE)

    def call(self, names, fld=None):
        fld = fld or self.field()
        if fld == "p0":
            # clang 14 restores %rax on leaving a preserve_most function,
            # the return value with it: its callees return nothing
            return "(ops.p0(%s, %s), pm_acc)" % (self.val(names), self.val(names))
        return "ops.%s(%s, %s)" % (fld, self.val(names), self.val(names))

    # -- statements --------------------------------------------------------
    def stmt(self, names, depth, fn):
        r = self.r
        choices = ["call", "call", "reuse", "if", "loop", "switch", "deep", "pressure",
                   "self", "va", "asm", "hoist"]
        if self.a64:
            choices += ["choose", "lib"]
        if depth < 3:
            choices += ["loop", "switch", "if"]
        if self.cxx:
            choices += ["try", "try"]
        else:
            choices += ["setjmp"]
        choices += ["goto"] if depth < 2 else []
        k = r.choice(choices) if depth < 4 else "call"
        getattr(self, "s_" + k)(names, depth, fn)

    def block(self, names, depth, fn, n=None):
        for _ in range(n if n is not None else self.r.randint(1, 3)):
            self.stmt(names, depth + 1, fn)

    def s_call(self, names, depth, fn):
        self.emit("%s = %s;" % (self.r.choice(names), self.call(names)))

    def s_reuse(self, names, depth, fn):
        # one load, several calls through the same pointer (an ms_abi or
        # preserve_most callee leaves more registers to keep it in)
        r = self.r
        kinds = ["f"] + (["m0"] if self.ms else []) + (["p0"] if self.pm else [])
        kind = r.choice(kinds)
        self.emit("{")
        self.ind += 1
        if kind == "p0":
            self.emit("void (__attribute__((preserve_most)) *p)(u, u) = ops.p0;")
        elif kind == "m0":
            self.emit("u (__attribute__((ms_abi)) *p)(u, u) = ops.m0;")
        else:
            self.emit("u (*p)(u, u) = ops.f%d;" % r.randrange(self.nf))
        for _ in range(r.randint(2, 4)):
            if kind == "p0":
                self.emit("p(%s, %s);" % (self.val(names), self.val(names)))
            else:
                self.emit("%s = p(%s, %s);" % (r.choice(names), self.val(names), self.val(names)))
        if kind == "p0":
            self.emit("%s ^= pm_acc;" % r.choice(names))
        self.ind -= 1
        self.emit("}")

    def s_hoist(self, names, depth, fn):
        # a pointer loaded before a loop and called in it, the loop's
        # back edge past an instruction the decoder does not know
        r = self.r
        i = "h%d" % depth
        self.emit("{")
        self.ind += 1
        self.emit("u (*p)(u, u) = ops.f%d;" % r.randrange(self.nf))
        self.emit("for (unsigned %s = 0; %s < %d; %s++) {" % (i, i, r.randint(2, 4), i))
        self.ind += 1
        v = r.choice(names)
        self.emit("%s = p(%s, %s);" % (v, v, self.val(names)))
        self.emit("if (__builtin_expect(never, 0))")
        self.emit("\t" + self.undecodable())
        self.ind -= 1
        self.emit("}")
        self.ind -= 1
        self.emit("}")

    def s_if(self, names, depth, fn):
        self.emit("if ((%s & %s) == 0) {" % (self.r.choice(names), self.r.choice(["1uL", "3uL", "4uL"])))
        self.ind += 1
        self.block(names, depth, fn)
        self.ind -= 1
        self.emit("} else {")
        self.ind += 1
        self.block(names, depth, fn)
        self.ind -= 1
        self.emit("}")

    def s_loop(self, names, depth, fn):
        i = "i%d" % depth
        self.emit("for (unsigned %s = 0; %s < %d; %s++) {" % (i, i, self.r.randint(1, 4), i))
        self.ind += 1
        self.reads.append(i)
        self.block(names, depth, fn)
        self.reads.pop()
        if self.r.random() < 0.3:
            self.emit("if (%s == %s) break;" % (self.r.choice(names), self.const()))
        self.ind -= 1
        self.emit("}")

    def s_switch(self, names, depth, fn):
        r = self.r
        self.emit("switch (%s & 7) {" % r.choice(names))
        for c in range(r.randint(4, 8)):
            self.emit("case %d:" % c)
            self.ind += 1
            self.block(names, depth + 1, fn, r.randint(0, 2))
            if r.random() < 0.7:
                self.emit("break;")
            self.ind -= 1
        self.emit("default:")
        self.ind += 1
        self.emit("%s ^= %s;" % (r.choice(names), self.const()))
        self.ind -= 1
        self.emit("}")

    def s_deep(self, names, depth, fn):
        # only outside loops: calls into other functions multiply the work
        if fn + 1 < self.nfn and not self.reads:
            callee = self.r.randrange(fn + 1, self.nfn)
            self.emit("%s += fn%d(%s, %s);" % (self.r.choice(names), callee,
                                               self.val(names), self.val(names)))
        else:
            self.s_call(names, depth, fn)

    def s_pressure(self, names, depth, fn):
        # more values live across calls than there are callee-saved registers
        n = self.r.randint(4, 8)
        self.emit("{")
        self.ind += 1
        for t in range(n):
            self.emit("u t%d = %s;" % (t, self.val(names)))
        f = "f%d" % self.r.randrange(self.nf)
        self.emit("u (*p)(u, u) = ops.%s;" % f)
        for t in range(n):
            self.emit("t%d = p(t%d, t%d);" % (t, t, (t + 1) % n))
        self.emit("%s += %s;" % (self.r.choice(names), " ^ ".join("t%d" % t for t in range(n))))
        self.ind -= 1
        self.emit("}")

    def s_choose(self, names, depth, fn):
        # one of two slots reaches the same call: a select, or a diamond
        # whose arms load different slots and meet at the branch
        r = self.r
        f, g = r.randrange(self.nf), r.randrange(self.nf)
        v, w = r.choice(names), r.choice(names)
        self.emit("{")
        self.ind += 1
        if r.random() < 0.5:
            self.emit("u (*p)(u, u) = (%s & %s) ? ops.f%d : ops.f%d;" % (w, r.choice(["1uL", "2uL"]), f, g))
        else:
            self.emit("u (*p)(u, u) = ops.f%d;" % f)
            self.emit("if (%s & 1uL)" % w)
            self.emit("\tp = ops.f%d;" % g)
        self.emit("%s = p(%s, %s);" % (v, self.val(names), self.val(names)))
        self.ind -= 1
        self.emit("}")

    def s_lib(self, names, depth, fn):
        # a slot holding a C library function: out of a direct branch's
        # reach when the library is mapped far away (PIE), a PLT entry
        # near by otherwise
        self.emit("%s += (u)ops.lib((long)(%s & 0xffffuL) - 0x8000);" % (self.r.choice(names), self.val(names)))

    def s_self(self, names, depth, fn):
        self.emit("%s += ops.self((void *)ops.self, %s);" % (self.r.choice(names), self.val(names)))

    def s_va(self, names, depth, fn):
        n = self.r.randint(1, 5)
        args = ", ".join("(u)(%s)" % self.val(names) for _ in range(n))
        self.emit("%s = ops.va(%d, %s);" % (self.r.choice(names), n, args))

    def s_asm(self, names, depth, fn):
        self.emit("if (__builtin_expect(never, 0))")
        self.emit("\t" + self.undecodable())
        self.s_call(names, depth, fn)

    def s_try(self, names, depth, fn):
        self.emit("{")
        self.ind += 1
        f = "f%d" % self.r.randrange(self.nf)
        self.emit("u (*p)(u, u) = ops.%s;" % f)
        self.emit("try {")
        self.ind += 1
        self.emit("%s = p(%s, %s);" % (self.r.choice(names), self.val(names), self.val(names)))
        if self.r.random() < 0.5:
            self.block(names, depth, fn)
        self.ind -= 1
        self.emit("} catch (u e) {")
        self.ind += 1
        self.emit("%s = p(e, %s) + 1;" % (self.r.choice(names), self.val(names)))
        self.ind -= 1
        self.emit("}")
        self.ind -= 1
        self.emit("}")

    def s_setjmp(self, names, depth, fn):
        # locals written after setjmp() are volatile: their values after
        # longjmp() are then defined
        j = self.njb
        self.njb += 1
        v = self.r.choice(names)
        self.emit("{")
        self.ind += 1
        self.emit("jmp_buf jb;")
        self.emit("volatile u keep = %s;" % v)
        self.emit("u (*p)(u, u) = ops.f%d;" % self.r.randrange(self.nf))
        self.emit("if (setjmp(jb) == 0) {")
        self.ind += 1
        self.emit("keep = p(keep, %s);" % self.const())
        self.emit("if (keep & 1) { cur_jb = &jb; ops.bail(keep); }")
        self.emit("keep = keep + 3;")
        self.ind -= 1
        self.emit("} else {")
        self.ind += 1
        self.emit("keep = p(keep, (u)jumped);")
        self.ind -= 1
        self.emit("}")
        self.emit("%s = keep;" % v)
        self.ind -= 1
        self.emit("}  /* setjmp %d */" % j)

    def s_goto(self, names, depth, fn):
        # a tiny interpreter in a function of its own (C++ forbids an
        # indirect goto that could enter a scope): a load falls through
        # into a call
        r = self.r
        n = self.nlabel
        self.nlabel += 1
        code = [r.choice([0, 1, 1, 2]) for _ in range(r.randint(2, 6))]
        if code[0] == 1:
            code[0] = 0
        code.append(3)
        f, g = r.randrange(self.nf), r.randrange(self.nf)
        self.extra += [
            "__attribute__((noinline)) static u interp%d(u acc)" % n, "{",
            "\tstatic void *const L[] = { &&ld, &&cl, &&lg, &&hl };",
            "\tstatic const unsigned char prog[] = { %s };" % ", ".join(map(str, code)),
            "\tconst unsigned char *pc = SOUND_HIDE((const unsigned char *)prog);",
            "\tu (*p)(u, u) = 0;", "",
            "\tgoto *L[*pc++];",
            "lg:\tp = ops.f%d;" % g, "\tgoto *L[*pc++];",
            "ld:\tp = ops.f%d;" % f,
            "cl:\tacc = p(acc, %s);" % self.const(), "\tgoto *L[*pc++];",
            "hl:\treturn acc;", "}"]
        v = r.choice(names)
        self.emit("%s = interp%d(%s);" % (v, n, v))

    # -- the program -------------------------------------------------------
    def impls(self):
        r = self.r
        out = []
        for i in range(self.nf):
            for b in range(2):
                body = "(a %s %s) %s b" % (r.choice("*^+"), self.const(), r.choice("+^-"))
                out.append("static u f%d_%d(u a, u b)" % (i, b))
                out.append("{")
                if self.cxx and r.random() < 0.5:
                    # often enough that landing pads run
                    out.append("\tif ((a & 7) == %d)" % r.randrange(8))
                    out.append("\t\tthrow (u)(a + %d);" % i)
                out.append("\treturn %s;" % body)
                out.append("}")
        if self.ms:
            out.append("static __attribute__((ms_abi)) u m0_0(u a, u b) { return a * 3 + b; }")
            out.append("static __attribute__((ms_abi)) u m0_1(u a, u b) { return a ^ (b << 1); }")
        if self.pm:
            out.append("static u pm_acc;")
            out.append("static __attribute__((preserve_most)) void p0_0(u a, u b) { pm_acc = pm_acc * 3 + a + 2 * b; }")
            out.append("static __attribute__((preserve_most)) void p0_1(u a, u b) { pm_acc ^= a * 5 ^ b; }")
        out.append("static u selfish(void *me, u n) { return me == (void *)selfish ? n * 2 + 1 : 0; }")
        out.append("static u sum(int n, ...)")
        out.append("{")
        out.append("\tva_list ap;")
        out.append("\tu s = 0;")
        out.append("\tva_start(ap, n);")
        out.append("\tfor (int i = 0; i < n; i++)")
        out.append("\t\ts = s * 3 + va_arg(ap, u);")
        out.append("\tva_end(ap);")
        out.append("\treturn s;")
        out.append("}")
        if not self.cxx:
            out.append("static jmp_buf *cur_jb;")
            out.append("static volatile int jumped;")
            out.append("static void bail(u v) { jumped = (int)(v & 7) + 1; longjmp(*cur_jb, 1); }")
        return out

    def table(self):
        out = ["struct ops_t {"]
        out += ["\tu (*f%d)(u, u);" % i for i in range(self.nf)]
        if self.ms:
            out.append("\tu (__attribute__((ms_abi)) *m0)(u, u);")
        if self.pm:
            out.append("\tvoid (__attribute__((preserve_most)) *p0)(u, u);")
        out.append("\tu (*self)(void *, u);")
        out.append("\tu (*va)(int, ...);")
        if self.a64:
            out.append("\tlong (*lib)(long);")
        if not self.cxx:
            out.append("\tvoid (*bail)(u);")
        out.append("};")
        out.append("struct ops_t ops;")
        out.append("PVOPS_TABLE(ops);")
        return out

    def function(self, fn):
        r = self.r
        self.lines = []
        self.ind = 1
        names = ["a", "b", "c"]
        self.emit("u c = a ^ b;")
        self.block(names, 0, fn, r.randint(2, 5))
        if r.random() < 0.5:
            # a tail call, the arguments moved around
            self.emit("return ops.f%d(%s, %s);" % (r.randrange(self.nf), r.choice(names), r.choice(names)))
        else:
            self.emit("return a ^ b ^ c;")
        attr = "__attribute__((noinline)) " if r.random() < 0.7 else ""
        return ["%sstatic u fn%d(u a, u b)" % (attr, fn), "{"] + self.lines + ["}"]

    def program(self):
        r = self.r
        cflags = ""
        meta = "// sound: cc=%s" % self.fam + (" arch=aarch64" if self.a64 else "")
        out = [meta, "// generated by tests/gen/gen.py %d" % self.seed]
        out.append("#include <stdarg.h>")
        if self.a64:
            out.append("#include <stdlib.h>")
        if not self.cxx:
            out.append("#include <setjmp.h>")
        out.append('#include "sound.h"')
        out.append("typedef unsigned long u;")
        out.append("static int never;")
        out += self.table()
        out += self.impls()
        fns = []
        for fn in reversed(range(self.nfn)):
            fns = self.function(fn) + fns
        out += ["static u fn%d(u a, u b);" % fn for fn in range(self.nfn)]
        out += self.extra
        out += fns
        out.append("void sound_init(void)")
        out.append("{")
        w = "sound_which"
        for i in range(self.nf):
            out.append("\tops.f%d = %s ? f%d_1 : f%d_0;" % (i, w, i, i))
        if self.ms:
            out.append("\tops.m0 = %s ? m0_1 : m0_0;" % w)
        if self.pm:
            out.append("\tops.p0 = %s ? p0_1 : p0_0;" % w)
        out.append("\tops.self = selfish;")
        out.append("\tops.va = sum;")
        if self.a64:
            out.append("\tops.lib = labs;")
        if not self.cxx:
            out.append("\tops.bail = bail;")
        out.append("}")
        out.append("int sound_run(void)")
        out.append("{")
        out.append("\tnever = SOUND_HIDE(0);")
        for k in range(max(self.nfn, r.randint(3, 6))):
            a, b = r.randrange(1 << 16), r.randrange(1 << 16)
            call = "fn%d(SOUND_HIDE((u)%d), %d)" % (k % self.nfn, a, b)
            if self.cxx:
                out.append("\ttry { slog((long)%s); } catch (u e) { slog(-1); slog((long)e); }" % call)
            else:
                out.append("\tslog((long)%s);" % call)
        out.append("\treturn 0;")
        out.append("}")
        if self.a64:
            codegen = ["nopie", "nopie", "pie", "pie", "bti", "bti", "sections", "pic", "large"]
        else:
            codegen = ["plain", "plain", "retp"]
        self.config = "%s-%s" % (r.choice(["O0", "O1", "O2", "O2", "Os", "O3"]),
                                 r.choice(codegen))
        return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    arch = "x86_64"
    if "--arch" in args:
        i = args.index("--arch")
        arch = args[i + 1] if i + 1 < len(args) else ""
        del args[i:i + 2]
    if not args or arch not in ("x86_64", "aarch64"):
        sys.stderr.write("usage: gen.py SEED [--arch x86_64|aarch64] [--config]\n")
        return 2
    g = Gen(int(args[0]), arch)
    text = g.program()
    if "--config" in args[1:]:
        print("%s %s %s" % (g.fam, g.config, "cc" if g.cxx else "c"))
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
