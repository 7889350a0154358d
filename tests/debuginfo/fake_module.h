/* SPDX-License-Identifier: GPL-2.0 */
/* The entry of the fake module "pcr_fault" (fake_module.c), for module_runner.c. */
#ifndef PCR_FAKE_MODULE_H
#define PCR_FAKE_MODULE_H

#include <stdint.h>

/* Calls into an inlined function that records its return address in *ret. */
__attribute__((noinline, noclone)) int pcr_fault_trigger(uintptr_t *ret, int x);

#endif
