/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every reader of ftrace records shares, whatever the records come from (a trace.dat
 * through libtracecmd, or a live tracefs instance through libtracefs): where the kmem page
 * events and the kernel_stack event keep their fields in a kernel's event formats, how one
 * record becomes a struct pcr_event, the gfp flag names of the event's print format, and the
 * loss check against the kernel's per-CPU ring buffer counters (per_cpu/cpuN/stats).
 *
 * Private to formats/: it includes libtraceevent's header, which lib/ and cmd/ never see.
 */
#ifndef PCR_KMEM_H
#define PCR_KMEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "pcr_formats.h"

/* The deepest stack the kernel records: a page of return addresses. */
#define PCR_MAX_FRAMES 512

/**
 * struct pcr_kmem_layout - where one kmem event keeps its fields in one kernel's formats
 * @pfn:	the "pfn" field, or "page" on kernels before 4.1
 * @order:	the "order" field, or NULL
 * @gfp:	the "gfp_flags" field, or NULL
 * @migratetype: the "migratetype" field, or NULL
 * @id:		the event's id, -1 when the kernel (or recording) has no such event
 * @page_pointer: @pfn is a struct page pointer, not a pfn
 * @native:	the recording has this machine's byte order: fields are read with plain loads
 * @need:	the bytes a record must hold for all its fields to be read without a check a
 *		field; 0 when @native is false or a field is not 1, 2, 4 or 8 bytes
 */
struct pcr_kmem_layout {
	struct tep_format_field *pfn;
	struct tep_format_field *order;
	struct tep_format_field *gfp;
	struct tep_format_field *migratetype;
	int id;
	unsigned int need;
	bool page_pointer;
	bool native;
};

/**
 * struct pcr_stack_layout - where the ftrace kernel_stack event keeps its frames
 * @size:	the "size" field: how many frames the record holds
 * @caller:	the "caller" array
 * @id:		the event's id, -1 when there is no usable kernel_stack format
 * @long_size:	bytes per frame (4 or 8)
 */
struct pcr_stack_layout {
	struct tep_format_field *size;
	struct tep_format_field *caller;
	int id;
	int long_size;
};

/* Boot phase marker events a recording can hold (kprobe events included). */
#define PCR_MAX_MARKERS 64

/**
 * struct pcr_marker_layout - one event that reports a boot phase marker
 * @pid:	sched_process_exec's "pid" field (the task that exec'd), or NULL
 * @state:	a kprobe's "system_state" or "state" field (@system_state fetched), or NULL
 * @probe_ip:	a kprobe's "__probe_ip", a kretprobe's "__probe_func": the probed function
 * @name:	the event's name
 * @id:		the event's id
 * @kind:	PCR_EV_INITCALL, PCR_EV_EXEC, or PCR_EV_SYSTEM_STATE for a kprobe event (made
 *		PCR_EV_INITMEM_* per record when its function is free_initmem)
 * @ret:	a kretprobe: it fires when the function returns
 * @pfn:	page_consistency:pc_update's "pfn", pc_init's "min_pfn"
 * @order:	pc_update's "order"
 * @alloc:	pc_update's "alloc" (1 for page_consistency_alloc(), 0 for _free())
 * @pfn_end:	pc_init's "max_pfn"
 */
struct pcr_marker_layout {
	struct tep_format_field *pfn;
	struct tep_format_field *order;
	struct tep_format_field *alloc;
	struct tep_format_field *pfn_end;
	struct tep_format_field *pid;
	struct tep_format_field *child_pid;
	struct tep_format_field *group_dead;
	struct tep_format_field *state;
	struct tep_format_field *probe_ip;
	struct tep_format_field *taken;
	const char *name;
	int id;
	int kind;
	bool ret;
};

/**
 * pcr_kmem_find_markers - find the marker events (boot phases, process lifetimes) in a set of
 *	formats
 * @ml: receives the layouts
 * @max: room in @ml
 * @tep: the event formats
 *
 * initcall:initcall_finish, sched:sched_process_exec, _fork and _exit, and every kprobes:* event
 * that either
 * fetched the kernel's system_state into a field named "system_state" or "state", or probes
 * free_initmem (a kprobe: its entry; a kretprobe: its return).
 *
 * Return: how many layouts were filled.
 */
int pcr_kmem_find_markers(struct pcr_marker_layout *ml, int max, struct tep_handle *tep);

/**
 * pcr_kmem_read_marker - make a marker event of a record, when it is one
 * @tep: the event formats (and kallsyms, to name a kprobe's function)
 * @ml: the layouts from pcr_kmem_find_markers()
 * @nr: how many
 * @type: the record's event id
 * @record: the record
 * @ev: receives kind, state and, for an exec, a fork or an exit, the pid the record names (and
 *	a fork's child); the exit of a thread whose process lives on (group_dead 0) is
 *	PCR_EV_OTHER
 *
 * Only what the record says: whether it means the end of the boot is for pcr_boot_feed().
 *
 * Return: true when the record is a marker.
 */
bool pcr_kmem_read_marker(struct tep_handle *tep, const struct pcr_marker_layout *ml, int nr,
			  int type, const struct tep_record *record, struct pcr_event *ev);

/**
 * pcr_kmem_event_name - the tracepoint name of a kmem kind
 * @kind: PCR_EV_ALLOC .. PCR_EV_PCPU_DRAIN
 *
 * Return: e.g. "mm_page_alloc" (a static string), or NULL for another kind.
 */
const char *pcr_kmem_event_name(int kind);

/**
 * pcr_kmem_is_kind - whether a kind is one of the five kmem page events
 * @kind: an enum pcr_event_kind
 *
 * Return: true for PCR_EV_ALLOC .. PCR_EV_PCPU_DRAIN.
 */
bool pcr_kmem_is_kind(int kind);

/**
 * pcr_kmem_wanted - whether an event is one of the kmem page events read here
 * @sys: the event's system
 * @name: the event's name
 *
 * Readers that parse event formats themselves parse only these (see formats/tepcheck.c).
 *
 * Return: true for kmem:mm_page_alloc, mm_page_free, mm_page_free_batched,
 * mm_page_alloc_zone_locked and mm_page_pcpu_drain.
 */
bool pcr_kmem_wanted(const char *sys, const char *name);

/**
 * pcr_kmem_marker_wanted - whether an event may be a boot marker (pcr_kmem_find_markers())
 * @sys: the event's system
 * @name: the event's name
 *
 * Readers that parse event formats themselves parse these too, after the same grammar check.
 *
 * Return: true for initcall:initcall_finish, sched:sched_process_exec, _fork and _exit, any
 * kprobes event, the RFC checker's page_consistency events and compaction's free page isolation
 * events.
 */
bool pcr_kmem_marker_wanted(const char *sys, const char *name);

/**
 * pcr_kmem_markers_have - whether the formats include a marker of one kind
 * @ml: the layouts from pcr_kmem_find_markers()
 * @nr: how many
 * @kind: PCR_EV_HOOK_ALLOC (page_consistency:pc_update: a reference-kernel recording),
 *	PCR_EV_ISOLATE (compaction's isolation events were recorded), ...
 *
 * Return: true when one of them is of @kind.
 */
bool pcr_kmem_markers_have(const struct pcr_marker_layout *ml, int nr, int kind);

/**
 * pcr_kmem_formats_selective - whether a recording's formats name only the events it recorded
 * @tep: the recording's event formats
 *
 * trace-cmd record saves the formats of the events it enables; trace-cmd extract (and record
 * -e all) saves every event's format, which then says nothing of what was enabled.
 *
 * Return: true when the formats outside the ftrace system are few (PCR_KMEM_SELECTIVE_MAX).
 */
bool pcr_kmem_formats_selective(struct tep_handle *tep);

/* More event formats than this (ftrace's own aside): the recording saved every event's. */
#define PCR_KMEM_SELECTIVE_MAX 64

/* compaction's events that isolate free pages: PCR_EV_ISOLATE. */
#define PCR_KMEM_ISOLATE_EVENTS { "mm_compaction_isolate_freepages", \
				  "mm_compaction_fast_isolate_freepages" }

/**
 * pcr_kmem_find_layouts - find the kmem page events and their fields in a set of formats
 * @layout: receives one layout per enum pcr_event_kind (id -1 for the kinds not found)
 * @tep: the event formats
 * @what: names the formats' origin in a message (a file name, "this kernel")
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * A layout needs a 4- or 8-byte "pfn" (or "page") field, and "order" for mm_page_alloc and
 * mm_page_free.
 *
 * Return: how many of mm_page_alloc and mm_page_free were found (0 to 2), or -PCR_ERR_LAYOUT.
 */
int pcr_kmem_find_layouts(struct pcr_kmem_layout layout[PCR_EV_NR], struct tep_handle *tep,
			  const char *what, char *errmsg);

/**
 * pcr_kmem_kind_of - which kmem kind an event id is
 * @layout: the layouts from pcr_kmem_find_layouts()
 * @type: the record's event id
 *
 * Return: PCR_EV_ALLOC .. PCR_EV_PCPU_DRAIN, or PCR_EV_NONE for any other event.
 */
int pcr_kmem_kind_of(const struct pcr_kmem_layout layout[PCR_EV_NR], int type);

/**
 * pcr_kmem_field - read a number field of a record
 * @tep: the event formats (for the byte order)
 * @f: the field, or NULL
 * @record: the record
 *
 * Return: the value, 0 for a NULL field or one that lies past the record's end.
 */
uint64_t pcr_kmem_field(struct tep_handle *tep, const struct tep_format_field *f,
			const struct tep_record *record);

/**
 * pcr_kmem_load - read a number of this machine's byte order
 * @p: where it starts
 * @size: its size in bytes
 *
 * Return: the value, 0 for a size other than 1, 2, 4 or 8.
 */
static inline uint64_t pcr_kmem_load(const unsigned char *p, int size)
{
	uint64_t v8;
	uint32_t v4;
	uint16_t v2;

	switch (size) {
	case 1:
		return p[0];
	case 2:
		memcpy(&v2, p, 2);
		return v2;
	case 4:
		memcpy(&v4, p, 4);
		return v4;
	case 8:
		memcpy(&v8, p, 8);
		return v8;
	}
	return 0;
}

/**
 * pcr_kmem_native_field - read a number field of a record in this machine's byte order
 * @f: the field, or NULL
 * @record: the record
 *
 * What pcr_kmem_field() returns for a recording of this machine's byte order, without a
 * library call per field (tep_read_number() was 10% of a replay, README "Speed").
 *
 * Return: the value, 0 for a NULL field, one past the record's end or of an odd size.
 */
static inline uint64_t pcr_kmem_native_field(const struct tep_format_field *f,
					     const struct tep_record *record)
{
	if (!f || f->offset + f->size > record->size)
		return 0;
	return pcr_kmem_load((const unsigned char *)record->data + f->offset, f->size);
}

/**
 * enum pcr_kmem_read_mode - how pcr_kmem_read_fields() reads a field
 * @PCR_KMEM_UNCHECKED:	a plain load; the caller made sure the record holds the field
 * @PCR_KMEM_NATIVE:	a plain load after a bounds check
 * @PCR_KMEM_FOREIGN:	libtraceevent's read, for a recording of the other byte order
 */
enum pcr_kmem_read_mode {
	PCR_KMEM_UNCHECKED,
	PCR_KMEM_NATIVE,
	PCR_KMEM_FOREIGN,
};

/**
 * pcr_kmem_layout_field - read one field of a kmem record, the way @mode says
 * @tep: the event formats (for %PCR_KMEM_FOREIGN)
 * @mode: how to read it
 * @f: the field, or NULL
 * @record: the record
 *
 * Return: the value, 0 for a NULL field (and, unless unchecked, one past the record's end).
 */
static inline __attribute__((always_inline)) uint64_t
pcr_kmem_layout_field(struct tep_handle *tep, enum pcr_kmem_read_mode mode,
		      const struct tep_format_field *f, const struct tep_record *record)
{
	switch (mode) {
	case PCR_KMEM_UNCHECKED:
		return f ? pcr_kmem_load((const unsigned char *)record->data + f->offset, f->size) :
			   0;
	case PCR_KMEM_NATIVE:
		return pcr_kmem_native_field(f, record);
	default:
		return pcr_kmem_field(tep, f, record);
	}
}

/**
 * pcr_kmem_read_fields - the body of pcr_kmem_read(), inlined for each way of reading a field
 * @tep: the event formats
 * @l: the record's layout
 * @mode: how to read the fields
 * @kind: the record's kind
 * @record: the record
 * @ev: as for pcr_kmem_read()
 *
 * Inlined because the byte-order test, the bounds checks and a call a field were 7% of a
 * replay (README "Speed").
 *
 * Return: as pcr_kmem_read().
 */
static inline __attribute__((always_inline)) int
pcr_kmem_read_fields(struct tep_handle *tep, const struct pcr_kmem_layout *l,
		     enum pcr_kmem_read_mode mode, int kind, const struct tep_record *record,
		     struct pcr_event *ev)
{
	uint64_t order = pcr_kmem_layout_field(tep, mode, l->order, record);

	ev->kind = (uint8_t)kind;
	ev->pfn = pcr_kmem_layout_field(tep, mode, l->pfn, record);
	if (l->pfn->size == 4 && ev->pfn == UINT32_MAX)
		ev->pfn = PCR_PFN_NONE;
	if (l->page_pointer)
		/* A struct page * names the page as well as its pfn does: 64 bytes per page. */
		ev->pfn = ev->pfn ? ev->pfn / 64 : PCR_PFN_NONE;
	ev->order = (uint8_t)order;
	if (l->order && order > PCR_MAX_ORDER)
		return -PCR_ERR_FORMAT;
	if (kind == PCR_EV_ALLOC) {
		ev->gfp = pcr_kmem_layout_field(tep, mode, l->gfp, record);
		if (l->migratetype)
			ev->migratetype = (int32_t)pcr_kmem_layout_field(tep, mode, l->migratetype,
									 record);
	}
	return 0;
}

/**
 * pcr_kmem_read_checked - pcr_kmem_read() for a record that may be shorter than its layout
 * @tep: the event formats
 * @l: the record's layout
 * @kind: the record's kind
 * @record: the record
 * @ev: as for pcr_kmem_read()
 *
 * Return: as pcr_kmem_read(), and -PCR_ERR_FORMAT when a field of the layout lies past the
 * record's end (a kernel writes them all: the record or the format is damaged).
 */
int pcr_kmem_read_checked(struct tep_handle *tep, const struct pcr_kmem_layout *l, int kind,
			  const struct tep_record *record, struct pcr_event *ev);

/**
 * pcr_kmem_fits - whether a record holds every field its layout reads
 * @l: the record's layout
 * @kind: the record's kind
 * @record: the record
 *
 * Return: true when pfn, order and (for an allocation) gfp_flags and migratetype all lie
 * within the record.
 */
bool pcr_kmem_fits(const struct pcr_kmem_layout *l, int kind, const struct tep_record *record);

/**
 * pcr_kmem_read - fill in the page fields of a normalized event from a kmem record
 * @tep: the event formats
 * @l: the record's layout
 * @kind: the record's kind (PCR_EV_ALLOC .. PCR_EV_PCPU_DRAIN)
 * @record: the record
 * @ev: receives kind, pfn, order and, for an allocation, gfp and migratetype (the caller sets
 *	timestamp, CPU, pid and comm)
 *
 * A failed allocation's pfn (-1, or a NULL page pointer) becomes PCR_PFN_NONE; a struct page
 * pointer becomes a pfn by its 64-byte stride. A record that holds the layout's @need bytes is
 * read with plain loads and no check a field; any other by pcr_kmem_read_checked().
 *
 * Return: 0, or -PCR_ERR_FORMAT when the order exceeds PCR_MAX_ORDER or a field lies past the
 * record (a corrupt record).
 */
static inline int pcr_kmem_read(struct tep_handle *tep, const struct pcr_kmem_layout *l,
				int kind, const struct tep_record *record, struct pcr_event *ev)
{
	if (l->need && (unsigned int)record->size >= l->need)
		return pcr_kmem_read_fields(tep, l, PCR_KMEM_UNCHECKED, kind, record, ev);
	return pcr_kmem_read_checked(tep, l, kind, record, ev);
}

/**
 * pcr_kmem_gfp_names - the gfp flag table of mm_page_alloc's print format
 * @tep: the event formats
 * @names: receives the table in print order (free() it), NULL when there is none
 * @nr: receives its length
 *
 * The strings point into @tep's parsed formats and live as long as @tep.
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_kmem_gfp_names(struct tep_handle *tep, struct pcr_flag_name **names, size_t *nr);

/**
 * pcr_kmem_stack_layout - find the ftrace kernel_stack event in a set of formats
 * @tep: the event formats
 * @sl: receives the layout; its id is -1 when there is no usable kernel_stack format
 *
 * Return: true when stacks can be read.
 */
bool pcr_kmem_stack_layout(struct tep_handle *tep, struct pcr_stack_layout *sl);

/**
 * pcr_kmem_stack_frames - read the return addresses of a kernel_stack record
 * @tep: the event formats
 * @sl: the layout
 * @record: the record
 * @frames: receives the frames, innermost first (PCR_MAX_FRAMES of room)
 *
 * The format says caller[8], but a record holds "size" entries, up to its own length; kernels
 * before 4.x ended the array with ULONG_MAX.
 *
 * Return: the number of frames.
 */
unsigned int pcr_kmem_stack_frames(struct tep_handle *tep, const struct pcr_stack_layout *sl,
				   const struct tep_record *record, uint64_t *frames);

/**
 * pcr_kmem_stack_glue - the event a stack's first frame names
 * @sym: names kernel addresses (its resolve may be NULL)
 * @frames: the stack
 * @nr: its frames
 *
 * Return: NAME for a first frame trace_event_raw_event_NAME (valid while @sym's symbols live),
 * or NULL.
 */
const char *pcr_kmem_stack_glue(const struct pcr_symbolizer *sym, const uint64_t *frames,
				unsigned int nr);

/**
 * pcr_tep_resolve - a pcr_resolve_fn over the kallsyms a tep handle holds
 * @ctx: the struct tep_handle
 * @addr: the address
 * @sym: receives the symbol (libtraceevent keeps no module names)
 *
 * Return: 0, or -PCR_ERR_INVAL when @addr has no symbol.
 */
int pcr_tep_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym);

/**
 * pcr_tep_comm - name a pid's task from the cmdlines a tep handle holds
 * @ctx: the struct tep_handle
 * @pid: the pid
 *
 * Return: the name, "<...>" when unknown.
 */
const char *pcr_tep_comm(void *ctx, int pid);

/**
 * struct pcr_cpu_account - the kernel's counters for one CPU of one ring buffer, and what a
 * reader saw of it
 * @records:	records the reader read
 * @last_ts:	timestamp of the last of them
 * @entries:	kernel: events still in the buffer
 * @overrun:	kernel: events overwritten before they were read
 * @commit_overrun: kernel: events lost to nested writes filling a page
 * @dropped:	kernel: events dropped because the buffer was full (no-overwrite mode)
 * @read:	kernel: events consumed by readers
 * @oldest_us:	kernel: the oldest event still in the buffer, in microseconds
 * @notices:	events the missed-events notices of the records announced
 * @have_stats:	the kernel's counters are known
 * @have_oldest: @oldest_us is known
 */
struct pcr_cpu_account {
	uint64_t records;
	uint64_t last_ts;
	uint64_t entries;
	uint64_t overrun;
	uint64_t commit_overrun;
	uint64_t dropped;
	uint64_t read;
	uint64_t oldest_us;
	uint64_t notices;
	bool have_stats;
	bool have_oldest;
};

/**
 * pcr_cpu_stats_line - take one line of a per_cpu/cpuN/stats text
 * @acc: the CPU's account
 * @line: the line ("entries: 68", "overrun: 0", ..., "oldest event ts: 123.456789"); other
 *	  lines are ignored
 */
void pcr_cpu_stats_line(struct pcr_cpu_account *acc, const char *line);

/**
 * pcr_cpu_lost - events a CPU's buffer lost, from its counters and the records read
 * @acc: the CPU's account
 * @end_us: the last record's timestamp over all CPUs of the buffer, in microseconds
 * @trailing: incremented by the events the kernel held after the last record, never read: not
 *	      a loss of the window
 *
 * Overwritten events are announced twice, by the counters (overrun) and by missed-events
 * notices on the records that follow the gap: the larger of the two counts. Events the kernel
 * still held when its counters were read are lost from the window only when the oldest of them
 * is not later than @end_us.
 *
 * Return: the events lost and not yet announced by notices (0 when the account has no stats).
 */
uint64_t pcr_cpu_lost(const struct pcr_cpu_account *acc, uint64_t end_us, uint64_t *trailing);

#endif /* PCR_KMEM_H */
