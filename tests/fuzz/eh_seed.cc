// SPDX-License-Identifier: GPL-3.0-or-later
// A fuzzing seed with exception tables: an LSDA with landing pads around
// calls through an ops table (loaded into a callee-saved register).
struct ops { void (*f)(int); int (*g)(int); };
extern struct ops eh_ops;

struct guard { ~guard(); };

int eh_seed(int x)
{
	void (*f)(int) = eh_ops.f;
	guard g;

	try {
		f(x);
	} catch (int e) {
		f(e);
		return eh_ops.g(e);
	} catch (...) {
		throw;
	}
	return eh_ops.g(x);
}
