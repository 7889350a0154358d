// SPDX-License-Identifier: GPL-2.0
/*
 * The shared base of the readers (reader.h): events handed on with a sticky error, the stack
 * pairer, the loss check, the ftrace record path of trace.dat and live, opening a file's head.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event-parse.h>

#include "reader.h"
#include "stackpair.h"

int pcr_reader_start(struct pcr_reader *rd, pcr_event_fn fn, void *payload, char *errmsg,
		     bool stacks, bool keep_comms)
{
	rd->fn = fn;
	rd->payload = payload;
	rd->errmsg = errmsg;
	rd->err = 0;
	if (!stacks || rd->pair)
		return 0;
	if (pcr_stackpair_new(&rd->pair, fn, payload))
		return -PCR_ERR_NOMEM;
	if (keep_comms)
		pcr_stackpair_keep_comms(rd->pair);
	return 0;
}

int pcr_reader_emit(struct pcr_reader *rd, const struct pcr_event *ev)
{
	int ret = rd->fn(ev, rd->payload);

	if (ret && !rd->err)
		rd->err = ret;
	return ret;
}

int pcr_reader_emit_paired(struct pcr_reader *rd, const struct pcr_event *ev, const char *name,
			   bool quiet)
{
	int ret;

	if (!rd->pair)
		return pcr_reader_emit(rd, ev);
	ret = quiet ? pcr_stackpair_quiet(rd->pair, ev) : pcr_stackpair_event(rd->pair, ev, name);
	if (ret && !rd->err)
		rd->err = ret;
	return ret;
}

int pcr_reader_add_stack(struct pcr_reader *rd, const struct pcr_symbolizer *sym,
			 const uint64_t *frames, unsigned int nr, int cpu, uint64_t ts_ns)
{
	uint32_t id;
	int ret;

	rd->info->stacks.records++;
	ret = pcr_depot_add(rd->depot, frames, nr, &id);
	if (ret)
		return rd->err = ret;
	ret = pcr_stackpair_stack(rd->pair, cpu, ts_ns, id, pcr_kmem_stack_glue(sym, frames, nr));
	if (ret && !rd->err)
		rd->err = ret;
	return ret;
}

int pcr_reader_take_stack(struct pcr_reader *rd, struct tep_handle *tep,
			  const struct pcr_symbolizer *sym, const struct tep_record *record,
			  int cpu)
{
	uint64_t frames[PCR_MAX_FRAMES];
	unsigned int nr = pcr_kmem_stack_frames(tep, &rd->stack, record, frames);

	return pcr_reader_add_stack(rd, sym, frames, nr, cpu, record->ts);
}

int pcr_reader_finish(struct pcr_reader *rd)
{
	struct pcr_pair_stats ps;
	int ret;

	if (rd->err || !rd->pair)
		return rd->err;
	ret = pcr_stackpair_flush(rd->pair);
	if (ret)
		rd->err = ret;
	pcr_stackpair_stats(rd->pair, &ps);
	rd->info->stacks.paired = ps.paired;
	rd->info->stacks.stackless = ps.stackless;
	rd->info->stacks.unpaired = ps.unpaired_stacks;
	rd->info->stacks.timeouts = ps.timeouts;
	return rd->err;
}

int pcr_reader_hold(struct pcr_reader *rd, struct pcr_held *held, const struct pcr_event *ev)
{
	if (ev->kind == PCR_EV_OTHER) {
		held->other++;
		return 0;
	}
	if (pcr_pending_add(&held->pending, ev)) {
		rd->err = -PCR_ERR_NOMEM;
		return 1;
	}
	return 0;
}

int pcr_reader_choose_buffer(struct pcr_reader *rd, const char *path, int *chosen,
			     const char *chosen_name, int idx, const char *name,
			     struct pcr_held *held)
{
	struct pcr_event other = { .kind = PCR_EV_OTHER, .migratetype = -1 };
	int ret;

	if (*chosen == idx)
		return 0;
	if (*chosen >= 0)
		return rd->err = pcr_errmsg(rd->errmsg, -PCR_ERR_AMBIGUOUS,
					    "%s: page events in buffers '%s' and '%s'; replay one of them with --buffer=NAME",
					    path, chosen_name, name);
	*chosen = idx;
	rd->info->buffer = name;
	/* Records of this buffer seen before its first page event still count. */
	for (; held->other; held->other--)
		if (pcr_reader_emit(rd, &other))
			return rd->err;
	ret = pcr_pending_flush(&held->pending, rd->fn, rd->payload);
	if (ret && !rd->err)
		rd->err = ret;
	return rd->err;
}

int pcr_reader_report_loss(struct pcr_reader *rd, int nr,
			   const struct pcr_cpu_account *(*acc_of)(void *ctx, int i, int *cpu),
			   void *ctx)
{
	uint64_t end_us = 0;
	int i, cpu;

	for (i = 0; i < nr; i++) {
		const struct pcr_cpu_account *acc = acc_of(ctx, i, &cpu);

		if (acc->records && acc->last_ts / 1000 > end_us)
			end_us = acc->last_ts / 1000;
	}
	for (i = 0; i < nr; i++) {
		const struct pcr_cpu_account *acc = acc_of(ctx, i, &cpu);
		struct pcr_event lost = {
			.kind = PCR_EV_LOST, .cpu = (uint16_t)cpu, .ts_ns = acc->last_ts,
			.migratetype = -1,
		};

		lost.lost = pcr_cpu_lost(acc, end_us, &rd->info->trailing_unrecorded);
		if (lost.lost && pcr_reader_emit(rd, &lost))
			return rd->err;
	}
	return 0;
}

/* Returns nonzero to stop, as pcr_reader_take_ftrace(). */
static int take_other(struct pcr_reader *rd, const struct pcr_ftrace_buf *buf,
		      const struct tep_record *record, int type, struct pcr_event *ev, bool quiet)
{
	struct tep_event *event;

	/* An id no format names: a damaged record or an edited id (issue 17). */
	if (buf->check_ids && type != rd->stack.id && !tep_find_event(buf->tep, type)) {
		rd->info->damaged++;
		rd->info->damage_note = "records of an event id the recording's formats lack";
	}
	ev->kind = PCR_EV_OTHER;
	pcr_kmem_read_marker(buf->tep, buf->markers, buf->nr_markers, type, record, ev);
	if (!rd->pair)
		return pcr_reader_emit(rd, ev) ? 1 : 0;
	/* A stack record only counts as a record: its place in the order does not matter. */
	if (type == rd->stack.id)
		return pcr_reader_emit(rd, ev) ||
		       pcr_reader_take_stack(rd, buf->tep, &buf->sym, record, record->cpu) ? 1 : 0;
	event = quiet ? NULL : tep_find_event(buf->tep, type);
	return pcr_reader_emit_paired(rd, ev, event ? event->name : NULL, quiet) ? 1 : 0;
}

int pcr_reader_take_ftrace(struct pcr_reader *rd, const struct pcr_ftrace_buf *buf,
			   const struct tep_record *record, int type, int kind, int32_t pid,
			   struct pcr_cpu_account *acc, bool quiet)
{
	struct pcr_event ev = { .migratetype = -1, .pid = pid };
	int cpu = record->cpu;

	ev.ts_ns = record->ts;
	ev.cpu = (uint16_t)cpu;
	if (record->missed_events) {
		struct pcr_event lost = {
			.kind = PCR_EV_LOST, .ts_ns = record->ts, .cpu = (uint16_t)cpu,
			.lost = record->missed_events > 0 ? (uint64_t)record->missed_events : 0,
			.migratetype = -1,
		};

		acc->notices += lost.lost;
		if (pcr_reader_emit_paired(rd, &lost, NULL, false))
			return 1;
	}
	if (kind == PCR_EV_NONE)
		return take_other(rd, buf, record, type, &ev, quiet);
	ev.comm = buf->comm(buf->ctx, buf->tep, ev.pid);
	if (pcr_kmem_read(buf->tep, &buf->layout[kind], kind, (struct tep_record *)record, &ev)) {
		rd->err = buf->bad_record(buf->ctx, record, kind, cpu);
		return 1;
	}
	return pcr_reader_emit_paired(rd, &ev, quiet ? NULL : pcr_kmem_event_name(kind),
				      quiet) ? 1 : 0;
}

int pcr_open_regular(const char *path, uint64_t *size, char *errmsg)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", path,
				  strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: not a regular file", path);
	}
	if (size)
		*size = (uint64_t)st.st_size;
	return fd;
}

int pcr_read_head(const char *path, void *head, size_t size, size_t *len, char *errmsg)
{
	ssize_t n;
	int fd;

	*len = 0;
	fd = pcr_open_regular(path, NULL, errmsg);
	if (fd < 0)
		return fd;
	n = read(fd, head, size);
	close(fd);
	if (n < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read: %s", path,
				  strerror(errno));
	*len = (size_t)n;
	return 0;
}
