/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagecheck - replay page allocator events through the dual-bitmap consistency engine of the
 * "mm: dual-bitmap page allocator consistency checker" RFC.
 *
 * This is the library's only public header. It knows nothing about trace file formats: readers
 * turn a recording into a stream of struct pcr_event and feed it to a struct pcr_engine.
 */
#ifndef PAGECHECK_H
#define PAGECHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* PCR_VERSION_STRING and its parts, from project() in CMakeLists.txt (configure_file). */
#include "pagecheck_version.h"

/* Length of a task's comm in the kernel (TASK_COMM_LEN), including the NUL. */
#define PCR_COMM_LEN 16

/* The raw pfn of a failed allocation: mm_page_alloc with a NULL page reports pfn == -1UL. */
#define PCR_PFN_NONE UINT64_MAX

/*
 * Error codes: 0 is success, a failure is the negative of one of these. One list generates the
 * enum and the strings (pcr_strerror()) so that they cannot drift apart.
 */
#define PCR_ERRORS							\
	_PCR(OK, "success")						\
	_PCR(NOMEM, "out of memory")					\
	_PCR(INVAL, "invalid argument")					\
	_PCR(IO, "cannot read the input file")				\
	_PCR(FORMAT, "not a recording this tool can read")		\
	_PCR(TRUNCATED, "the recording is truncated")			\
	_PCR(LAYOUT, "unknown kernel event layout")			\
	_PCR(NO_EVENTS, "the recording holds no kmem page events")	\
	_PCR(AMBIGUOUS, "page events in more than one buffer")		\
	_PCR(STOPPED, "the replay was stopped by its caller")

#undef _PCR
#define _PCR(code, str) PCR_ERR_##code,
enum pcr_error { PCR_ERRORS PCR_ERR_NR };
#undef _PCR

/**
 * pcr_strerror - describe an error code
 * @err: a code returned by a pcr_* function (negative or positive)
 *
 * Return: a static string naming the error; "unknown error" for a code out of range.
 */
const char *pcr_strerror(int err);

/* What a normalized event is. The names of the kmem ones are the tracepoints'. */
enum pcr_event_kind {
	PCR_EV_NONE,		/* no event: used for "no previous event" */
	PCR_EV_ALLOC,		/* kmem:mm_page_alloc; pfn == PCR_PFN_NONE: a failed allocation */
	PCR_EV_FREE,		/* kmem:mm_page_free */
	PCR_EV_FREE_BATCHED,	/* kmem:mm_page_free_batched: a second notice, never a free */
	PCR_EV_ZONE_LOCKED,	/* kmem:mm_page_alloc_zone_locked: buddy to pcp, no state change */
	PCR_EV_PCPU_DRAIN,	/* kmem:mm_page_pcpu_drain: pcp to buddy, no state change */
	PCR_EV_LOST,		/* the recording lost @lost events on @cpu (0: an unknown number) */
	PCR_EV_OTHER,		/* any other record of the replayed buffer: counted only */
	/*
	 * Markers: records of other events that say where the boot is, or when a process's
	 * address space ends (fork, exec, exit: see pcr_tasks_feed()). Readers report what the
	 * record says; pcr_boot_feed() and pcr_classify() decide what it means. They count as
	 * "other" too.
	 */
	PCR_EV_INITCALL,	/* initcall:initcall_finish */
	PCR_EV_EXEC,		/* sched:sched_process_exec; @pid is the pid that exec'd */
	PCR_EV_SYSTEM_STATE,	/* a kprobe event that fetched system_state, in @state */
	PCR_EV_INITMEM_ENTER,	/* a kprobe on free_initmem's entry; @state as above or -1 */
	PCR_EV_INITMEM_EXIT,	/* a kretprobe on free_initmem's return; @state as above */
	PCR_EV_FORK,		/* sched:sched_process_fork; @pid forked @child_pid */
	PCR_EV_EXIT,		/* sched:sched_process_exit of a process (its last thread) */
	/*
	 * The RFC checker's own hook calls, from a kernel that runs it and traces them
	 * (page_consistency:pc_update, pc_init, pc_stats of the reference kernel in
	 * tests/kernel/rfc). @state is the system_state the free gate read.
	 */
	PCR_EV_HOOK_ALLOC,	/* page_consistency_alloc() of @pfn, @order */
	PCR_EV_HOOK_FREE,	/* page_consistency_free() of @pfn, @order */
	PCR_EV_HOOK_INIT,	/* the checker's range: [@pfn, @pfn_end) */
	PCR_EV_HOOK_STOP,	/* the checker's counters were read and tracing stopped */
	/*
	 * compaction:mm_compaction_isolate_freepages or _fast_isolate_freepages that took pages
	 * (nr_taken > 0): compaction isolated free pages in [@pfn, @pfn_end] without mm_page_alloc
	 * (README "What the tracepoints miss"). Readers turn a record that took none into
	 * PCR_EV_OTHER.
	 */
	PCR_EV_ISOLATE,
	PCR_EV_NR
};

/* The first boot phase marker kind, for range checks. */
#define PCR_EV_FIRST_MARKER PCR_EV_INITCALL

/**
 * struct pcr_event - one recorded event, as every reader delivers it
 * @ts_ns:	timestamp in nanoseconds (the trace clock's value)
 * @pfn:	first page frame number; PCR_PFN_NONE for a failed allocation
 * @gfp:	gfp flags of an allocation, 0 otherwise
 * @lost:	for PCR_EV_LOST, how many events were lost (0 if the count is unknown)
 * @comm:	the task's name, or NULL when the recording does not know it; only valid during the
 *		call that receives the event
 * @stack_id:	id of the kernel stack recorded with the event, 0 for none
 * @pid:	the task's pid
 * @migratetype: the allocation's migratetype, -1 when the event has none
 * @cpu:	the CPU the event was recorded on
 * @kind:	an enum pcr_event_kind
 * @order:	log2 of the number of pages (0 for events that carry no order)
 * @state:	the kernel's system_state fetched by a kprobe marker or carried by a hook call, -1
 *		when it has none
 * @child_pid:	for PCR_EV_FORK, the new task's pid
 */
struct pcr_event {
	uint64_t ts_ns;
	uint64_t pfn;
	union {
		uint64_t gfp;
		uint64_t pfn_end;	/* PCR_EV_HOOK_INIT: one past the checker's last pfn;
					 * PCR_EV_ISOLATE: the scan's end */
	};
	uint64_t lost;
	const char *comm;
	uint32_t stack_id;
	int32_t pid;
	int32_t migratetype;
	uint16_t cpu;
	uint8_t kind;
	uint8_t order;
	int32_t state;
	int32_t child_pid;
};

/* The kernel's enum system_states value of SYSTEM_RUNNING (0 BOOTING ... 3 RUNNING). */
#define PCR_SYSTEM_RUNNING 3

/* The largest order the engine accepts: above any MAX_PAGE_ORDER a kernel has used. */
#define PCR_MAX_ORDER 20

/* How the state of a page the recording has not shown yet is modelled. */
enum pcr_model {
	/*
	 * A recording of a running system is a window: a page's state is unknown until its first
	 * event, and a free of a page never seen before is counted, not reported.
	 */
	PCR_MODEL_WINDOW,
	/* The RFC verbatim: every page starts free, as the checker's bitmaps do at init. */
	PCR_MODEL_KERNEL,
};

/**
 * struct pcr_options - how an engine replays
 * @running_from_ns: events at or after this timestamp happen with system_state >=
 *		SYSTEM_RUNNING; double frees before it are not violations (0: the whole recording)
 * @pfn_min:	with @pfn_range, the first tracked pfn (the RFC's min_pfn)
 * @pfn_max:	with @pfn_range, one past the last tracked pfn (the RFC's max_pfn)
 * @model:	an enum pcr_model
 * @pfn_range:	track only [@pfn_min, @pfn_max) as the RFC's memblock range does
 * @from_boot:	the recording starts at boot (see pcr_boot_feed()): in the window model too, a
 *		page never seen is free (memblock_free_all released it before tracing began), so
 *		freeing it is judged as a double free, gated by @running_from_ns as the RFC does
 * @replay_hooks: replay the checker's own hook calls (PCR_EV_HOOK_*) and only count the kmem
 *		page events: each hook free is gated by the system_state it carries, and the
 *		checker's PCR_EV_HOOK_INIT sets the range unless @pfn_range already did
 */
struct pcr_options {
	uint64_t running_from_ns;
	uint64_t pfn_min;
	uint64_t pfn_max;
	enum pcr_model model;
	bool pfn_range;
	bool from_boot;
	bool replay_hooks;
};

#define PCR_OPTIONS_INIT { .running_from_ns = 0, .model = PCR_MODEL_WINDOW }

/* The kinds of violation, as the RFC's WARN messages name them. */
enum pcr_violation_kind {
	PCR_VIOL_DOUBLE_ALLOC,	/* an allocated page allocated again */
	PCR_VIOL_DOUBLE_FREE,	/* a free page freed again, with system_state >= SYSTEM_RUNNING */
	PCR_VIOL_INVARIANT,	/* PRIMARY != ~SECONDARY for a page before its update */
	PCR_VIOL_NR
};

/**
 * pcr_violation_name - the report name of a violation kind
 * @kind: an enum pcr_violation_kind
 *
 * Return: "DOUBLE-ALLOC", "DOUBLE-FREE" or "INVARIANT"; "?" for an unknown kind.
 */
const char *pcr_violation_name(int kind);

/**
 * pcr_violation_key - the counter prefix of a violation kind
 * @kind: an enum pcr_violation_kind
 *
 * Return: "double_alloc", "double_free" or "invariant"; "unknown" for an unknown kind.
 */
const char *pcr_violation_key(int kind);

/**
 * pcr_event_name - the tracepoint name of an event kind
 * @kind: an enum pcr_event_kind
 *
 * Return: e.g. "mm_page_alloc"; "other" for PCR_EV_OTHER, "none" for PCR_EV_NONE.
 */
const char *pcr_event_name(int kind);

/**
 * struct pcr_provenance - where a page's last alloc or last free came from
 * @ts_ns:	the event's timestamp
 * @stack_id:	its stack in the depot, 0 for none
 * @pid:	the task
 * @cpu:	the CPU
 * @valid:	the recording showed such an event for the page
 */
struct pcr_provenance {
	uint64_t ts_ns;
	uint32_t stack_id;
	int32_t pid;
	uint16_t cpu;
	bool valid;
};

/**
 * struct pcr_violation - one violating event, as the engine reports it
 * @event:	the event that violated (owned by the caller of pcr_engine_feed())
 * @first_pfn:	the first of its pages that is affected
 * @prev_ts_ns:	timestamp of @first_pfn's previous alloc or free in the recording
 * @pages:	how many of the event's 2^order pages are affected
 * @kind:	an enum pcr_violation_kind
 * @prev_kind:	PCR_EV_ALLOC, PCR_EV_FREE, or PCR_EV_NONE when the recording has no earlier
 *		alloc or free of @first_pfn
 * @primary:	for PCR_VIOL_INVARIANT, @first_pfn's PRIMARY bit before the update
 * @secondary:	for PCR_VIOL_INVARIANT, @first_pfn's SECONDARY bit before the update
 * @last_alloc:	@first_pfn's last allocation before this event
 * @last_free:	@first_pfn's last free before this event
 * @isolated:	a PCR_EV_ISOLATE range held one of the affected pages after its previous alloc or
 *		free: compaction took it off the free lists without mm_page_alloc
 * @isolated_since_alloc: the same since the page's last allocation (compaction's own frees
 *		return a page to its private free list, from which it may hand it out again)
 */
struct pcr_violation {
	const struct pcr_event *event;
	struct pcr_provenance last_alloc;
	struct pcr_provenance last_free;
	uint64_t first_pfn;
	uint64_t prev_ts_ns;
	uint32_t pages;
	uint8_t kind;
	uint8_t prev_kind;
	uint8_t primary;
	uint8_t secondary;
	bool isolated;
	bool isolated_since_alloc;
};

/**
 * struct pcr_stats - the engine's counters
 * @pages_tracked: RFC: pages whose PRIMARY bit is set (real transitions only)
 * @alloc_count: RFC: allocation events applied to the bitmaps
 * @free_count: RFC: free events applied to the bitmaps
 * @violations_detected: RFC: violating pages, plus inconsistent words found by validate
 * @bitmap_size_bits: RFC: bits a flat bitmap over @pfn_min..@pfn_max needs
 * @pfn_min: RFC pfn_range start: the --pfn-range start, else the lowest pfn replayed
 * @pfn_max: RFC pfn_range end (exclusive)
 * @events: records read, per enum pcr_event_kind (PCR_EV_LOST counts notices); a boot phase
 *		marker counts under its own kind and under PCR_EV_OTHER, which so counts every
 *		record that is not a kmem page event
 * @failed_allocs: mm_page_alloc events with no page
 * @batched_free_notices: mm_page_free_batched events
 * @batched_free_unmatched: of those, notices for a page not last seen freed
 * @free_unseen_events: free events that touch a page the recording never showed before
 * @free_unseen_pages: pages first seen being freed
 * @boot_free_unallocated_events: frees before SYSTEM_RUNNING of pages not allocated (the RFC's
 *		gate: not violations)
 * @boot_free_unallocated_pages: their pages
 * @out_of_range_events: alloc and free events outside --pfn-range, skipped as the RFC does
 * @lost_events: events the recording lost (known counts)
 * @lost_unknown: lost-event notices whose count is unknown
 * @violation_events: per enum pcr_violation_kind, events with at least one affected page
 * @violation_pages: per enum pcr_violation_kind, affected pages
 * @validate_words: inconsistent words found by the last pcr_engine_validate()
 * @pages_known: distinct pages the replay has state for
 * @state_bytes: memory the engine's page state takes
 * @validated: pcr_engine_validate() has run
 * @have_range: @pfn_min/@pfn_max are meaningful
 */
struct pcr_stats {
	int64_t pages_tracked;
	uint64_t alloc_count;
	uint64_t free_count;
	uint64_t violations_detected;
	uint64_t bitmap_size_bits;
	uint64_t pfn_min;
	uint64_t pfn_max;
	uint64_t events[PCR_EV_NR];
	uint64_t failed_allocs;
	uint64_t batched_free_notices;
	uint64_t batched_free_unmatched;
	uint64_t free_unseen_events;
	uint64_t free_unseen_pages;
	uint64_t boot_free_unallocated_events;
	uint64_t boot_free_unallocated_pages;
	uint64_t out_of_range_events;
	uint64_t lost_events;
	uint64_t lost_unknown;
	uint64_t violation_events[PCR_VIOL_NR];
	uint64_t violation_pages[PCR_VIOL_NR];
	uint64_t validate_words;
	uint64_t pages_known;
	uint64_t state_bytes;
	bool validated;
	bool have_range;
};

/* The two bitmaps of the RFC's struct dual_bitmap. */
enum pcr_bitmap {
	PCR_BITMAP_PRIMARY,	/* 1 = allocated */
	PCR_BITMAP_SECONDARY,	/* the complement of PRIMARY */
};

struct pcr_engine;

/**
 * typedef pcr_violation_fn - receives each violation as the engine finds it
 * @v: the violation; valid only during the call
 * @payload: the pointer given to pcr_engine_set_violation_fn()
 *
 * Return: 0 to go on, non-zero to make pcr_engine_feed() return -PCR_ERR_STOPPED.
 */
typedef int (*pcr_violation_fn)(const struct pcr_violation *v, void *payload);

/**
 * pcr_engine_new - create a replay engine with all pages in the model's initial state
 * @out: receives the engine
 * @opts: options, or NULL for PCR_OPTIONS_INIT
 *
 * Return: 0, -PCR_ERR_INVAL for an empty or inverted pfn range, or -PCR_ERR_NOMEM.
 */
int pcr_engine_new(struct pcr_engine **out, const struct pcr_options *opts);

/**
 * pcr_engine_free - release an engine and all its page state
 * @engine: the engine, or NULL
 */
void pcr_engine_free(struct pcr_engine *engine);

/**
 * pcr_engine_set_violation_fn - choose who hears about violations
 * @engine: the engine
 * @fn: called once per violating event and kind, or NULL to only count
 * @payload: passed to @fn
 */
void pcr_engine_set_violation_fn(struct pcr_engine *engine, pcr_violation_fn fn, void *payload);

/**
 * pcr_engine_feed - replay one event
 * @engine: the engine
 * @ev: the event; events must come in timestamp order
 *
 * Allocations and frees go through the RFC's mark_page_state() for each of their pages; the other
 * kinds are counted. Violations are counted and passed to the violation function.
 *
 * Return: 0; -PCR_ERR_INVAL for an unknown kind or an order above PCR_MAX_ORDER;
 * -PCR_ERR_NOMEM; -PCR_ERR_STOPPED when the violation function asked to stop.
 */
int pcr_engine_feed(struct pcr_engine *engine, const struct pcr_event *ev);

/**
 * pcr_engine_prefetch - say which pages an event about to be fed will touch
 * @engine: the engine
 * @ev: an event that pcr_engine_feed() will see a few events from now
 * @near: false well ahead (16 events or so): only the lookup table's line is loaded; true
 *	closer (8 or so): the table line, by then in cache, names the page's state, which is loaded
 *
 * Only a hint: it starts loading the state of @ev's first page into the CPU's cache, so that
 * the feed does not wait for memory. It changes nothing the engine reports.
 */
void pcr_engine_prefetch(const struct pcr_engine *engine, const struct pcr_event *ev, bool near);

/**
 * pcr_engine_validate - the RFC's validate: count words where PRIMARY != ~SECONDARY
 * @engine: the engine
 *
 * Scans every word the replay holds (words never touched are consistent by construction). As in
 * the RFC the count is added to violations_detected.
 *
 * Return: the number of inconsistent 64-bit words.
 */
uint64_t pcr_engine_validate(struct pcr_engine *engine);

/**
 * pcr_engine_inconsistent_words - list the words pcr_engine_validate() counts
 * @engine: the engine
 * @pfns: receives the first pfn of each inconsistent word, in ascending order
 * @max: room in @pfns
 *
 * Return: the number of inconsistent words (which may exceed @max).
 */
size_t pcr_engine_inconsistent_words(const struct pcr_engine *engine, uint64_t *pfns,
				     size_t max);

/**
 * pcr_engine_flip - flip one page's bit in one bitmap, as a memory fault would
 * @engine: the engine
 * @pfn: the page
 * @which: PCR_BITMAP_PRIMARY or PCR_BITMAP_SECONDARY
 *
 * For fault injection: the next event of @pfn (or validate) must report the break.
 *
 * Return: 0, -PCR_ERR_INVAL when @pfn is outside the tracked range, or -PCR_ERR_NOMEM.
 */
int pcr_engine_flip(struct pcr_engine *engine, uint64_t pfn, enum pcr_bitmap which);

/**
 * pcr_engine_page_state - read one page's bits
 * @engine: the engine
 * @pfn: the page
 * @primary: receives the PRIMARY bit
 * @secondary: receives the SECONDARY bit
 *
 * Return: 1 when the replay has seen an alloc or free of @pfn, 0 when not (the bits are then the
 * initial ones, unless pcr_engine_flip() changed them), -PCR_ERR_INVAL when @pfn is outside the
 * tracked range.
 */
int pcr_engine_page_state(const struct pcr_engine *engine, uint64_t pfn, int *primary,
			  int *secondary);

/**
 * pcr_engine_set_boot - set the boot phase once it is known, before the first alloc or free
 * @engine: the engine
 * @running_from_ns: as struct pcr_options
 * @from_boot: as struct pcr_options
 */
void pcr_engine_set_boot(struct pcr_engine *engine, uint64_t running_from_ns, bool from_boot);

/**
 * pcr_engine_replay_hooks - replay the checker's own hook calls, before the first event
 * @engine: the engine
 * @on: as struct pcr_options' @replay_hooks
 */
void pcr_engine_replay_hooks(struct pcr_engine *engine, bool on);

/**
 * pcr_engine_stats - copy the engine's counters
 * @engine: the engine
 * @out: receives the counters
 */
void pcr_engine_stats(const struct pcr_engine *engine, struct pcr_stats *out);

/* ---- The boot phase: where SYSTEM_RUNNING begins in a recording that starts at boot ---- */

/*
 * A recording starts at boot when its first record was written by pid 0 (start_kernel and the
 * idle tasks; on a running system a recording starts with whatever task runs) before this
 * timestamp of the trace clock, which counts from boot (local and global clocks).
 */
#define PCR_BOOT_START_MAX_NS 10000000000ull

/* A boundary no event reaches: a boot recording whose SYSTEM_RUNNING was not found. */
#define PCR_TS_NEVER UINT64_MAX

/* What told pcr_boot_feed() where SYSTEM_RUNNING begins, most trusted first. */
enum pcr_boot_marker {
	PCR_BOOT_NONE,		/* not found: in a boot recording, no free is judged */
	PCR_BOOT_SYSTEM_STATE,	/* a kprobe that fetched system_state >= SYSTEM_RUNNING */
	PCR_BOOT_INITMEM_BURST,	/* just after pid 1's last free of a never-seen page, before
				 * its exec or, without markers, its first user page */
	PCR_BOOT_LAST_INITCALL,	/* just after the last initcall_finish before pid 1's exec */
	PCR_BOOT_FIRST_EXEC,	/* pid 1's first exec (it runs after SYSTEM_RUNNING) */
	PCR_BOOT_NR
};

/**
 * struct pcr_boot_phase - what pcr_boot_feed() found
 * @running_from_ns: events at or after this are judged with SYSTEM_RUNNING (0: all of them;
 *		PCR_TS_NEVER: a boot recording without a boundary, see pcr_boot_unplaced())
 * @marker_ts_ns: the marker's own timestamp
 * @burst_events: with PCR_BOOT_INITMEM_BURST, pid 1's frees in the burst: since the last
 *		initcall_finish, or in its last unbroken run when a user page anchored it
 * @marker:	an enum pcr_boot_marker
 * @from_boot:	the recording starts at boot
 * @decided:	no later event can change the result
 */
struct pcr_boot_phase {
	uint64_t running_from_ns;
	uint64_t marker_ts_ns;
	uint64_t burst_events;
	int marker;
	bool from_boot;
	bool decided;
};

struct pcr_boot;

/**
 * pcr_boot_new - create a finder of the SYSTEM_RUNNING boundary
 * @out: receives the finder
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_boot_new(struct pcr_boot **out);

/**
 * pcr_boot_free - release a finder
 * @boot: the finder, or NULL
 */
void pcr_boot_free(struct pcr_boot *boot);

/**
 * pcr_boot_feed - look at one event of the recording, in order
 * @boot: the finder
 * @ev: the event
 *
 * The first record decides whether the recording starts at boot (PCR_BOOT_START_MAX_NS). In a
 * boot recording the boundary is, in order of trust: the first kprobe marker whose system_state
 * is SYSTEM_RUNNING or more (exact); else one nanosecond after the last free by pid 1 of a page
 * the recording never showed, between the last initcall_finish and pid 1's first exec
 * (free_initmem and mark_readonly, which run just before SYSTEM_RUNNING); else one nanosecond
 * after that last initcall_finish; else pid 1's first exec. Pid 1's first exec ends the search:
 * initcall_finish of modules loaded later says nothing about the boot. A recording of the page
 * events alone has none of these markers: there, the first page pid 1 allocates for user space
 * (movable) ends the search, and the boundary is one nanosecond after the last free of pid 1's
 * last unbroken run of frees of never-seen pages before it (free_initmem(): its order-0 frees
 * of the init section, on x86, arm64 and s390x alike).
 *
 * Return: 1 when the result is decided, 0 when later events are needed, -PCR_ERR_NOMEM.
 */
int pcr_boot_feed(struct pcr_boot *boot, const struct pcr_event *ev);

/**
 * pcr_boot_finish - decide with what was seen, at the end of the recording
 * @boot: the finder
 * @out: receives the result
 */
void pcr_boot_finish(struct pcr_boot *boot, struct pcr_boot_phase *out);

/**
 * pcr_boot_unplaced - whether a recording starts at boot and its boundary was not found
 * @phase: what pcr_boot_finish() found
 *
 * Then @phase->running_from_ns is PCR_TS_NEVER: every free is gated, as the RFC's gate would
 * hide it before SYSTEM_RUNNING, and counted in boot_free_unallocated_*; a double free among
 * them can be neither reported nor ruled out, so the verdict is inconclusive unless the
 * boundary is given (--running-from).
 *
 * Return: true for a boot recording without a boundary.
 */
bool pcr_boot_unplaced(const struct pcr_boot_phase *phase);

/**
 * pcr_boot_marker_name - the report name of a boundary marker
 * @marker: an enum pcr_boot_marker
 *
 * Return: "system_state", "free_initmem_burst", "last_initcall", "first_exec" or "none".
 */
const char *pcr_boot_marker_name(int marker);

/* ---- Stacks ---- */

/*
 * A depot may be shared by threads: any of them may add and get stacks at the same time. Only
 * the storing of a new stack takes a lock.
 */
struct pcr_depot;

/**
 * pcr_depot_new - create an empty stack depot
 * @out: receives the depot
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_depot_new(struct pcr_depot **out);

/**
 * pcr_depot_free - release a depot and every stack in it
 * @depot: the depot, or NULL
 */
void pcr_depot_free(struct pcr_depot *depot);

/**
 * pcr_depot_add - store a stack once and name it
 * @depot: the depot
 * @frames: return addresses, innermost first
 * @nr_frames: how many
 * @id: receives the stack's id: the same for the same frames, 0 for an empty stack
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_depot_add(struct pcr_depot *depot, const uint64_t *frames, unsigned int nr_frames,
		  uint32_t *id);

/**
 * pcr_depot_get - the frames of a stored stack
 * @depot: the depot
 * @id: the stack's id
 * @frames: receives the frames, valid while the depot lives
 * @nr_frames: receives how many
 *
 * Return: 0, or -PCR_ERR_INVAL for an unknown id.
 */
int pcr_depot_get(const struct pcr_depot *depot, uint32_t id, const uint64_t **frames,
		  unsigned int *nr_frames);

/**
 * pcr_depot_stats - what the depot holds
 * @depot: the depot
 * @stacks: receives the number of distinct stacks
 * @frames: receives the frames stored
 * @bytes: receives the memory the depot's stacks and index take (its pools are allocated in
 *	   1 MiB steps, whose untouched part costs no resident memory)
 */
void pcr_depot_stats(const struct pcr_depot *depot, uint64_t *stacks, uint64_t *frames,
		     uint64_t *bytes);

/**
 * struct pcr_symbol - the kernel symbol that holds an address
 * @name:	its name
 * @module:	the module it belongs to, NULL for the core kernel
 * @start:	its address
 * @size:	its size (up to the next symbol)
 */
struct pcr_symbol {
	const char *name;
	const char *module;
	uint64_t start;
	uint64_t size;
};

/**
 * typedef pcr_resolve_fn - find the kernel symbol that holds an address
 * @ctx: the symbolizer's context
 * @addr: the address
 * @sym: receives the symbol; its strings stay valid while the symbolizer lives
 *
 * Return: 0 when found, a negative error code when not.
 */
typedef int (*pcr_resolve_fn)(void *ctx, uint64_t addr, struct pcr_symbol *sym);

/**
 * struct pcr_symbolizer - a way to name kernel addresses
 * @resolve: the lookup, or NULL when there are no symbols
 * @ctx: passed to @resolve
 */
struct pcr_symbolizer {
	pcr_resolve_fn resolve;
	void *ctx;
};

struct pcr_kallsyms;

/**
 * pcr_kallsyms_parse - build a symbol table from the text of /proc/kallsyms
 * @out: receives the table
 * @text: the text ("ffffffff81000000 T _stext" lines; module symbols may follow "[name]")
 * @len: its length
 *
 * Only text symbols (t, T, w, W) are kept, with their module ("[name]" after the symbol); a
 * symbol's size is the distance to the next one, as the kernel's kallsyms_lookup_size_offset()
 * computes it, and of several names at one address the first in the text wins, as in the
 * kernel's own lookup.
 *
 * Return: 0, -PCR_ERR_FORMAT when no line is a kallsyms line or every address is 0 (a
 * kptr_restrict'ed file), or -PCR_ERR_NOMEM.
 */
int pcr_kallsyms_parse(struct pcr_kallsyms **out, const char *text, size_t len);

/**
 * pcr_kallsyms_free - release a symbol table
 * @table: the table, or NULL
 */
void pcr_kallsyms_free(struct pcr_kallsyms *table);

/**
 * pcr_kallsyms_resolve - a pcr_resolve_fn over a table from pcr_kallsyms_parse()
 * @ctx: the struct pcr_kallsyms
 * @addr: the address
 * @sym: receives the symbol
 *
 * Return: 0, or -PCR_ERR_INVAL when @addr is below the first symbol or at or past the last one
 * (whose size is unknown).
 */
int pcr_kallsyms_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym);

/**
 * pcr_kallsyms_address - the address of a kernel symbol, not a module's, in a symbol table
 * @table: from pcr_kallsyms_parse()
 * @name: a text symbol ("_text", "_stext", "_etext") or "_edata"
 * @addr: receives its address
 *
 * Return: 0, or -PCR_ERR_INVAL when the table lacks it.
 */
int pcr_kallsyms_address(const struct pcr_kallsyms *table, const char *name, uint64_t *addr);

/**
 * pcr_kallsyms_relocate - move a table's kernel symbols as another boot placed the kernel
 * @table: from pcr_kallsyms_parse()
 * @delta: the other boot's _text minus the table's (modulo 2^64)
 *
 * KASLR moves the kernel's image as a whole, so its symbols keep their order and distances;
 * module symbols are dropped, since each boot loads modules wherever it finds room.
 */
void pcr_kallsyms_relocate(struct pcr_kallsyms *table, uint64_t delta);

/**
 * struct pcr_kallsyms_frames - how the stack frames of a recording fit a symbol table
 * @frames:		frames looked at
 * @outside:		of them, those neither in the kernel's text nor in a module symbol
 * @first_outside:	the first of those
 */
struct pcr_kallsyms_frames {
	uint64_t frames;
	uint64_t outside;
	uint64_t first_outside;
};

/**
 * pcr_kallsyms_frames - check every stack frame of a depot against a symbol table
 * @table: from pcr_kallsyms_parse()
 * @depot: the recording's stacks, or NULL
 * @text: start of the kernel's text in @table (its _text)
 * @etext: its end (_etext)
 * @f: receives the counts
 *
 * A frame fits when it lies in [@text, @etext) or in a symbol of a module (or of the kernel's
 * BPF programs and trampolines, which /proc/kallsyms lists as modules), or in any symbol when
 * the table names no module. The kallsyms of another boot of a relocated kernel leaves most
 * frames outside.
 */
void pcr_kallsyms_frames(const struct pcr_kallsyms *table, const struct pcr_depot *depot,
			 uint64_t text, uint64_t etext, struct pcr_kallsyms_frames *f);

/**
 * pcr_notes_build_id - the GNU build id among ELF notes (/sys/kernel/notes)
 * @notes: the notes, in the machine's byte order
 * @len: their length
 * @buf: receives the id in lower-case hex, as perf buildid-list prints it
 * @size: room in @buf
 *
 * Return: 0, -PCR_ERR_INVAL when no note is a build id, or -PCR_ERR_FORMAT when the notes are
 * cut or the id does not fit.
 */
int pcr_notes_build_id(const unsigned char *notes, size_t len, char *buf, size_t size);

/**
 * pcr_format_frame - print one frame as the kernel prints %pS: "compaction_free+0x23/0x40",
 * with " [module]" after a module's symbol
 * @buf: output buffer
 * @size: its size
 * @addr: the return address
 * @sym: the symbolizer, or NULL; an unresolved address prints as "0xffffffff815cd1b3"
 *
 * Return: the length of the text (as snprintf).
 */
int pcr_format_frame(char *buf, size_t size, uint64_t addr, const struct pcr_symbolizer *sym);

/**
 * pcr_frame_is_glue - whether a frame belongs to the tracing machinery that recorded the stack
 * @name: the frame's symbol name (trace_event_raw_event_*, __traceiter_*, perf_trace_*, ...)
 *
 * Return: true for glue frames, which reports skip.
 */
bool pcr_frame_is_glue(const char *name);

struct pcr_vmlinux;

/**
 * pcr_vmlinux_open - open a vmlinux with debug info for source lines
 * @out: receives the handle
 * @path: the vmlinux (or its separate debug file)
 *
 * Return: 0, -PCR_ERR_FORMAT when elfutils cannot read it or it has no DWARF, or
 * -PCR_ERR_NOMEM.
 */
int pcr_vmlinux_open(struct pcr_vmlinux **out, const char *path);

/**
 * pcr_vmlinux_free - close a vmlinux and the module debug files opened through it
 * @vm: the handle, or NULL
 */
void pcr_vmlinux_free(struct pcr_vmlinux *vm);

/**
 * pcr_vmlinux_set_modules_dir - where the debug files of modules are looked for
 * @vm: the handle
 * @dir: a directory searched with its subdirectories for NAME.ko or NAME.ko.debug ('-' and '_'
 *	 alike), as scripts/decode_stacktrace.sh searches its modules path; of several, the path
 *	 that sorts first is taken
 *
 * Return: 0, or -PCR_ERR_NOMEM.
 */
int pcr_vmlinux_set_modules_dir(struct pcr_vmlinux *vm, const char *dir);

/**
 * pcr_vmlinux_symbol - the link-time address of a function in the vmlinux
 * @vm: the handle
 * @name: the function's name
 * @addr: receives its address (the lowest, when several functions have the name)
 *
 * Return: 0, or -PCR_ERR_INVAL when the symbol table has no such function.
 */
int pcr_vmlinux_symbol(struct pcr_vmlinux *vm, const char *name, uint64_t *addr);

/**
 * pcr_vmlinux_srcline - the source file and line of a link-time address
 * @vm: the handle
 * @addr: the address
 * @file: receives the file name as the compiler recorded it, valid while @vm lives
 * @line: receives the line
 *
 * Return: 0, or -PCR_ERR_INVAL when the debug info does not cover @addr.
 */
int pcr_vmlinux_srcline(struct pcr_vmlinux *vm, uint64_t addr, const char **file, int *line);

/* Inlined functions followed out from one address, at most. */
#define PCR_INLINE_MAX 16

/**
 * struct pcr_srcloc - one source location of an address, as addr2line -i -f prints it
 * @function:	the function the line is in (for an inlined one, its own name), or NULL when
 *		the debug info names none
 * @file:	the file, as the compiler recorded it
 * @line:	the line
 * @inlined:	@function was inlined into the location that follows
 */
struct pcr_srcloc {
	const char *function;
	const char *file;
	int line;
	bool inlined;
};

/**
 * pcr_vmlinux_srclines - the inline chain of a link-time address, innermost first
 * @vm: the handle
 * @addr: the address
 * @locs: receives the locations: the line of @addr in the innermost inlined function, then the
 *	  line each inlined function was inlined at, out to the function that holds the code
 * @max: room in @locs
 * @nr: receives how many were filled (1 when no function was inlined there)
 *
 * Strings stay valid while @vm lives.
 *
 * Return: 0, or -PCR_ERR_INVAL when the debug info does not cover @addr.
 */
int pcr_vmlinux_srclines(struct pcr_vmlinux *vm, uint64_t addr, struct pcr_srcloc *locs,
			 unsigned int max, unsigned int *nr);

/**
 * pcr_vmlinux_release - the kernel release a vmlinux was built as
 * @vm: the handle
 * @buf: receives the release ("6.1.0-18-amd64"), the third word of its linux_banner
 * @size: room in @buf
 *
 * Return: 0, or -PCR_ERR_INVAL when the vmlinux has no readable linux_banner.
 */
int pcr_vmlinux_release(struct pcr_vmlinux *vm, char *buf, size_t size);

/**
 * pcr_vmlinux_build_id - the build id of a vmlinux (its NT_GNU_BUILD_ID note)
 * @vm: the handle
 * @buf: receives it in lower-case hex, as perf buildid-list prints it
 * @size: room in @buf (41 bytes for a SHA-1 id)
 *
 * Return: 0, or -PCR_ERR_INVAL when the vmlinux has none or it does not fit.
 */
int pcr_vmlinux_build_id(struct pcr_vmlinux *vm, char *buf, size_t size);

/**
 * pcr_uname_release - the kernel release in a recording's uname
 * @uname: "Linux HOST RELEASE ARCH" as trace.dat and perf.data give it, or a bare RELEASE
 * @buf: receives RELEASE
 * @size: room in @buf
 *
 * Return: 0, or -PCR_ERR_INVAL when @uname has neither form or RELEASE does not fit.
 */
int pcr_uname_release(const char *uname, char *buf, size_t size);

/**
 * struct pcr_vmlinux_match - how well a vmlinux fits the kernel a recording was made on
 * @offset:	runtime minus link-time address (the KASLR relocation) that fits best
 * @votes:	stack frames whose symbol proposed @offset
 * @voters:	stack frames whose symbol the vmlinux has (each proposes a relocation)
 * @named:	stack frames the kallsyms name, outside modules (at most 4096 are looked at)
 * @functions:	functions of the vmlinux that have a size, one per address
 * @checked:	of them, those whose relocated address lies in the recording's kallsyms' range,
 *		looked up there
 * @agreed:	of them, those the kallsyms has there, under their name or an alias of theirs
 */
struct pcr_vmlinux_match {
	int64_t offset;
	uint64_t votes;
	uint64_t voters;
	uint64_t named;
	uint64_t functions;
	uint64_t checked;
	uint64_t agreed;
};

/**
 * pcr_vmlinux_match - find the relocation and check that the vmlinux is the traced kernel's
 * @vm: the handle
 * @depot: stacks of the recording
 * @sym: names the recording's addresses (its kallsyms)
 * @match: receives the relocation and the agreement
 *
 * Each stack frame whose symbol the vmlinux has proposes the relocation start - link; the most
 * proposed ones are tried and the one under which most functions of the vmlinux sit where the
 * kallsyms has them wins. With the traced kernel's vmlinux nearly every function agrees; another
 * build's functions moved by amounts of their own, and most disagree.
 *
 * Return: 0, or -PCR_ERR_INVAL when no frame can be matched (no kallsyms, or no symbol in
 * common: then @match->named says whether the kallsyms named any frame).
 */
int pcr_vmlinux_match(struct pcr_vmlinux *vm, const struct pcr_depot *depot,
		      const struct pcr_symbolizer *sym, struct pcr_vmlinux_match *match);

/**
 * pcr_vmlinux_match_trusted - whether a match says the vmlinux is the traced kernel's
 * @match: from pcr_vmlinux_match()
 *
 * Return: true when at least nine in ten of the functions checked agreed, and at least half of
 * the vmlinux's functions could be checked.
 */
bool pcr_vmlinux_match_trusted(const struct pcr_vmlinux_match *match);

/**
 * pcr_vmlinux_kaslr_offset - how far the traced kernel was relocated from the vmlinux
 * @vm: the handle
 * @depot: stacks of the recording
 * @sym: names the recording's addresses (its kallsyms)
 * @offset: receives runtime address minus link-time address
 *
 * The relocation of pcr_vmlinux_match(), without the agreement.
 *
 * Return: 0, or -PCR_ERR_INVAL when no frame can be matched (no kallsyms, or another kernel).
 */
int pcr_vmlinux_kaslr_offset(struct pcr_vmlinux *vm, const struct pcr_depot *depot,
			     const struct pcr_symbolizer *sym, int64_t *offset);

/* What became of a frame's source lines. */
enum pcr_src_status {
	PCR_SRC_OK,			/* @locs hold its lines */
	PCR_SRC_NO_LINE,		/* the debug info does not cover the address */
	PCR_SRC_MOVED,			/* the function is elsewhere there: another build */
	PCR_SRC_NOT_IN_VMLINUX,		/* outside the vmlinux's text, no module named */
	PCR_SRC_NO_MODULE,		/* no debug file of the frame's module was found */
	PCR_SRC_MODULE_UNREADABLE,	/* the module's file found, without DWARF */
};

/**
 * struct pcr_frame_src - the source lines of one stack frame
 * @locs:	its inline chain, innermost first (see pcr_vmlinux_srclines())
 * @nr:		locations in @locs
 * @status:	an enum pcr_src_status
 * @module_path: for a module's frame, the debug file found, or NULL
 */
struct pcr_frame_src {
	struct pcr_srcloc locs[PCR_INLINE_MAX];
	unsigned int nr;
	int status;
	const char *module_path;
};

/**
 * pcr_vmlinux_frame - the source lines of a frame, from the vmlinux or its module's debug file
 * @vm: the handle
 * @addr: the frame, a return address: the lines are those of @addr - 1, the call (the first
 *	  frame of a tracepoint's stack is a return address too, of the call into the tracepoint)
 * @k: the frame's symbol in the recording's kallsyms, or NULL when it has none
 * @offset: the relocation, from pcr_vmlinux_match()
 * @sym: the recording's symbolizer, to check a module's debug file against
 * @src: receives the lines, or why there are none
 *
 * A vmlinux frame is trusted only when the vmlinux has its function at the relocated start of
 * its kallsyms symbol; a module frame only when its module's debug file has the function and
 * nine in ten of the functions of that section sit in kallsyms as far from it as in the file.
 * Module debug files are looked for under pcr_vmlinux_set_modules_dir()'s directory the first
 * time a frame of the module comes; ftrace's trampolines ([__builtin__ftrace]) and BPF
 * programs ([bpf]) have no file and no lines.
 *
 * Return: 0, or -PCR_ERR_NOMEM.
 */
int pcr_vmlinux_frame(struct pcr_vmlinux *vm, uint64_t addr, const struct pcr_symbol *k,
		      int64_t offset, const struct pcr_symbolizer *sym, struct pcr_frame_src *src);

/**
 * pcr_vmlinux_modules - the modules whose frames were looked up so far
 * @vm: the handle
 * @i: which one to return, in the order they were first seen
 * @name: receives its name when @i is below the count (NULL, with @path, only counts)
 * @path: receives its debug file, or NULL when none was found or it could not be read
 *
 * Return: how many modules there are.
 */
size_t pcr_vmlinux_modules(const struct pcr_vmlinux *vm, size_t i, const char **name,
			   const char **path);

/**
 * pcr_vmlinux_unnamed_frames - frames outside the vmlinux whose symbol had no module
 * @vm: the handle
 *
 * The recording's own kallsyms, read by libtraceevent, name no modules: their frames cannot be
 * looked up in a module's debug file (a copy of /proc/kallsyms through --kallsyms can).
 *
 * Return: how many such frames pcr_vmlinux_frame() was asked for so far.
 */
uint64_t pcr_vmlinux_unnamed_frames(const struct pcr_vmlinux *vm);

/* Frames a stack signature keeps after the allocator's own functions. */
#define PCR_SIGNATURE_FRAMES 3

/**
 * pcr_stack_signature - name the code path of a stack, the same across boots and KASLR
 * @buf: output buffer
 * @size: its size
 * @frames: the stack, innermost first
 * @nr_frames: how many frames
 * @sym: the symbolizer, or NULL
 *
 * The signature is the first PCR_SIGNATURE_FRAMES frames after the tracing glue and the page
 * allocator's own functions (__alloc_pages, free_pages_prepare, free_unref_folios, folio_put,
 * ...), as symbol names without offsets, joined by "<" (callee<caller): for example
 * "compaction_free<migrate_pages_batch<migrate_pages". Compiler suffixes (.isra.0, .constprop.0,
 * .part.0, .cold) and the _noprof of allocation profiling are dropped. A frame without a symbol
 * is its address in hex, which does not match across boots. An empty stack is "-"; a stack of
 * tracing glue and allocator frames only is "(allocator)".
 *
 * Return: the length of the text (as snprintf).
 */
int pcr_stack_signature(char *buf, size_t size, const uint64_t *frames, unsigned int nr_frames,
			const struct pcr_symbolizer *sym);

struct pcr_sigtable;

/**
 * struct pcr_sigcount - one row of a signature table
 * @signature:	the stack signature
 * @count:	violating events with it
 * @kind:	the enum pcr_violation_kind
 */
struct pcr_sigcount {
	const char *signature;
	uint64_t count;
	int kind;
};

/**
 * pcr_sigtable_new - create an empty table of violation counts per kind and signature
 * @out: receives the table
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_sigtable_new(struct pcr_sigtable **out);

/**
 * pcr_sigtable_free - release a signature table
 * @table: the table, or NULL
 */
void pcr_sigtable_free(struct pcr_sigtable *table);

/**
 * pcr_sigtable_add - count one violating event
 * @table: the table
 * @kind: its enum pcr_violation_kind
 * @signature: its stack signature
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_sigtable_add(struct pcr_sigtable *table, int kind, const char *signature);

/**
 * pcr_sigtable_count - how many events a row of the table counts
 * @table: the table
 * @kind: the enum pcr_violation_kind
 * @signature: the row's signature
 *
 * Return: the count, 0 when the table has no such row.
 */
uint64_t pcr_sigtable_count(struct pcr_sigtable *table, int kind, const char *signature);

/**
 * pcr_sigtable_rows - the table's rows in report order
 * @table: the table
 * @nr: receives the number of rows
 *
 * Rows are sorted by kind, then by count (largest first), then by signature, so the order does
 * not depend on the order of the events.
 *
 * Return: the rows, valid until the next pcr_sigtable_add() or pcr_sigtable_free().
 */
const struct pcr_sigcount *pcr_sigtable_rows(struct pcr_sigtable *table, size_t *nr);

/* ---- Classes: what a violation in a recording means ---- */

/* The tracepoints miss some allocations: a violation in a recording is one of these. */
enum pcr_class_kind {
	PCR_CLASS_VIOLATION,	/* nothing known explains it: a real violation */
	PCR_CLASS_EXPLAINED,	/* positive evidence of a path the tracepoints miss */
	PCR_CLASS_UNDECIDABLE,	/* the recording lacks what would settle it */
	PCR_CLASS_NR
};

/**
 * struct pcr_class - the class of one violation and why
 * @cls:	an enum pcr_class_kind
 * @path:	for PCR_CLASS_EXPLAINED, the path ("compaction", "vmalloc", "contig", ...)
 * @evidence:	for PCR_CLASS_EXPLAINED, the stack frame that shows it
 * @where:	the stack @evidence is in: NULL for the violating event's, else e.g. "the previous
 *		alloc's stack"
 * @why:	one sentence: what the path does, or what is missing
 * @remedy:	for PCR_CLASS_UNDECIDABLE, what to record next time
 * @row:	for PCR_CLASS_EXPLAINED, the measurement the rule rests on (a row of the README's
 *		"What the tracepoints miss, measured" tables)
 * @detail:	what else the recording shows for this one violation (e.g. which task ended the
 *		address space, and when), or ""
 */
struct pcr_class {
	const char *path;
	const char *evidence;
	const char *where;
	const char *why;
	const char *remedy;
	const char *row;
	int cls;
	char detail[128];
};

/**
 * struct pcr_evidence - what a recording holds that can decide a violation's class
 * @depot:	the stacks, or NULL when the recording has none
 * @sym:	names the frames, or NULL
 * @tasks:	the process lifetimes seen so far, or NULL
 * @isolation:	the recording holds compaction's isolation events (PCR_EV_ISOLATE), so a page
 *		compaction took silently shows as @isolated in its violation
 */
struct pcr_evidence {
	const struct pcr_depot *depot;
	const struct pcr_symbolizer *sym;
	const struct pcr_tasks *tasks;
	bool isolation;
};

/*
 * The command that records everything pcr_classify() needs; an undecidable class's remedy
 * names it. trace-cmd needs -d --no-filter where the function tracer's files refuse access
 * (lockdown): without them it fails before recording.
 */
#define PCR_RECORD_DECIDING \
	"pagecheck-replay record --stacks -- COMMAND (or trace-cmd record -d --no-filter -T -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched -e compaction:mm_compaction_isolate_freepages -e compaction:mm_compaction_fast_isolate_freepages -e sched:sched_process_fork -e sched:sched_process_exec -e sched:sched_process_exit COMMAND)"


/* ---- Process lifetimes ---- */

/* The forks, execs and exits a recording holds, in order (sched:sched_process_*). */
struct pcr_tasks;

/**
 * pcr_tasks_new - create an empty record of process lifetimes
 * @out: receives it
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_tasks_new(struct pcr_tasks **out);

/**
 * pcr_tasks_free - release it
 * @tasks: the record, or NULL
 */
void pcr_tasks_free(struct pcr_tasks *tasks);

/**
 * pcr_tasks_feed - note one event: PCR_EV_FORK, PCR_EV_EXEC and PCR_EV_EXIT are kept, others
 *	are ignored
 * @tasks: the record
 * @ev: the event, in timestamp order
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_tasks_feed(struct pcr_tasks *tasks, const struct pcr_event *ev);

/* How a page directory's address space came to be, read from its allocation's stack. */
enum pcr_mm_origin {
	PCR_MM_FORK,	/* copy_process: the new mm of the child the allocating task forks next */
	PCR_MM_EXEC,	/* alloc_bprm: the new mm of the allocating task, installed by its exec */
};

/**
 * struct pcr_mm_end - when an address space ended, as the recording shows it
 * @ts_ns:	the exec that replaced it, or the exit of its process
 * @owner:	the process whose address space it was
 * @by_exit:	it ended by the owner's exit, not by an exec
 */
struct pcr_mm_end {
	uint64_t ts_ns;
	int32_t owner;
	bool by_exit;
};

/**
 * pcr_tasks_mm_end - when the address space a page directory was allocated for ended
 * @tasks: the record, fed up to @before_ns
 * @origin: how the page directory was allocated
 * @alloc_pid: the task that allocated it
 * @alloc_ns: when
 * @before_ns: only ends before this time count
 * @out: receives the end
 *
 * Return: 1 when the address space ended before @before_ns, 0 when the recording shows no end
 * (its owner lived on, or the fork that names the owner is missing), -1 when the recording
 * holds no process events at all and cannot tell.
 */
int pcr_tasks_mm_end(const struct pcr_tasks *tasks, enum pcr_mm_origin origin, int32_t alloc_pid,
		     uint64_t alloc_ns, uint64_t before_ns, struct pcr_mm_end *out);

/**
 * pcr_classify - decide a violation's class from what the recording holds
 * @v: the violation
 * @ev: the recording's evidence: stacks, symbols, process events, isolation events
 * @out: receives the class; its strings are static
 *
 * Each rule that explains rests on a measured row (@out->row) and needs positive evidence in
 * the recording. A double free is explained when compaction isolated the page after its
 * previous free (@v->isolated), or when its stack shows vmalloc's or page_pool's free of pages
 * alloc_pages_bulk gave out; a compaction free (compaction_free, release_free_list) of a page
 * no isolation event covered is a violation when the recording holds isolation events. A
 * double alloc of a page last allocated as a page directory is decided by the process events
 * (pcr_tasks_mm_end()). Anything else is a violation only when the recording could have shown
 * the paths the tracepoints miss (stacks with symbols for both kinds, isolation events for a
 * double free); otherwise it is undecidable, with what to record. Invariant breaks are always
 * violations.
 *
 * Return: 0.
 */
int pcr_classify(const struct pcr_violation *v, const struct pcr_evidence *ev,
		 struct pcr_class *out);

/**
 * pcr_class_name - the report word for a class
 * @cls: an enum pcr_class_kind
 *
 * Return: "violation", "explained" or "undecidable".
 */
const char *pcr_class_name(int cls);

/* ---- Reports ---- */

/**
 * struct pcr_flag_name - one entry of a gfp flag table, as the kernel's __print_flags() has it
 * @mask: the flag's value (may cover several bits, e.g. GFP_KERNEL)
 * @name: its printed name
 */
struct pcr_flag_name {
	uint64_t mask;
	const char *name;
};

/* The verdict of a replay, in the order of precedence of the exit status. */
enum pcr_verdict {
	PCR_VERDICT_CLEAN,		/* no violation, nothing lost */
	PCR_VERDICT_VIOLATIONS,		/* at least one violation */
	PCR_VERDICT_INCONCLUSIVE,	/* the recording lost events */
};

/**
 * struct pcr_report_info - what a report says about the recording beside the engine's counters
 * @gfp_names:	the traced kernel's gfp flag table in its print order, or NULL
 * @nr_gfp_names: entries in @gfp_names
 * @depot:	the stacks of the events, or NULL
 * @sym:	names kernel addresses, or NULL
 * @comm:	names a pid's task, or NULL
 * @comm_ctx:	passed to @comm
 * @vmlinux:	adds source lines to frames, or NULL
 * @kaslr_offset: runtime minus link-time addresses, for @vmlinux
 * @allow_lost:	lost events do not make the verdict inconclusive
 */
struct pcr_report_info {
	const struct pcr_flag_name *gfp_names;
	size_t nr_gfp_names;
	const struct pcr_depot *depot;
	const struct pcr_symbolizer *sym;
	struct pcr_vmlinux *vmlinux;
	int64_t kaslr_offset;
	const char *(*comm)(void *comm_ctx, int pid);
	void *comm_ctx;
	bool allow_lost;
};

/**
 * pcr_report_stack - print a stack, one frame a line, skipping the tracing glue
 * @out: where to print
 * @indent: spaces before each frame
 * @stack_id: the stack in @info's depot; 0 prints "(no stack recorded)"
 * @info: the depot and the symbolizer
 *
 * With @info->vmlinux each frame gets its source line, "(file:line)", of the return address
 * minus one (see pcr_vmlinux_frame()); the functions inlined there come first, innermost first,
 * one a line, as "function (file:line) [inlined]". A frame whose line cannot be given says why:
 * "(no line: the vmlinux has no NAME at this place: another build)", "(no line: no debug file
 * of module NAME found)".
 *
 * Return: 0, -PCR_ERR_IO when writing failed, or -PCR_ERR_NOMEM.
 */
int pcr_report_stack(FILE *out, int indent, uint32_t stack_id,
		     const struct pcr_report_info *info);

/**
 * pcr_format_gfp - print gfp flags as the kernel's show_gfp_flags() does
 * @buf: output buffer
 * @size: its size; the text is cut (and still NUL-terminated) when too small
 * @gfp: the flags
 * @names: the flag table in print order (composite masks first), or NULL for hex only
 * @nr_names: entries in @names
 *
 * Each entry whose whole mask is set is printed and its bits cleared, joined by "|"; bits no
 * entry names are appended in hex; 0 prints "none", as the kernel does.
 *
 * Return: the length of the full text (as snprintf), which may exceed @size - 1.
 */
int pcr_format_gfp(char *buf, size_t size, uint64_t gfp, const struct pcr_flag_name *names,
		   size_t nr_names);

/**
 * pcr_format_ts - print a timestamp as trace-cmd does: seconds.nanoseconds
 * @buf: output buffer
 * @size: its size
 * @ts_ns: the timestamp in nanoseconds
 *
 * Return: the length of the text (as snprintf).
 */
int pcr_format_ts(char *buf, size_t size, uint64_t ts_ns);

/**
 * pcr_verdict - decide a replay's verdict from its counters
 * @stats: the counters
 * @allow_lost: lost events are accepted
 *
 * Return: an enum pcr_verdict.
 */
enum pcr_verdict pcr_verdict(const struct pcr_stats *stats, bool allow_lost);

/**
 * pcr_verdict_name - the report word for a verdict
 * @verdict: an enum pcr_verdict
 *
 * Return: "clean", "violations" or "inconclusive".
 */
const char *pcr_verdict_name(enum pcr_verdict verdict);

/**
 * pcr_report_violation - print one violation block
 * @out: where to print
 * @v: the violation
 * @info: the recording's gfp table, or NULL
 *
 * Return: 0, or -PCR_ERR_IO when writing failed.
 */
int pcr_report_violation(FILE *out, const struct pcr_violation *v,
			 const struct pcr_report_info *info);

/**
 * typedef pcr_counter_fn - receives one counter of a summary
 * @ctx: the caller's pointer
 * @name: the counter's name, such as "alloc_count"
 * @value: its value as the summary prints it
 */
typedef void (*pcr_counter_fn)(void *ctx, const char *name, const char *value);

/**
 * pcr_report_counters - hand on the summary's counters: the RFC's debugfs stats, then the
 * replay's counters, in the order pcr_report_summary() prints them
 * @stats: the engine's counters
 * @fn: receives each
 * @ctx: passed to @fn
 */
void pcr_report_counters(const struct pcr_stats *stats, pcr_counter_fn fn, void *ctx);

/**
 * pcr_report_summary - print the summary: the RFC's debugfs stats, then the replay's counters
 * @out: where to print
 * @stats: the engine's counters
 * @info: report settings, or NULL
 *
 * One "name: value" line each. The verdict is the caller's to print: it may weigh suppressions
 * and which kinds fail a run (pcr_verdict() gives the plain one).
 *
 * Return: 0, or -PCR_ERR_IO when writing failed.
 */
int pcr_report_summary(FILE *out, const struct pcr_stats *stats,
		       const struct pcr_report_info *info);


/* ---- The checker: a replay, classified and judged ---- */

/*
 * What a verdict rests on, in the order a report gives them: the first four make a run
 * inconclusive unless accepted, the next two fail it, and undecidable candidates make an
 * otherwise clean run inconclusive.
 */
enum pcr_reason {
	PCR_REASON_LOST,	/* the recording lost events */
	PCR_REASON_UNPLACED,	/* boot frees of free pages, the boundary unrecorded */
	PCR_REASON_DAMAGED,	/* records unread, or one kind of page event missing */
	PCR_REASON_UNCHECKED,	/* --pfn-range left out every page event */
	PCR_REASON_VIOLATIONS,	/* unsuppressed violations of the kinds that fail the run */
	PCR_REASON_VALIDATE,	/* the validate scan found inconsistent words */
	PCR_REASON_UNDECIDABLE,	/* candidates the recording cannot decide */
	PCR_REASON_NR
};

/**
 * struct pcr_judge_input - what a verdict is decided from
 * @stats:	the engine's counters (lost events, boot frees, validate words)
 * @failing:	unsuppressed violating events of the kinds that fail the run
 * @undecided:	undecidable candidates of those kinds, unsuppressed
 * @unplaced:	a boot recording without a boundary, none given (pcr_boot_unplaced())
 * @damaged:	the recording is damaged although it was read
 * @unchecked:	--pfn-range left out every page event
 * @validate_fails: the validate scan's words fail the run (invariant breaks are in --fail-on)
 * @allow_lost:	lost events are accepted
 * @allow_damaged: damage is accepted
 * @allow_undecidable: undecidable candidates are accepted
 */
struct pcr_judge_input {
	const struct pcr_stats *stats;
	uint64_t failing;
	uint64_t undecided;
	bool unplaced;
	bool damaged;
	bool unchecked;
	bool validate_fails;
	bool allow_lost;
	bool allow_damaged;
	bool allow_undecidable;
};

/**
 * struct pcr_judgement - a verdict and the reasons it rests on
 * @verdict:	an enum pcr_verdict
 * @holds:	a bit per enum pcr_reason that holds
 * @accepted:	of those, the ones an --allow option accepts
 * @decisive:	the enum pcr_reason that makes the verdict inconclusive, or -1
 */
struct pcr_judgement {
	enum pcr_verdict verdict;
	unsigned int holds;
	unsigned int accepted;
	int decisive;
};

/**
 * pcr_judge - decide a verdict and its reasons
 * @in: what is known of the run
 * @out: receives the judgement
 *
 * Inconclusive when events were lost, boot frees are unplaced, the recording is damaged or
 * nothing was checked (each unless accepted); else violations when unsuppressed failing
 * violations or failing validate words exist; else inconclusive when candidates are undecidable
 * (unless accepted); else clean.
 */
void pcr_judge(const struct pcr_judge_input *in, struct pcr_judgement *out);

/**
 * struct pcr_suppression - a known violation that does not fail a run (a suppressions file line)
 * @pattern:	an fnmatch(3) pattern of the stack signature
 * @kind:	an enum pcr_violation_kind, or -1 for any
 * @line:	where the caller read it, for reports
 */
struct pcr_suppression {
	const char *pattern;
	int kind;
	int line;
};

/* The groups of a checker's candidates, each counted by kind and signature (explained: path). */
enum pcr_group {
	PCR_GROUP_VIOLATION,	/* count toward the verdict (every candidate under --strict) */
	PCR_GROUP_SUPPRESSED,	/* would count, but a suppression matched */
	PCR_GROUP_UNDECIDABLE,
	PCR_GROUP_EXPLAINED,	/* by the path that explains them */
	PCR_GROUP_EXPLAINED_STACKS,	/* the explained ones again, by stack signature */
	PCR_GROUP_NR
};

/**
 * struct pcr_checked - one classified violation, as a checker hands it on
 * @v:		the violation
 * @cls:	its class
 * @signature:	its stack signature ("-" without stacks)
 * @supp:	the suppression that matched it, or NULL
 * @group:	the enum pcr_group it is counted in
 * @group_events: events its row of that group counts so far, this one included
 */
struct pcr_checked {
	const struct pcr_violation *v;
	const struct pcr_class *cls;
	const char *signature;
	const struct pcr_suppression *supp;
	int group;
	uint64_t group_events;
};

/**
 * typedef pcr_checked_fn - receives each classified violation
 * @c: the violation and its class
 * @ctx: the hooks' context
 *
 * Return: 0 to go on, non-zero to stop the replay (-PCR_ERR_STOPPED).
 */
typedef int (*pcr_checked_fn)(const struct pcr_checked *c, void *ctx);

/**
 * typedef pcr_checker_event_fn - sees each event the checker replays, once its boot phase is known
 * @ev: the event
 * @ctx: the hooks' context
 *
 * Return: 0 or a negative error code, which ends the replay.
 */
typedef int (*pcr_checker_event_fn)(const struct pcr_event *ev, void *ctx);

/**
 * struct pcr_checker_hooks - what a checker's caller hears
 * @violation:	each classified violation, or NULL
 * @before:	each event before the engine replays it (to inject faults), or NULL
 * @after:	each event after the engine replayed it (to follow a page), or NULL
 * @ctx:	passed to each
 */
struct pcr_checker_hooks {
	pcr_checked_fn violation;
	pcr_checker_event_fn before;
	pcr_checker_event_fn after;
	void *ctx;
};

/**
 * struct pcr_checker_opts - how a checker judges
 * @engine:	the engine's options
 * @supps:	the suppressions, in the order they are tried; they must outlive the checker
 * @nr_supps:	how many
 * @fail_on:	a bit per enum pcr_violation_kind that fails the run
 * @running_from_set: @engine.running_from_ns wins over the boundary found in the recording
 * @strict:	every candidate counts toward the verdict, whatever its class
 * @validate:	run the validate scan at the end
 * @allow_lost:	lost events do not make the verdict inconclusive
 * @allow_damaged: damage does not
 * @allow_undecidable: undecidable candidates do not
 */
struct pcr_checker_opts {
	struct pcr_options engine;
	const struct pcr_suppression *supps;
	size_t nr_supps;
	unsigned int fail_on;
	bool running_from_set;
	bool strict;
	bool validate;
	bool allow_lost;
	bool allow_damaged;
	bool allow_undecidable;
};

/**
 * struct pcr_checker_source - what the recording holds that classification uses
 * @sym:	names stack frames (must stay valid), or NULL
 * @stacks:	the events' stacks are in the checker's depot
 * @isolation:	compaction's isolation events were recorded
 * @hooks:	replay the RFC checker's hook calls rather than the kmem page events
 */
struct pcr_checker_source {
	const struct pcr_symbolizer *sym;
	bool stacks;
	bool isolation;
	bool hooks;
};

/* Distinct reasons why candidates were undecidable that a checker keeps. */
#define PCR_UNDECIDED_MAX 8

/**
 * struct pcr_undecided - one reason candidates were undecidable
 * @why:	the class's why (static text), NULL for an unused slot
 * @remedy:	what to record next time
 * @events:	candidates for this reason (the last slot also counts the reasons beyond)
 */
struct pcr_undecided {
	const char *why;
	const char *remedy;
	uint64_t events;
};

/**
 * struct pcr_checker_result - what a checker counted and decided
 * @stats:	the engine's counters, final after pcr_checker_finish()
 * @phase:	the boot phase, once decided
 * @boot_decided: @phase holds the decision
 * @unsuppressed: violating events per kind counted toward the verdict, no suppression matching
 * @suppressed:	candidates per kind a suppression accepted
 * @classes:	candidates per kind and enum pcr_class_kind
 * @undecided:	why candidates of the failing kinds were undecidable, unsuppressed
 * @nr_undecided: their sum; 0 under --strict, where every candidate counts
 * @damaged:	pcr_checker_finish()'s damaged records
 * @judgement:	the verdict and its reasons, after pcr_checker_finish()
 */
struct pcr_checker_result {
	struct pcr_stats stats;
	struct pcr_boot_phase phase;
	bool boot_decided;
	uint64_t unsuppressed[PCR_VIOL_NR];
	uint64_t suppressed[PCR_VIOL_NR];
	uint64_t classes[PCR_VIOL_NR][PCR_CLASS_NR];
	struct pcr_undecided undecided[PCR_UNDECIDED_MAX];
	uint64_t nr_undecided;
	uint64_t damaged;
	struct pcr_judgement judgement;
};

struct pcr_checker;

/**
 * pcr_checker_new - create a checker: engine, boot finder, process record, classifier, tables
 * @out: receives it
 * @opts: the options (copied; the suppressions are not)
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_checker_new(struct pcr_checker **out, const struct pcr_checker_opts *opts);

/**
 * pcr_checker_free - release a checker
 * @c: the checker, or NULL
 */
void pcr_checker_free(struct pcr_checker *c);

/**
 * pcr_checker_set_hooks - choose who hears about violations and events
 * @c: the checker
 * @hooks: the hooks (copied)
 */
void pcr_checker_set_hooks(struct pcr_checker *c, const struct pcr_checker_hooks *hooks);

/**
 * pcr_checker_set_source - say what the recording holds, before the first event
 * @c: the checker
 * @src: its stacks, symbols and isolation events
 */
void pcr_checker_set_source(struct pcr_checker *c, const struct pcr_checker_source *src);

/**
 * pcr_checker_feed - replay one event
 * @c: the checker
 * @ev: the event, in timestamp order
 *
 * Events are held back until the boot phase is known (pcr_boot_feed()), then replayed in order.
 *
 * Return: 0 or a negative error code.
 */
int pcr_checker_feed(struct pcr_checker *c, const struct pcr_event *ev);

/**
 * pcr_checker_prefetch - say which pages an event about to be fed will touch
 * @c: the checker
 * @ev: the event
 * @near: see pcr_engine_prefetch()
 */
void pcr_checker_prefetch(struct pcr_checker *c, const struct pcr_event *ev, bool near);

/**
 * pcr_checker_end_events - the recording ended: decide the boot phase and replay what was held
 * @c: the checker
 *
 * Return: 0 or a negative error code.
 */
int pcr_checker_end_events(struct pcr_checker *c);

/**
 * pcr_checker_finish - run the validate scan if asked, take the counters and judge
 * @c: the checker, after pcr_checker_end_events()
 * @damaged: page-event records the reader could not read
 *
 * Return: the verdict.
 */
enum pcr_verdict pcr_checker_finish(struct pcr_checker *c, uint64_t damaged);

/**
 * pcr_checker_result - what the checker counted and decided so far
 * @c: the checker
 *
 * Return: the result, valid as long as the checker.
 */
const struct pcr_checker_result *pcr_checker_result(const struct pcr_checker *c);

/**
 * pcr_checker_group - one group's signature table
 * @c: the checker
 * @group: an enum pcr_group
 *
 * Return: the table.
 */
struct pcr_sigtable *pcr_checker_group(const struct pcr_checker *c, int group);

/**
 * pcr_checker_engine - the checker's engine, to inject faults or read a page's bits
 * @c: the checker
 *
 * Return: the engine.
 */
struct pcr_engine *pcr_checker_engine(const struct pcr_checker *c);

/**
 * pcr_checker_depot - the depot a reader stores the recording's stacks in
 * @c: the checker
 *
 * Return: the depot.
 */
struct pcr_depot *pcr_checker_depot(const struct pcr_checker *c);

/**
 * pcr_checker_unplaced - a boot recording without a boundary, none given
 * @c: the checker
 *
 * Return: true when no free of the recording can be judged against the boot gate.
 */
bool pcr_checker_unplaced(const struct pcr_checker *c);

/**
 * pcr_checker_isolation - whether the recording holds compaction's isolation events
 * @c: the checker
 *
 * Return: true when they were recorded, or seen.
 */
bool pcr_checker_isolation(const struct pcr_checker *c);

#ifdef __cplusplus
}
#endif

#endif /* PAGECHECK_H */
