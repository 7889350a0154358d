/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The line grammar of the text reader (text.c describes the flavours): what one line of ftrace,
 * trace-cmd report, perf script or console text is, and the fields of its event. Nothing here
 * keeps state between lines; everything a parsed line gives points into the line.
 */
#ifndef PCR_TEXTLINE_H
#define PCR_TEXTLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcr_formats.h"

struct pcr_console;

/* The highest CPU number a line may name. */
#define PCR_TEXT_MAX_CPU 16383

enum pcr_text_line_type {
	PCR_LINE_IGNORED,	/* blank, header, known non-event lines */
	PCR_LINE_JUNK,		/* not understood */
	PCR_LINE_RECORD,
	PCR_LINE_FRAME,
	PCR_LINE_NOTICE,
};

enum pcr_text_flavour {
	PCR_FLAVOUR_NONE,
	PCR_FLAVOUR_FTRACE,
	PCR_FLAVOUR_TRACECMD,
	PCR_FLAVOUR_PERF,
	PCR_FLAVOUR_CONSOLE,
	PCR_FLAVOUR_DUMP,
};

/**
 * struct pcr_text_line - one line, as pcr_text_parse_line() understood it
 * @type:	enum pcr_text_line_type
 * @flavour:	enum pcr_text_flavour of a record
 * @buffer:	records and notices: the instance name, NULL for the top buffer
 * @buffer_len:	its length
 * @prefixed:	the line had an instance prefix (blank for the top buffer)
 * @comm:	the task name
 * @comm_len:	its length
 * @name:	the event name without its system, NULL for none
 * @name_len:	its length
 * @fields:	the event's fields
 * @ts_ns:	the timestamp
 * @pid:	the pid
 * @cpu:	the CPU
 * @kind:	PCR_EV_ALLOC .. PCR_EV_PCPU_DRAIN, or PCR_EV_OTHER
 * @stack:	an ftrace kernel_stack record
 * @lost:	notices: the count, 0 when unknown
 * @addr:	frames: the address
 * @sym:	the symbol name, NULL for none
 * @sym_len:	its length
 * @module:	the module name, NULL for none
 * @module_len:	its length
 * @off:	the offset in the symbol
 * @size:	the symbol's size
 * @have_addr:	@addr is known
 * @have_off:	@off is known
 * @have_size:	@size is known
 * @kernel:	a kernel frame (perf lists user frames too)
 * @perf_frame:	a frame of a perf callchain (not an ftrace "=>" frame)
 * @console:	the message after a console prefix, NULL for a line without one
 */
struct pcr_text_line {
	int type;
	int flavour;
	const char *buffer;
	size_t buffer_len;
	bool prefixed;
	const char *comm;
	size_t comm_len;
	const char *name;
	size_t name_len;
	const char *fields;
	uint64_t ts_ns;
	int pid;
	int cpu;
	int kind;
	bool stack;
	uint64_t lost;
	uint64_t addr;
	const char *sym;
	size_t sym_len;
	const char *module;
	size_t module_len;
	uint64_t off;
	uint64_t size;
	bool have_addr;
	bool have_off;
	bool have_size;
	bool kernel;
	bool perf_frame;
	const char *console;
};

/**
 * pcr_text_parse_line - classify one line
 * @line: the line, NUL-terminated, without its newline
 * @tl: receives what it is; its pointers point into @line
 */
void pcr_text_parse_line(const char *line, struct pcr_text_line *tl);

/**
 * pcr_text_flavour_name - the name of a text flavour, for the report's format line
 * @flavour: enum pcr_text_flavour
 *
 * Return: e.g. "trace-cmd report".
 */
const char *pcr_text_flavour_name(int flavour);

/**
 * pcr_text_field - find "@key=" as a whole word in a record's fields
 * @fields: the fields
 * @key: the field name
 * @len: receives the value's length (up to the next blank)
 *
 * Return: the value, or NULL when there is no such field.
 */
const char *pcr_text_field(const char *fields, const char *key, size_t *len);

/**
 * pcr_text_gfp_name - whether an allocation's gfp flags are printed as names
 * @fields: the record's fields
 *
 * Return: true for "gfp_flags=GFP_KERNEL|__GFP_COMP" and the like.
 */
bool pcr_text_gfp_name(const char *fields);

/**
 * pcr_text_read_page - read the page fields of a kmem record into @ev
 * @tl: the record (@tl->kind a page event)
 * @con: the console, whose kernel names gfp flags printed as names
 * @ev: its kind set; receives pfn, order, gfp and migratetype
 *
 * Return: false for a record too broken to replay (no pfn, an impossible order).
 */
bool pcr_text_read_page(const struct pcr_text_line *tl, const struct pcr_console *con,
			struct pcr_event *ev);

/**
 * pcr_text_read_marker - read a record that is no page event as a boot marker or process event
 * @tl: the record, with a name and fields
 * @ev: receives the kind (left PCR_EV_OTHER when it is none of them) and its fields
 *
 * initcall_finish, sched_process_exec/fork/exit, compaction's isolation of free pages and
 * kprobe events (a probe of free_initmem is one whose name says "initmem": text names no
 * probed function).
 */
void pcr_text_read_marker(const struct pcr_text_line *tl, struct pcr_event *ev);

/**
 * pcr_text_raw_frames - the frames of a raw (trace-cmd -R) kernel_stack record
 * @fields: "size=19 caller=ARRAY[ba, 70, 5c, 81, ff, ...]", 8 bytes a frame
 * @frames: receives the frames after the @nr already there
 * @nr: how many @frames holds
 * @cap: room in @frames
 *
 * Return: how many @frames holds now (reading stops at a frame of all ones or zero).
 */
unsigned int pcr_text_raw_frames(const char *fields, uint64_t *frames, unsigned int nr,
				 unsigned int cap);

/**
 * pcr_text_page_event_line - whether a line names a page event ("mm_page_alloc:" and the like)
 * @line: the line
 * @len: its length (it may hold NUL bytes)
 *
 * A line not understood that names one is a damaged record, not just a skipped line; a kernel
 * command line's "kmem:mm_page_alloc," is none.
 *
 * Return: true when it does.
 */
bool pcr_text_page_event_line(const char *line, size_t len);

#endif /* PCR_TEXTLINE_H */
