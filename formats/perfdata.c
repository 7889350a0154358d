// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data reader, file mode and pipe mode, written here because no Debian library reads
 * perf.data. It reads only what a page-event replay needs and checks every length against the
 * bytes it has:
 *
 *   file mode:  the PERFILE2 header (104 bytes), the attrs (each a perf_event_attr and the file
 *               section of its sample ids), the data section, and the feature sections that
 *               follow it (HEADER_TRACING_DATA, BUILD_ID, OSRELEASE, HOSTNAME, ARCH, NRCPUS);
 *   pipe mode:  a 16-byte header, then records only: PERF_RECORD_HEADER_ATTR,
 *               HEADER_TRACING_DATA (whose tracing data follows the record) and HEADER_FEATURE
 *               carry what file mode keeps in its sections.
 *
 * The tracing data is the trace.dat v6 metadata (header_page, event formats, kallsyms, printk
 * formats, saved cmdlines). It is parsed here, piece by piece, with libtraceevent's
 * tep_parse_event(): libtracecmd's tracecmd_open_head() expects a
 * whole trace.dat and would read past the block (CPU count, options) and needs a file
 * descriptor, while the block itself is a short list of length-prefixed texts whose bounds
 * are easy to check. Tracepoint payloads (PERF_SAMPLE_RAW) are then decoded through the same
 * kmem field layouts as trace.dat records (kmem.h). libtraceevent trusts the texts it parses,
 * and crashes on some no kernel writes: each passes tepcheck.c's grammar first, and only the
 * kmem events this reader needs are parsed at all.
 *
 * perf writes its per-CPU buffers one after another, in rounds closed by FINISHED_ROUND: the
 * records of a file are not in time order. The reader collects every event of the recording
 * and sorts them all by timestamp (the file order breaks ties), which is simpler than sorting
 * round by round and costs one array of events.
 *
 * The whole input is read into memory first (standard input too: no temporary file).
 *
 * `perf record -z` compresses the records it copies from the kernel's buffers (samples, comm,
 * fork, lost; not the attrs, features or tracing data) into PERF_RECORD_COMPRESSED records
 * (type 81; COMPRESSED2, type 83, in newer perf adds a data_size and pads to 8 bytes). Their
 * payloads are the pieces of one zstd stream that runs through the whole recording, and a record
 * inside may be cut between two of them; so one ZSTD_DStream lives as long as the file, and the
 * tail of an incomplete record waits in the output buffer for the next piece.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata.h"

/* ---- the pid -> comm map ---- */

static struct comm_slot *comm_find(const struct perfdata_source *pd, int32_t pid)
{
	size_t i;

	if (!pd->map_cap)
		return NULL;
	for (i = (uint32_t)pid * 2654435761u % pd->map_cap; pd->map[i].used;
	     i = (i + 1) % pd->map_cap)
		if (pd->map[i].pid == pid)
			return &pd->map[i];
	return NULL;
}

static int comm_set(struct perfdata_source *pd, int32_t pid, const char *comm)
{
	struct comm_slot *slot;
	char copy[PCR_COMM_LEN];
	size_t i;

	/* @comm may be a slot of the map (a fork's parent), which growing it frees. */
	snprintf(copy, sizeof(copy), "%s", comm);
	if ((pd->map_used + 1) * 2 > pd->map_cap) {
		size_t cap = pd->map_cap ? pd->map_cap * 2 : 256;
		struct comm_slot *old = pd->map, *map = calloc(cap, sizeof(*map));
		size_t old_cap = pd->map_cap;

		if (!map)
			return -PCR_ERR_NOMEM;
		pd->map = map;
		pd->map_cap = cap;
		pd->map_used = 0;
		for (i = 0; i < old_cap; i++)
			if (old[i].used && comm_set(pd, old[i].pid, old[i].comm))
				return -PCR_ERR_NOMEM;
		free(old);
	}
	slot = comm_find(pd, pid);
	if (!slot) {
		for (i = (uint32_t)pid * 2654435761u % pd->map_cap; pd->map[i].used;
		     i = (i + 1) % pd->map_cap)
			;
		slot = &pd->map[i];
		slot->used = true;
		slot->pid = pid;
		pd->map_used++;
	}
	memcpy(slot->comm, copy, sizeof(copy));
	return 0;
}

static const char *perf_comm(void *ctx, int pid)
{
	struct perfdata_source *pd = ctx;
	const struct comm_slot *slot = comm_find(pd, pid);

	if (slot)
		return slot->comm;
	if (pd->tep && tep_is_pid_registered(pd->tep, pid))
		return tep_data_comm_from_pid(pd->tep, pid);
	return pid == 0 ? "<idle>" : "<...>";
}

/* ---- the timeline ---- */

struct perf_item *pcr_perf_new_item(struct perfdata_source *pd, uint8_t type)
{
	struct perf_item *it;

	if (pd->nr_items == pd->cap_items) {
		size_t cap = pd->cap_items ? pd->cap_items * 2 : 4096;
		struct perf_item *items = realloc(pd->items, cap * sizeof(*items));

		if (!items)
			return NULL;
		pd->items = items;
		pd->cap_items = cap;
	}
	it = &pd->items[pd->nr_items++];
	memset(it, 0, sizeof(*it));
	it->type = type;
	it->seq = pd->seq++;
	it->ev.migratetype = -1;
	return it;
}

static int cmp_items(const void *a, const void *b)
{
	const struct perf_item *x = a, *y = b;

	if (x->ev.ts_ns != y->ev.ts_ns)
		return x->ev.ts_ns < y->ev.ts_ns ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void pcr_perf_see_cpu(struct perfdata_source *pd, uint32_t cpu)
{
	if (cpu < 65536 && (int)cpu > pd->max_cpu)
		pd->max_cpu = (int)cpu;
}

/* ---- the source ---- */

void pcr_perf_free(struct perfdata_source *pd)
{
	size_t i;

	for (i = 0; i < pd->nr_attrs; i++)
		free(pd->attrs[i].ids);
	free(pd->attrs);
	free(pd->items);
	free(pd->tally);
	free(pd->comms);
	free(pd->map);
	free(pd->buf);
	free(pd->path);
	free(pd->osrelease);
	free(pd->hostname);
	free(pd->arch);
	free(pd->gfp_names);
	ZSTD_freeDStream(pd->zds);
	free(pd->unz);
	if (pd->tep)
		tep_free(pd->tep);
	free(pd);
}

static void perfdata_close(struct pcr_source *src)
{
	pcr_perf_free((struct perfdata_source *)src);
}

static int perfdata_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg)
{
	struct perfdata_source *pd = (struct perfdata_source *)src;
	size_t i;
	int ret;

	/* A second replay starts from the comms the recording began with. */
	if (pd->map)
		memset(pd->map, 0, pd->map_cap * sizeof(*pd->map));
	pd->map_used = 0;
	for (i = 0; i < pd->nr_items; i++) {
		struct perf_item *it = &pd->items[i];
		const struct comm_slot *parent;

		switch (it->type) {
		case ITEM_COMM:
			ret = comm_set(pd, it->ev.pid, pd->comms[it->comm]);
			break;
		case ITEM_FORK:
			parent = comm_find(pd, it->parent);
			ret = parent ? comm_set(pd, it->ev.pid, parent->comm) : 0;
			break;
		default:
			it->ev.comm = pd->map_cap ? perf_comm(pd, it->ev.pid) : NULL;
			ret = fn(&it->ev, payload);
			it->ev.comm = NULL;
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

static const struct pcr_source_ops perfdata_ops = {
	.replay = perfdata_replay,
	.close = perfdata_close,
};

/*
 * The most a pipe or a device may hand over: a stream cannot be mapped or measured, and its
 * records are all held for the sort (issue 17: /dev/zero grew to 1 GB in 9 s).
 */
#define PERF_MAX_STREAM (128u * 1024 * 1024)

/*
 * Reads the whole input. Reading stops as soon as the first 8 bytes are neither magic (the
 * caller refuses it), and a stream (not a regular file) beyond PERF_MAX_STREAM is refused.
 */
static int read_all(struct perfdata_source *pd, int fd, const struct pcr_source_options *opts,
		    char *errmsg)
{
	size_t head_len = opts && fd == STDIN_FILENO ? opts->head_len : 0;
	size_t cap = 1 << 16, max = SIZE_MAX;
	struct stat st;

	if (!fstat(fd, &st) && !S_ISREG(st.st_mode))
		max = PERF_MAX_STREAM;
	while (cap < head_len)
		cap *= 2;
	pd->buf = malloc(cap);
	if (!pd->buf)
		return -PCR_ERR_NOMEM;
	/* What pcr_source_open() read of standard input to find its format comes first. */
	if (head_len)
		memcpy(pd->buf, opts->head, head_len);
	pd->len = head_len;
	for (;;) {
		ssize_t n;

		if (pd->len >= 8 && memcmp(pd->buf, PERF_MAGIC, 8) &&
		    memcmp(pd->buf, PERF_MAGIC_SWAPPED, 8))
			return 0;
		if (pd->len >= max)
			return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
					  "%s: a perf.data stream of more than %zu MiB; save it to a file (perf record -o FILE) and replay the file",
					  pd->name, max >> 20);
		if (pd->len == cap) {
			unsigned char *buf = realloc(pd->buf, cap * 2);

			if (!buf)
				return -PCR_ERR_NOMEM;
			pd->buf = buf;
			cap *= 2;
		}
		/* The magic first, alone: a stream that is no perf.data is not read on. */
		n = read(fd, pd->buf + pd->len, pd->len < 8 ? 8 - pd->len : cap - pd->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read: %s", pd->name,
					  strerror(errno));
		if (!n)
			return 0;
		pd->len += (size_t)n;
	}
}

static void describe(struct perfdata_source *pd)
{
	struct pcr_source_info *info = &pd->base.info;

	info->format = pd->pipe ? "perf.data (pipe mode)" : "perf.data";
	if (pd->osrelease && pd->hostname && pd->arch)
		snprintf(pd->kernel, sizeof(pd->kernel), "Linux %s %s %s", pd->hostname,
			 pd->osrelease, pd->arch);
	else if (pd->osrelease)
		snprintf(pd->kernel, sizeof(pd->kernel), "%s", pd->osrelease);
	info->kernel = pd->kernel[0] ? pd->kernel : NULL;
	info->build_id = pd->build_id[0] ? pd->build_id : NULL;
	if (pd->ktext_sym[0]) {
		info->kernel_text_sym = pd->ktext_sym;
		info->kernel_text = pd->ktext_addr;
		info->kernel_text_end = pd->ktext_end;
	}
	info->cpus = pd->nr_cpus_feature > pd->max_cpu ? pd->nr_cpus_feature : pd->max_cpu + 1;
	/* perf writes LOST / LOST_SAMPLES records whenever its buffers drop samples. */
	info->loss_checked = true;
	info->has_stacks = pd->has_callchain && pd->depot;
	info->comm = perf_comm;
	info->comm_ctx = pd;
	info->has_kallsyms = tep_get_function_count(pd->tep) > 0;
	if (info->has_kallsyms) {
		info->sym.resolve = pcr_tep_resolve;
		info->sym.ctx = pd->tep;
	}
}

int pcr_perfdata_open(struct pcr_source **out, const char *path,
		      const struct pcr_source_options *opts, char *errmsg)
{
	struct perfdata_source *pd;
	int fd, ret;

	*out = NULL;
	pd = calloc(1, sizeof(*pd));
	if (!pd)
		return pcr_errmsg(errmsg, -PCR_ERR_NOMEM, "%s: out of memory", path);
	pd->base.ops = &perfdata_ops;
	pd->depot = opts ? opts->depot : NULL;
	pd->max_cpu = -1;
	pd->comp_type = PERF_COMP_ZSTD;	/* perf writes no other; HEADER_COMPRESSED may say */
	pd->path = strdup(path);
	if (!pd->path) {
		free(pd);
		return pcr_errmsg(errmsg, -PCR_ERR_NOMEM, "%s: out of memory", path);
	}
	pd->name = strcmp(path, "-") ? pd->path : "standard input";
	tep_set_loglevel(TEP_LOG_NONE);

	if (!strcmp(path, "-")) {
		ret = read_all(pd, STDIN_FILENO, opts, errmsg);
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ret = pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", path,
					 strerror(errno));
			goto fail;
		}
		ret = read_all(pd, fd, NULL, errmsg);
		close(fd);
	}
	if (ret)
		goto fail;

	if (pd->len >= 8 && !memcmp(pd->buf, PERF_MAGIC_SWAPPED, 8)) {
		ret = pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, 0,
				   "a big-endian perf.data, which this reader does not decode");
		goto fail;
	}
	if (pd->len < 16 || memcmp(pd->buf, PERF_MAGIC, 8)) {
		ret = pd->len < 16 && pd->len && !memcmp(pd->buf, PERF_MAGIC,
							 pd->len < 8 ? pd->len : 8) ?
		      pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, pd->len, "the header is cut") :
		      pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, 0,
				   "not a perf.data recording (no PERFILE2 magic); record one with 'perf record -a -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'");
		goto fail;
	}
	if (get_u64(pd->buf + 8) == PERF_PIPE_HEADER_SIZE) {
		pd->pipe = true;
		ret = pcr_perf_parse_records(pd, pd->buf, PERF_PIPE_HEADER_SIZE, pd->len, NULL,
					     errmsg);
	} else {
		ret = pcr_perf_parse_file_header(pd, errmsg);
	}
	if (ret) {
		if (ret == -PCR_ERR_NOMEM)
			pcr_errmsg(errmsg, ret, "%s: out of memory", pd->name);
		goto fail;
	}
	if (!pd->have_tracing) {
		ret = pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				 "%s: the perf.data holds no tracing data (event formats): it records no tracepoints; record with 'perf record -a -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				 pd->name);
		goto fail;
	}
	if (pd->layout[PCR_EV_ALLOC].id < 0 && pd->layout[PCR_EV_FREE].id < 0) {
		ret = pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				 "%s: the recording has no kmem:mm_page_alloc or kmem:mm_page_free events; record with 'perf record -a -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				 pd->name);
		goto fail;
	}
	ret = pcr_kmem_gfp_names(pd->tep, &pd->gfp_names, &pd->base.info.nr_gfp_names);
	if (ret)
		goto fail;
	pd->base.info.gfp_names = pd->gfp_names;
	ret = pcr_perf_idle_check(pd);
	if (ret) {
		pcr_errmsg(errmsg, ret, "%s: out of memory", pd->name);
		goto fail;
	}
	/* perf writes its per-CPU buffers in rounds: put every event in time order. */
	if (pd->nr_items)	/* qsort() of NULL is undefined, even for 0 items */
		qsort(pd->items, pd->nr_items, sizeof(*pd->items), cmp_items);
	/* The input is no longer needed: events and comms are copied out. */
	free(pd->buf);
	pd->buf = NULL;
	describe(pd);
	*out = &pd->base;
	return 0;

fail:
	perfdata_close(&pd->base);
	return ret;
}
