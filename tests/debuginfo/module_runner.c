// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the fake module's pcr_fault_trigger() and prints "pcr_fault_trigger 0xOFFSET": where the
 * call inside it returned to, from the function's start (the same in pcr_fault.ko, the same
 * object file).
 */
#include <stdio.h>

#include "fake_module.h"

int main(int argc, char **argv)
{
	uintptr_t ret = 0;
	int v = pcr_fault_trigger(&ret, argc);

	(void)argv;
	printf("pcr_fault_trigger 0x%lx\n", (unsigned long)(ret - (uintptr_t)&pcr_fault_trigger));
	return v == 0;
}
