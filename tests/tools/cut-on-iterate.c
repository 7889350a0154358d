// SPDX-License-Identifier: GPL-2.0
/*
 * cut-on-iterate.so - an LD_PRELOAD shim for tests/e2e/damaged-tracedat.sh: when the tool
 * starts libtracecmd's record iterator (--reader=libtracecmd), the recording named by
 * $PCR_CUT_FILE is cut to $PCR_CUT_SIZE bytes first, as if another program truncated it during
 * the replay. libtracecmd then touches mapped pages past the new end (SIGBUS, issue 17).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

struct tracecmd_input;
struct tep_record;

typedef int (*pcr_iterate_fn)(struct tracecmd_input *handle, void *cpus, int cpu_size,
			      int (*callback)(struct tracecmd_input *handle,
					      struct tep_record *record, int cpu, void *data),
			      void *callback_data);

int tracecmd_iterate_events(struct tracecmd_input *handle, void *cpus, int cpu_size,
			    int (*callback)(struct tracecmd_input *handle,
					    struct tep_record *record, int cpu, void *data),
			    void *callback_data);

int tracecmd_iterate_events(struct tracecmd_input *handle, void *cpus, int cpu_size,
			    int (*callback)(struct tracecmd_input *handle,
					    struct tep_record *record, int cpu, void *data),
			    void *callback_data)
{
	pcr_iterate_fn real = (pcr_iterate_fn)dlsym(RTLD_NEXT, "tracecmd_iterate_events");
	const char *file = getenv("PCR_CUT_FILE"), *size = getenv("PCR_CUT_SIZE");

	if (file && size && truncate(file, atol(size)))
		return -1;
	return real ? real(handle, cpus, cpu_size, callback, callback_data) : -1;
}
