// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for a kernel module, "pcr_fault", for the tests of --modules-dir: compiled with
 * -g -O2 into a relocatable object, which the tests install as pcr_fault.ko (a .ko is one), and
 * linked into module_runner, which prints where the call in the inlined pcr_fault_inner()
 * returned to, from pcr_fault_trigger's start. The lines marked "L:" are the inline chain.
 * PCR_OTHER_BUILD makes another build of it, whose pcr_fault_sink() is 48 bytes longer.
 */
#include <stdint.h>

#include "fake_module.h"

__attribute__((noinline, noclone)) void pcr_fault_sink(uintptr_t *ret);

__attribute__((noinline, noclone)) void pcr_fault_sink(uintptr_t *ret)
{
#ifdef PCR_OTHER_BUILD
	/* Another build of the module: the functions after this one moved. */
	__asm__ volatile(".fill 48, 1, 0x90");
#endif
	*ret = (uintptr_t)__builtin_return_address(0);
	__asm__ volatile("" : : : "memory");
}

static inline __attribute__((always_inline)) int pcr_fault_inner(uintptr_t *ret, int x)
{
	pcr_fault_sink(ret); /* L:module-inner */
	return x ^ 7;
}

int pcr_fault_trigger(uintptr_t *ret, int x)
{
	return pcr_fault_inner(ret, x) + 1; /* L:module-outer */
}

/* More functions in the section, for the check of the module's layout against kallsyms. */
__attribute__((noinline, noclone)) int pcr_fault_a(int x);
__attribute__((noinline, noclone)) int pcr_fault_a(int x)
{
	return x * 11 + 2;
}

__attribute__((noinline, noclone)) int pcr_fault_b(int x);
__attribute__((noinline, noclone)) int pcr_fault_b(int x)
{
	return x * 13 + pcr_fault_a(x);
}
