// SPDX-License-Identifier: GPL-2.0
/*
 * replay-stream - the smallest client of the installed pagecheck library: five page events,
 * written here, replayed through the dual-bitmap engine; prints each violation and the counters.
 *
 * Build against an installed tree:
 *	cc replay-stream.c $(pkg-config --cflags --libs pagecheck) -o replay-stream
 *
 * The stream: pfn 100 allocated, freed, freed again (a double free: the whole stream is after
 * boot); pfns 200-201 allocated as one order-1 block, then pfn 201 allocated alone (a double
 * alloc). tests/install/install-example.sh checks the output line by line.
 */
#include <inttypes.h>
#include <stdio.h>

#include <pagecheck.h>

static int print_violation(const struct pcr_violation *v, void *payload)
{
	unsigned int *seen = payload;

	(*seen)++;
	printf("%s pfn %" PRIu64 " at %" PRIu64 " ns\n", pcr_violation_name(v->kind),
	       v->first_pfn, v->event->ts_ns);
	return 0;
}

int main(void)
{
	static const struct {
		uint64_t ts_ns;
		uint64_t pfn;
		uint8_t kind;
		uint8_t order;
	} stream[] = {
		{ 1000, 100, PCR_EV_ALLOC, 0 },
		{ 2000, 100, PCR_EV_FREE, 0 },
		{ 3000, 100, PCR_EV_FREE, 0 },
		{ 4000, 200, PCR_EV_ALLOC, 1 },
		{ 5000, 201, PCR_EV_ALLOC, 0 },
	};
	struct pcr_options opts = PCR_OPTIONS_INIT;
	struct pcr_engine *engine;
	struct pcr_stats stats;
	unsigned int seen = 0;
	size_t i;
	int ret;

	printf("pagecheck %s\n", PCR_VERSION_STRING);
	ret = pcr_engine_new(&engine, &opts);
	if (ret) {
		fprintf(stderr, "replay-stream: %s\n", pcr_strerror(ret));
		return 1;
	}
	pcr_engine_set_violation_fn(engine, print_violation, &seen);
	for (i = 0; i < sizeof(stream) / sizeof(stream[0]); i++) {
		struct pcr_event ev = {
			.ts_ns = stream[i].ts_ns, .pfn = stream[i].pfn, .kind = stream[i].kind,
			.order = stream[i].order, .migratetype = -1, .state = -1, .pid = 1,
		};

		ret = pcr_engine_feed(engine, &ev);
		if (ret) {
			fprintf(stderr, "replay-stream: event %zu: %s\n", i, pcr_strerror(ret));
			pcr_engine_free(engine);
			return 1;
		}
	}
	pcr_engine_stats(engine, &stats);
	printf("alloc events %" PRIu64 ", free events %" PRIu64 ", violations %u\n",
	       stats.events[PCR_EV_ALLOC], stats.events[PCR_EV_FREE], seen);
	pcr_engine_free(engine);
	return 0;
}
