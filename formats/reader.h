/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every reader of formats/ shares: handing events on with a sticky error, the stack pairer
 * around them, the loss check at the end, opening a file to read its head; and the one path of
 * an ftrace record (a trace.dat's and a live tracefs instance's) into a normalized event.
 */
#ifndef PCR_FORMATS_READER_H
#define PCR_FORMATS_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmem.h"
#include "source.h"

struct pcr_stackpair;
struct tep_handle;
struct tep_record;

/**
 * struct pcr_reader - the state every reader keeps while it replays
 * @info:	the source's description, whose stack counters the reader fills
 * @fn:		receives every event
 * @payload:	passed to @fn
 * @errmsg:	the replay's error message buffer
 * @pair:	the stack pairer, NULL when the recording has no stacks
 * @depot:	where stacks are stored (NULL without stacks)
 * @stack:	the kernel_stack event's layout (its id is -1 without one)
 * @err:	the first error of the replay; once set it stays (a "sticky" error)
 */
struct pcr_reader {
	struct pcr_source_info *info;
	pcr_event_fn fn;
	void *payload;
	char *errmsg;
	struct pcr_stackpair *pair;
	struct pcr_depot *depot;
	struct pcr_stack_layout stack;
	int err;
};

/**
 * pcr_reader_start - begin a replay: keep the receiver, clear the error, create the pairer
 * @rd: the reader
 * @fn: receives every event
 * @payload: passed to @fn
 * @errmsg: the replay's error message buffer
 * @stacks: the recording has stacks to pair with events (a pairer is made once)
 * @keep_comms: as pcr_stackpair_keep_comms()
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_reader_start(struct pcr_reader *rd, pcr_event_fn fn, void *payload, char *errmsg,
		     bool stacks, bool keep_comms);

/**
 * pcr_reader_emit - hand one event on; the first error is kept in @rd->err
 * @rd: the reader
 * @ev: the event
 *
 * Return: what the receiver returned.
 */
int pcr_reader_emit(struct pcr_reader *rd, const struct pcr_event *ev);

/**
 * pcr_reader_emit_paired - hand one event to the stack pairer when there is one, else on
 * @rd: the reader
 * @ev: the event
 * @name: the event's name (for the pairer's match of a stack's first frame), may be NULL
 * @quiet: none of the CPU's next PCR_PAIR_DEPTH records is a stack (pcr_stackpair_quiet())
 *
 * Return: as pcr_reader_emit(); the first error is kept in @rd->err.
 */
int pcr_reader_emit_paired(struct pcr_reader *rd, const struct pcr_event *ev, const char *name,
			   bool quiet);

/**
 * pcr_reader_add_stack - store a stack in the depot and give it to the pairer
 * @rd: the reader (with a pairer)
 * @sym: names the stack's first frame (for the pairer's match of trace_event_raw_event_NAME)
 * @frames: the stack's frames, innermost first
 * @nr: how many
 * @cpu: the CPU of its record
 * @ts_ns: the record's timestamp
 *
 * Return: 0 or the error, also kept in @rd->err.
 */
int pcr_reader_add_stack(struct pcr_reader *rd, const struct pcr_symbolizer *sym,
			 const uint64_t *frames, unsigned int nr, int cpu, uint64_t ts_ns);

/**
 * pcr_reader_take_stack - store one kernel_stack record in the depot and give it to the pairer
 * @rd: the reader
 * @tep: the record's event parser
 * @sym: names the stack's first frame (for the pairer's match)
 * @record: the kernel_stack record
 * @cpu: its CPU
 *
 * Return: 0 or the error, also kept in @rd->err.
 */
int pcr_reader_take_stack(struct pcr_reader *rd, struct tep_handle *tep,
			  const struct pcr_symbolizer *sym, const struct tep_record *record,
			  int cpu);

/**
 * pcr_reader_finish - after the last record: flush the pairer, copy its counters to @rd->info
 * @rd: the reader
 *
 * Does nothing after an error or without a pairer.
 *
 * Return: @rd->err.
 */
int pcr_reader_finish(struct pcr_reader *rd);

/**
 * pcr_reader_report_loss - one PCR_EV_LOST per CPU whose kernel counters say it lost events
 * @rd: the reader
 * @nr: how many CPU accounts there are
 * @acc_of: the account number @i (records read and the kernel's counters); sets *@cpu to its CPU
 * @ctx: passed to @acc_of
 *
 * Events the kernel still held when its counters were read are lost from the window only when
 * the oldest of them is not later than the last record of all CPUs (pcr_cpu_lost()); later ones
 * count in @rd->info->trailing_unrecorded.
 *
 * Return: 0 or the receiver's error.
 */
int pcr_reader_report_loss(struct pcr_reader *rd, int nr,
			   const struct pcr_cpu_account *(*acc_of)(void *ctx, int i, int *cpu),
			   void *ctx);

/**
 * struct pcr_held - what a buffer recorded before it was known to be the replayed one
 * @pending:	its boot markers, in order
 * @other:	how many other records it had (they count as PCR_EV_OTHER)
 */
struct pcr_held {
	struct pcr_pending pending;
	uint64_t other;
};

/**
 * pcr_reader_hold - keep an event of a buffer not (yet) replayed
 * @rd: the reader
 * @held: the buffer's held records
 * @ev: a boot marker (kept) or any other record (counted)
 *
 * Return: 0, or nonzero to stop with -PCR_ERR_NOMEM in @rd->err.
 */
int pcr_reader_hold(struct pcr_reader *rd, struct pcr_held *held, const struct pcr_event *ev);

/**
 * pcr_reader_choose_buffer - make the buffer of the first page event the replayed one
 * @rd: the reader
 * @path: the recording, for the message
 * @chosen: the index of the replayed buffer, -1 while none is; set to @idx
 * @chosen_name: the name of buffer *@chosen (unused while none is)
 * @idx: the buffer whose record is a page event
 * @name: its name
 * @held: its held records, handed on now in their order (then forgotten)
 *
 * Page events in a second buffer are refused: which one to replay is the user's choice.
 *
 * Return: 0, or the error (-PCR_ERR_AMBIGUOUS with its message, or the receiver's), also kept
 * in @rd->err.
 */
int pcr_reader_choose_buffer(struct pcr_reader *rd, const char *path, int *chosen,
			     const char *chosen_name, int idx, const char *name,
			     struct pcr_held *held);

/**
 * struct pcr_ftrace_buf - what the ftrace record path knows of one buffer's formats
 * @tep:	the buffer's event parser
 * @layout:	the kmem page events' layouts (pcr_kmem_find_layouts())
 * @markers:	the boot marker events' layouts
 * @nr_markers:	how many
 * @sym:	names a stack's first frame
 * @check_ids:	an id no format names counts as damage (a file can be damaged, a kernel not)
 * @comm:	the task name of a pid (a reader may cache or refresh them)
 * @bad_record:	writes the error message of a page event whose fields do not read; returns the
 *		error code
 * @ctx:	passed to @comm and @bad_record
 */
struct pcr_ftrace_buf {
	struct tep_handle *tep;
	const struct pcr_kmem_layout *layout;
	const struct pcr_marker_layout *markers;
	int nr_markers;
	struct pcr_symbolizer sym;
	bool check_ids;
	const char *(*comm)(void *ctx, struct tep_handle *tep, int pid);
	int (*bad_record)(void *ctx, const struct tep_record *record, int kind, int cpu);
	void *ctx;
};

/**
 * pcr_reader_take_ftrace - one ftrace record of the replayed buffer into events
 * @rd: the reader
 * @buf: the buffer's formats
 * @record: the record
 * @type: its event id
 * @kind: its kmem kind (PCR_EV_NONE for any other event)
 * @pid: its common_pid
 * @acc: its CPU's account (the missed-events notices add to it)
 * @quiet: as for pcr_reader_emit_paired()
 *
 * A notice of missed events before the record becomes a PCR_EV_LOST; a kernel_stack record goes
 * to the depot and the pairer; a page event is read into its fields; any other record is a
 * PCR_EV_OTHER (or a boot marker). The caller has counted the record in @acc.
 *
 * Return: 0, or nonzero to stop with the error in @rd->err.
 */
int pcr_reader_take_ftrace(struct pcr_reader *rd, const struct pcr_ftrace_buf *buf,
			   const struct tep_record *record, int type, int kind, int32_t pid,
			   struct pcr_cpu_account *acc, bool quiet);

/**
 * pcr_open_regular - open a regular file for reading
 * @path: the file
 * @size: receives its size (may be NULL)
 * @errmsg: receives the message of an error
 *
 * Return: the file descriptor, or -PCR_ERR_IO when the file cannot be opened or is not a
 * regular file.
 */
int pcr_open_regular(const char *path, uint64_t *size, char *errmsg);

/**
 * pcr_read_head - open a regular file and read its first bytes
 * @path: the file
 * @head: receives up to @size bytes
 * @size: room in @head
 * @len: receives how many were read
 * @errmsg: receives the message of an error
 *
 * Return: 0, or -PCR_ERR_IO when the file cannot be opened or read or is not a regular file.
 */
int pcr_read_head(const char *path, void *head, size_t size, size_t *len, char *errmsg);

#endif /* PCR_FORMATS_READER_H */
