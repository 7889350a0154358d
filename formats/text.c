// SPDX-License-Identifier: GPL-2.0
/*
 * Text trace reader: the ftrace text of /sys/kernel/tracing/trace and trace_pipe, `trace-cmd
 * report` output (with or without -R and -t, with instance prefixes), `perf script` output (with
 * or without --ns, with callchains), tp_printk console lines and the ftrace_dump_on_oops dump of
 * a crashed kernel's console (console.c), plain or compressed with zstd, from a file or stdin.
 *
 * Each line is one of: a record ("COMM-PID [CPU] [FLAGS] TS: EVENT: FIELDS" for ftrace and
 * trace-cmd, "COMM PID[/TID] [CPU] TS: SYS:EVENT: FIELDS" for perf, with an optional
 * "NAME: " instance prefix before trace-cmd's 16-column comm), a frame of the stack that follows
 * a record ("=> func (addr)", "=> func+0x1a/0x40", "=> addr" after a kernel_stack record;
 * "addr sym+off (dso)" after a perf sample), a missed-events notice ("CPU:N [LOST M EVENTS]",
 * "CPU:N [M EVENTS DROPPED]"), a tp_printk line ("[ 1.234567] mm_page_free: ..."), or anything
 * else (headers, blank lines, junk), which is counted and skipped (textline.c reads them; the
 * names and symbols the lines give are kept in texttab.c). A record is held until the line after
 * its frames, so that its stack is complete when it is delivered.
 *
 * Text loses some of what a trace.dat holds: the kernel's per-CPU counters (silent losses and
 * events written after the recording ended cannot be told), the gfp flags' values (names map to
 * a known kernel's, console.c), and the size of the symbols stack frames name.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "reader.h"
#include "stackpair.h"
#include "textio.h"
#include "textline.h"
#include "textparse.h"
#include "texttab.h"

#define TEXT_MAX_FRAMES 512
#define TEXT_MAX_BUFFERS 64

struct text_buffer {
	char *name;
	struct pcr_held held;	/* records before the buffer's first page event */
	uint64_t pending_lost;
	int pending_lost_cpu;
	bool seen;
};

/* The record held until its frames end. */
struct text_pending {
	struct pcr_event ev;
	char comm[PCR_COMM_LEN];
	const char *name;	/* interned event name for the pairer */
	uint64_t frames[TEXT_MAX_FRAMES];
	unsigned int nr_frames;
	bool stack;		/* a kernel_stack record */
	bool active;
	bool has_comm;
};

struct text_source {
	struct pcr_source base;
	struct pcr_textio *io;
	char *path;
	const char *want;
	struct pcr_reader rd;
	struct text_buffer bufs[TEXT_MAX_BUFFERS];
	int nr_bufs;
	int page_buf;
	int notice_buf;		/* a notice's buffer, for the unprefixed record after it */
	struct text_pending pend;
	struct pcr_text_tab tab;
	uint64_t lines;
	uint64_t skipped;
	uint64_t damaged;	/* lines of page events among them */
	uint64_t page_events;
	uint64_t records;
	uint64_t last_ts;
	int max_cpu;
	int header_cpus;
	int flavour;
	bool ftrace_stacks;	/* the head showed kernel_stack records */
	bool perf_chains;	/* the head showed perf callchains */
	bool header_ftrace;	/* "# tracer:" */
	uint64_t tp_events;	/* tp_printk page events read */
	uint64_t repeated;	/* dump records that repeat tp_printk lines */
	struct pcr_console con;
	char format[256];
	/* a LAVA job log (console.c): the device's lines, one held back to see if it was cut */
	char *lava_msg;
	char *lava_held;
	size_t held_len;
	bool held;
	bool held_prefixed;
	uint64_t lava_records;
	uint64_t cut;		/* page event lines the next line continues */
	uint64_t merged;	/* page event lines holding another line */
	char damage_note[200];
};

/* ---- the replay ---- */

static int add_frame(struct text_source *ts, const struct pcr_text_line *tl)
{
	struct text_pending *pd = &ts->pend;
	uint64_t addr;
	int ret;

	if (!pd->active || !ts->rd.depot || !tl->kernel || pd->nr_frames == TEXT_MAX_FRAMES)
		return 0;
	if (tl->perf_frame == pd->stack)
		return 0;	/* perf frames go with samples, "=>" frames with kernel_stack */
	ret = pcr_text_frame_address(&ts->tab, tl, &addr);
	if (ret < 0)
		return ts->rd.err = ret;
	if (!ret && addr != UINT64_MAX)
		pd->frames[pd->nr_frames++] = addr;
	return 0;
}

/* Delivers the held record, with its frames. */
static int finish_pending(struct text_source *ts)
{
	struct text_pending *pd = &ts->pend;
	uint32_t id = 0;
	int ret;

	if (!pd->active)
		return 0;
	pd->active = false;
	pd->ev.comm = pd->has_comm ? pd->comm : NULL;
	if (pd->stack) {
		if (pcr_reader_emit(&ts->rd, &pd->ev))
			return ts->rd.err;
		if (!ts->rd.pair)
			return 0;
		return pcr_reader_add_stack(&ts->rd, &ts->base.info.sym, pd->frames, pd->nr_frames,
					    pd->ev.cpu, pd->ev.ts_ns);
	}
	if (pd->nr_frames && ts->rd.depot) {
		ret = pcr_depot_add(ts->rd.depot, pd->frames, pd->nr_frames, &id);
		if (ret)
			return ts->rd.err = ret;
		pd->ev.stack_id = id;
		ts->base.info.stacks.records++;
	}
	if (ts->perf_chains && ts->rd.depot && pd->ev.kind != PCR_EV_OTHER) {
		if (id)
			ts->base.info.stacks.paired++;
		else
			ts->base.info.stacks.stackless++;
	}
	return pcr_reader_emit_paired(&ts->rd, &pd->ev, pd->name, false);
}

static int buffer_index(struct text_source *ts, const struct pcr_text_line *tl)
{
	const char *name = "top";
	size_t len = 3;
	int i;

	if (tl->buffer && tl->buffer_len) {
		name = tl->buffer;
		len = tl->buffer_len;
	} else if (!tl->prefixed && tl->type == PCR_LINE_RECORD && ts->notice_buf >= 0) {
		/* trace-cmd prints the record after a notice without its prefix. */
		return ts->notice_buf;
	}
	for (i = 0; i < ts->nr_bufs; i++)
		if (!strncmp(ts->bufs[i].name, name, len) && !ts->bufs[i].name[len])
			return i;
	if (ts->nr_bufs == TEXT_MAX_BUFFERS)
		return -1;
	ts->bufs[i].name = strndup(name, len);
	if (!ts->bufs[i].name)
		return -PCR_ERR_NOMEM - 1000;
	ts->bufs[i].pending_lost_cpu = -1;
	ts->nr_bufs++;
	return i;
}

/* The buffer of the first page event is the one replayed; the loss noticed before it counts. */
static int choose_page_buffer(struct text_source *ts, int b)
{
	struct text_buffer *buf = &ts->bufs[b];
	bool first = ts->page_buf < 0;

	if (pcr_reader_choose_buffer(&ts->rd, ts->path, &ts->page_buf,
				     first ? NULL : ts->bufs[ts->page_buf].name, b, buf->name,
				     &buf->held))
		return ts->rd.err;
	if (first && buf->pending_lost_cpu >= 0) {
		struct pcr_event lost = {
			.kind = PCR_EV_LOST, .cpu = (uint16_t)buf->pending_lost_cpu,
			.lost = buf->pending_lost, .migratetype = -1, .ts_ns = ts->last_ts,
		};

		if (pcr_reader_emit_paired(&ts->rd, &lost, NULL, false))
			return ts->rd.err;
	}
	return 0;
}


static int take_notice(struct text_source *ts, const struct pcr_text_line *tl)
{
	int b = buffer_index(ts, tl);
	struct pcr_event lost = {
		.kind = PCR_EV_LOST, .cpu = (uint16_t)tl->cpu, .lost = tl->lost,
		.migratetype = -1, .ts_ns = ts->last_ts,
	};

	if (b < -1)
		return ts->rd.err = -PCR_ERR_NOMEM;
	ts->notice_buf = tl->prefixed ? b : -1;
	if (b < 0 || (ts->want && strcmp(ts->want, ts->bufs[b].name)))
		return 0;
	if (ts->page_buf < 0) {
		ts->bufs[b].pending_lost += tl->lost;
		ts->bufs[b].pending_lost_cpu = tl->cpu;
		return 0;
	}
	if (b != ts->page_buf)
		return 0;
	return pcr_reader_emit_paired(&ts->rd, &lost, NULL, false) ? ts->rd.err : 0;
}

static int take_record(struct text_source *ts, const struct pcr_text_line *tl)
{
	struct text_pending *pd = &ts->pend;
	bool page = tl->kind != PCR_EV_OTHER && !tl->stack;
	size_t idx;
	int b = buffer_index(ts, tl);

	ts->notice_buf = -1;
	if (b < -1)
		return ts->rd.err = -PCR_ERR_NOMEM;
	if (b < 0) {
		ts->skipped++;
		return 0;
	}
	ts->bufs[b].seen = true;
	ts->records++;
	if (ts->flavour == PCR_FLAVOUR_NONE || ts->flavour == PCR_FLAVOUR_TRACECMD)
		ts->flavour = tl->flavour;
	if (tl->cpu > ts->max_cpu)
		ts->max_cpu = tl->cpu;
	if (ts->want && strcmp(ts->want, ts->bufs[b].name))
		return 0;
	memset(&pd->ev, 0, sizeof(pd->ev));
	pd->ev.kind = (uint8_t)(tl->stack ? PCR_EV_OTHER : tl->kind);
	pd->ev.migratetype = -1;
	pd->ev.ts_ns = tl->ts_ns;
	pd->ev.cpu = (uint16_t)tl->cpu;
	pd->ev.pid = tl->pid;
	if (!page && !tl->stack && tl->name && tl->fields)
		pcr_text_read_marker(tl, &pd->ev);
	if ((page || tl->stack) && tl->flavour == PCR_FLAVOUR_DUMP && ts->tp_events) {
		/* tp_printk printed these events as they happened: not twice */
		ts->repeated++;
		return 0;
	}
	if (page && !pcr_text_read_page(tl, &ts->con, &pd->ev)) {
		ts->skipped++;
		ts->damaged++;
		return 0;
	}
	if (page) {
		ts->page_events++;
		ts->tp_events += tl->flavour == PCR_FLAVOUR_CONSOLE;
		if (tl->flavour == PCR_FLAVOUR_DUMP && tl->cpu < 64)
			ts->con.dump_cpus |= 1ull << tl->cpu;
		if (choose_page_buffer(ts, b))
			return ts->rd.err;
	}
	if (b != ts->page_buf) {
		/* a stack record's kind is PCR_EV_OTHER: it only counts */
		return pcr_reader_hold(&ts->rd, &ts->bufs[b].held, &pd->ev) ? ts->rd.err : 0;
	}
	if (tl->ts_ns > ts->last_ts)
		ts->last_ts = tl->ts_ns;
	pd->has_comm = tl->comm && tl->comm_len;
	if (pd->has_comm) {
		size_t n = tl->comm_len < PCR_COMM_LEN - 1 ? tl->comm_len : PCR_COMM_LEN - 1;

		memcpy(pd->comm, tl->comm, n);
		pd->comm[n] = '\0';
		if (pcr_text_comm_set(&ts->tab, tl->pid, pd->comm))
			return ts->rd.err = -PCR_ERR_NOMEM;
	}
	pd->stack = tl->stack;
	pd->nr_frames = 0;
	pd->name = page ? pcr_event_name(tl->kind) :
		tl->name ? pcr_text_intern(&ts->tab, tl->name, tl->name_len, &idx) : NULL;
	pd->active = true;
	if (pd->stack && ts->rd.depot && ts->rd.pair)
		pd->nr_frames = pcr_text_raw_frames(tl->fields, pd->frames, 0, TEXT_MAX_FRAMES);
	return 0;
}

/* A line not read: counted, and damage when it holds a page event. */
static int skip_line(struct text_source *ts, const char *line, size_t len, uint64_t *why)
{
	bool page = pcr_text_page_event_line(line, len);

	ts->skipped++;
	ts->damaged += page;
	if (why)
		*why += page;
	return finish_pending(ts);
}

static int take_line(struct text_source *ts, const char *line, size_t len, bool overlong)
{
	struct pcr_console_prefix pre;
	struct pcr_text_line tl;
	const char *msg;
	int ret;

	ts->lines++;
	if (overlong || memchr(line, '\0', len))
		return skip_line(ts, line, len, NULL);
	/* two console lines run together: the first one's end is not to be trusted */
	msg = pcr_console_strip(line, &pre);
	if (msg && pcr_console_merged(msg) && pcr_text_page_event_line(line, len))
		return skip_line(ts, line, len, &ts->merged);
	pcr_text_parse_line(line, &tl);
	if (tl.type == PCR_LINE_FRAME)
		return add_frame(ts, &tl);
	ret = finish_pending(ts);
	if (ret)
		return ret;
	switch (tl.type) {
	case PCR_LINE_RECORD:
		return take_record(ts, &tl);
	case PCR_LINE_NOTICE:
		return take_notice(ts, &tl);
	case PCR_LINE_JUNK:
		ts->skipped++;
		ts->damaged += pcr_text_page_event_line(line, len);
		if (tl.console)
			pcr_console_line(&ts->con, tl.console);
		break;
	default:
		if (!strncmp(line, "cpus=", 5)) {
			uint64_t n;

			if (pcr_text_number(line + 5, len - 5, &n) && n <= PCR_TEXT_MAX_CPU + 1)
				ts->header_cpus = (int)n;
		} else if (!strncmp(line, "# tracer:", 9)) {
			ts->header_ftrace = true;
		}
		break;
	}
	return 0;
}

/* Takes the LAVA record held back; @cut: the next record continues its line. */
static int release_held(struct text_source *ts, bool cut)
{
	if (!ts->held)
		return 0;
	ts->held = false;
	if (cut && ts->held_prefixed) {
		ts->lines++;
		return skip_line(ts, ts->lava_held, ts->held_len, &ts->cut);
	}
	return take_line(ts, ts->lava_held, ts->held_len, false);
}

/*
 * A line of the input. A LAVA job log's record is unwrapped (console.c) and the device's output
 * held back one record: when the next record of a log whose lines carry console prefixes starts
 * without one, the lab's serial reader cut the line in two, and a page event in it is damaged
 * rather than replayed with a cut number. (Another output line without a prefix after an event
 * line is taken as a cut as well: inconclusive, never a wrong answer.)
 */
static int take_input(struct text_source *ts, const char *line, size_t len, bool overlong)
{
	struct pcr_console_prefix pre;
	int kind, ret;
	char *swap;
	size_t n;

	kind = overlong ? PCR_LAVA_NONE :
		pcr_console_lava(line, ts->lava_msg, PCR_TEXT_MAX_LINE, &n);
	if (kind == PCR_LAVA_NONE) {
		ret = release_held(ts, false);
		return ret ? ret : take_line(ts, line, len, overlong);
	}
	ts->lava_records++;
	if (kind == PCR_LAVA_OTHER) {
		ts->lines++;
		return 0;
	}
	ret = release_held(ts, !pcr_console_strip(ts->lava_msg, &pre));
	if (ret)
		return ret;
	if (kind == PCR_LAVA_BROKEN) {
		/* the record itself ends early: the log file was cut */
		ts->lines++;
		return skip_line(ts, ts->lava_msg, n, &ts->cut);
	}
	swap = ts->lava_held;
	ts->lava_held = ts->lava_msg;
	ts->lava_msg = swap;
	ts->held_len = n;
	ts->held = true;
	ts->held_prefixed = pcr_console_strip(ts->lava_held, &pre) != NULL;
	return 0;
}

/* The CPUs an orig_cpu dump leaves out lost events uncounted: the verdict is inconclusive. */
static void lost_cpus(struct text_source *ts)
{
	uint64_t missing = pcr_console_missing(&ts->con, &ts->base.info.loss_note);
	int cpu;

	for (cpu = 0; cpu < 64 && !ts->rd.err; cpu++) {
		struct pcr_event lost = {
			.kind = PCR_EV_LOST, .cpu = (uint16_t)cpu, .migratetype = -1,
			.ts_ns = ts->last_ts,
		};

		if (missing & 1ull << cpu)
			pcr_reader_emit_paired(&ts->rd, &lost, NULL, false);
	}
}

static void describe(struct text_source *ts)
{
	int flavour = ts->flavour;
	int n;

	if (flavour == PCR_FLAVOUR_TRACECMD && ts->header_ftrace)
		flavour = PCR_FLAVOUR_FTRACE;
	n = snprintf(ts->format, sizeof(ts->format), "text (%s%s)", pcr_text_flavour_name(flavour),
		     pcr_textio_zstd(ts->io) ? ", zstd" : "");
	if (ts->skipped && n > 0 && (size_t)n < sizeof(ts->format))
		n += snprintf(ts->format + n, sizeof(ts->format) - (size_t)n,
			 "; %" PRIu64 " of %" PRIu64 " lines not understood", ts->skipped,
			 ts->lines);
	if (ts->repeated && n > 0 && (size_t)n < sizeof(ts->format))
		n += snprintf(ts->format + n, sizeof(ts->format) - (size_t)n,
			      "; %" PRIu64 " dump records repeat tp_printk lines, not replayed twice",
			      ts->repeated);
	if (ts->lava_records && n > 0 && (size_t)n < sizeof(ts->format))
		n += snprintf(ts->format + n, sizeof(ts->format) - (size_t)n,
			      "; a LAVA job log of %" PRIu64 " records", ts->lava_records);
	ts->base.info.format = ts->format;
	ts->base.info.kernel = ts->con.release[0] ? ts->con.release : NULL;
	ts->base.info.end_note = pcr_console_note(&ts->con);
	ts->base.info.damaged = ts->damaged;
	ts->base.info.damage_note = "lines of page events not understood: an impossible CPU, timestamp, pfn or order";
	if (ts->cut || ts->merged) {
		snprintf(ts->damage_note, sizeof(ts->damage_note),
			 "lines of page events not understood: an impossible CPU, timestamp, pfn or order; %" PRIu64 " of them cut (the next line continues it), %" PRIu64 " merged with another line",
			 ts->cut, ts->merged);
		ts->base.info.damage_note = ts->damage_note;
	}
	ts->base.info.cpus = ts->header_cpus ? ts->header_cpus : ts->max_cpu + 1;
}

static int no_events(struct text_source *ts, char *errmsg)
{
	if (!ts->records)
		return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
				  "%s: no kmem page events found in this text: it is not a trace-cmd trace.dat file (no tracing magic at offset 0), nor perf.data, and no line of it is an ftrace, trace-cmd report, perf script or tp_printk event; record one with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				  ts->path);
	return pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
			  "%s: no kmem page events found in this text (%" PRIu64 " other event lines); record with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
			  ts->path, ts->records);
}

static int text_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg)
{
	struct text_source *ts = (struct text_source *)src;
	bool overlong;
	char *line;
	size_t len;
	int ret;

	if (pcr_reader_start(&ts->rd, fn, payload, errmsg, ts->rd.depot && ts->ftrace_stacks,
			     false))
		return -PCR_ERR_NOMEM;
	while ((ret = pcr_textio_line(ts->io, &line, &len, &overlong, errmsg)) > 0)
		if (take_input(ts, line, len, overlong))
			break;
	if (ret < 0 && !ts->rd.err)
		ts->rd.err = ret;
	if (!ts->rd.err)
		release_held(ts, false);
	if (!ts->rd.err)
		finish_pending(ts);
	if (!ts->rd.err)
		lost_cpus(ts);
	pcr_reader_finish(&ts->rd);
	describe(ts);
	if (ts->rd.err)
		return ts->rd.err;
	if (ts->want && !ts->page_events) {
		int i;

		for (i = 0; i < ts->nr_bufs; i++)
			if (!strcmp(ts->bufs[i].name, ts->want))
				break;
		if (i == ts->nr_bufs)
			return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
					  "%s: no buffer named '%s' in this text", ts->path,
					  ts->want);
	}
	if (!ts->page_events)
		return no_events(ts, errmsg);
	return 0;
}

static void text_close(struct pcr_source *src)
{
	struct text_source *ts = (struct text_source *)src;
	size_t i;

	pcr_textio_close(ts->io);
	pcr_stackpair_free(ts->rd.pair);
	for (i = 0; i < (size_t)ts->nr_bufs; i++) {
		free(ts->bufs[i].name);
		pcr_pending_free(&ts->bufs[i].held.pending);
	}
	pcr_text_tab_free(&ts->tab);
	free(ts->path);
	free(ts->lava_msg);
	free(ts->lava_held);
	free(ts);
}

static const struct pcr_source_ops text_ops = {
	.replay = text_replay,
	.close = text_close,
};

/*
 * Looks at the first PCR_TEXT_HEAD bytes: whether the text has kernel stacks or callchains
 * (the report needs to know before the replay), and, when that is all of it, whether it holds
 * a page event at all, so that a file that is no trace is refused before any output.
 */
static int scan_head(struct text_source *ts, char *errmsg)
{
	const char *text, *end, *p;
	bool all, page = false, record = false, after_record = false, named = false;
	struct pcr_console con;
	char *line;
	size_t len;
	int ret;

	ret = pcr_textio_peek(ts->io, &text, &len, &all, errmsg);
	if (ret)
		return ret;
	line = malloc(PCR_TEXT_MAX_LINE);
	if (!line)
		return -PCR_ERR_NOMEM;
	pcr_console_init(&con);
	for (p = text, end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		struct pcr_text_line tl;

		if (n < PCR_TEXT_MAX_LINE && !memchr(p, '\0', n)) {
			size_t m;

			memcpy(line, p, n);
			line[n] = '\0';
			/* a LAVA record: its message, or nothing of the device's */
			if (pcr_console_lava(line, ts->lava_msg, PCR_TEXT_MAX_LINE, &m) != PCR_LAVA_NONE)
				memcpy(line, ts->lava_msg, m + 1);
			pcr_text_parse_line(line, &tl);
			if (tl.type == PCR_LINE_RECORD) {
				record = true;
				page |= tl.kind != PCR_EV_OTHER && !tl.stack;
				ts->ftrace_stacks |= tl.stack;
				named |= tl.kind == PCR_EV_ALLOC && pcr_text_gfp_name(tl.fields);
			} else if (tl.type == PCR_LINE_NOTICE) {
				record = true;
			} else if (tl.console && tl.type != PCR_LINE_FRAME) {
				pcr_console_line(&con, tl.console);
				ts->ftrace_stacks |= con.stacks;
			}
			if (tl.type == PCR_LINE_FRAME && after_record) {
				ts->base.info.has_kallsyms |= tl.sym != NULL;
				if (tl.perf_frame)
					ts->perf_chains |= tl.kernel;
				else
					ts->ftrace_stacks = true;
			}
			after_record = tl.type == PCR_LINE_RECORD || (after_record &&
								  tl.type == PCR_LINE_FRAME);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	free(line);
	if (named) {
		/* the report prints gfp flags with the table of the kernel the head names */
		ts->base.info.gfp_names = con.gfp_names;
		ts->base.info.nr_gfp_names = con.nr_gfp_names;
	}
	if (all && !page) {
		ts->records = record;
		return no_events(ts, errmsg);
	}
	return 0;
}

int pcr_text_open(struct pcr_source **out, const char *path, const struct pcr_source_options *opts,
		  char *errmsg)
{
	struct text_source *ts;
	int ret;

	*out = NULL;
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return -PCR_ERR_NOMEM;
	ts->base.ops = &text_ops;
	ts->lava_msg = malloc(PCR_TEXT_MAX_LINE);
	ts->lava_held = malloc(PCR_TEXT_MAX_LINE);
	if (!ts->lava_msg || !ts->lava_held) {
		free(ts->lava_msg);
		free(ts->lava_held);
		free(ts);
		return -PCR_ERR_NOMEM;
	}
	ts->rd.info = &ts->base.info;
	ts->page_buf = -1;
	ts->notice_buf = -1;
	pcr_console_init(&ts->con);
	ts->max_cpu = -1;
	ts->path = strdup(path);
	if (!ts->path) {
		text_close(&ts->base);
		return -PCR_ERR_NOMEM;
	}
	ts->want = opts ? opts->buffer : NULL;
	ret = pcr_textio_open(&ts->io, path, opts ? opts->head : NULL, opts ? opts->head_len : 0,
			      errmsg);
	if (!ret)
		ret = scan_head(ts, errmsg);
	if (ret) {
		if (ret == -PCR_ERR_NOMEM)
			pcr_errmsg(errmsg, ret, "%s: %s", path, pcr_strerror(ret));
		text_close(&ts->base);
		return ret;
	}
	if (opts && opts->depot && (ts->ftrace_stacks || ts->perf_chains)) {
		ts->rd.depot = opts->depot;
		ts->base.info.has_stacks = true;
	}
	ts->base.info.sym.resolve = pcr_text_resolve;
	ts->base.info.sym.ctx = &ts->tab;
	ts->base.info.comm = pcr_text_comm;
	ts->base.info.comm_ctx = &ts->tab;
	describe(ts);
	*out = &ts->base;
	return 0;
}
