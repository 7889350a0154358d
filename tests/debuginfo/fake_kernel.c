// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for a vmlinux, for the tests of --vmlinux (tests/e2e/vmlinux.sh and
 * tests/unit/test_debuginfo.c). Built with -g -O2 -fno-pie -no-pie -fno-toplevel-reorder: an
 * ET_EXEC whose functions lie in source order at their link addresses, as in a vmlinux.
 *
 * Run, it prints where a call inside inlined code returned to, as a kernel stack would hold it:
 * "pcr_outer 0xOFFSET", the return address's distance from pcr_outer's start. The call is in
 * pcr_inner(), inlined into pcr_middle(), inlined into pcr_outer(): the lines marked "L:" below
 * are the inline chain the tests expect, found by grep in this file.
 *
 * Other builds of "the same kernel", for the mismatch tests:
 * PCR_OTHER_BUILD: every fk_N grows by 16 * (N % 5 + 1) bytes, so the functions after fk_0 each
 *	moved by an amount of their own, as in a vmlinux of a nearby release.
 * PCR_LATE_CHANGE: only fk_36 grows: fk_37 to fk_39 move, everything before them stays.
 * Either also says another release in its linux_banner when PCR_OTHER_RELEASE is set.
 */
#include <stdint.h>
#include <stdio.h>

#ifdef PCR_OTHER_RELEASE
const char linux_banner[] = "Linux version 6.18.1-pcr-test (pcr@test) (gcc) #2 SMP\n";
#else
const char linux_banner[] = "Linux version 6.18.0-pcr-test (pcr@test) (gcc) #1 SMP\n";
#endif

__attribute__((noinline, noclone)) void pcr_sink(uintptr_t *ret);
__attribute__((noinline, noclone)) int pcr_outer(uintptr_t *ret, int x);

__attribute__((noinline, noclone)) void pcr_sink(uintptr_t *ret)
{
	*ret = (uintptr_t)__builtin_return_address(0);
	__asm__ volatile("" : : : "memory");
}

static inline __attribute__((always_inline)) int pcr_inner(uintptr_t *ret, int x)
{
	pcr_sink(ret); /* L:inner */
	return x + 1;
}

static inline __attribute__((always_inline)) int pcr_middle(uintptr_t *ret, int x)
{
	return pcr_inner(ret, x * 2) + 3; /* L:middle */
}

int pcr_outer(uintptr_t *ret, int x)
{
	return pcr_middle(ret, x) * 5; /* L:outer */
}

#if defined(PCR_OTHER_BUILD)
#define GROW(n) __asm__ volatile(".fill 16 * (" #n " % 5 + 1), 1, 0x90")
#elif defined(PCR_LATE_CHANGE)
#define GROW(n) __asm__ volatile(".if " #n " - 36\n.else\n.fill 64, 1, 0x90\n.endif")
#else
#define GROW(n) do { } while (0)
#endif

/* Forty functions that the other builds move. */
#define FK(n)								\
	__attribute__((noinline, noclone)) int fk_##n(int x);		\
	__attribute__((noinline, noclone)) int fk_##n(int x)		\
	{								\
		GROW(n);						\
		return x * (n + 3) + n;					\
	}
FK(0) FK(1) FK(2) FK(3) FK(4) FK(5) FK(6) FK(7) FK(8) FK(9)
FK(10) FK(11) FK(12) FK(13) FK(14) FK(15) FK(16) FK(17) FK(18) FK(19)
FK(20) FK(21) FK(22) FK(23) FK(24) FK(25) FK(26) FK(27) FK(28) FK(29)
FK(30) FK(31) FK(32) FK(33) FK(34) FK(35) FK(36) FK(37) FK(38) FK(39)

int main(int argc, char **argv)
{
	uintptr_t ret = 0;
	int sum = pcr_outer(&ret, argc);

	(void)argv;
	printf("pcr_outer 0x%lx\n", (unsigned long)(ret - (uintptr_t)&pcr_outer));
	return sum == 0 && fk_38(argc) == 0 ? 1 : 0;
}
