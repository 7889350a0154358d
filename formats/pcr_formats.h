/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Readers: each turns one kind of recording into the stream of struct pcr_event the engine
 * replays. A reader decides nothing about violations; it reports what the recording holds,
 * including what it lost.
 */
#ifndef PCR_FORMATS_H
#define PCR_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pagecheck.h"

/* Size of the buffer that receives a reader's error message. */
#define PCR_ERRMSG_LEN 1024

/* The kinds of recording, as --input-format names them. */
enum pcr_input_format {
	PCR_INPUT_AUTO,		/* found from the content */
	PCR_INPUT_TRACEDAT,	/* trace-cmd trace.dat */
	PCR_INPUT_PERF,		/* perf.data, file or pipe mode */
	PCR_INPUT_TEXT,		/* ftrace, trace-cmd report, perf script or console text */
	PCR_INPUT_ZSTD,		/* any of them compressed with zstd (found, not named) */
};

/* Who reads a trace.dat's ring-buffer data (--reader). */
enum pcr_tracedat_reader {
	PCR_READER_AUTO,	/* our own reader (flyrecord.c), libtracecmd where it cannot */
	PCR_READER_FLYRECORD,	/* our own reader only: a file it cannot read is an error */
	PCR_READER_LIBTRACECMD,	/* libtracecmd's tracecmd_iterate_events() */
};

/**
 * struct pcr_source_options - how to read a recording
 * @buffer: the trace.dat buffer to replay: "top" for the top-level one, an instance's name
 *	    (trace-cmd record -B NAME), or NULL to take whichever buffer holds the page events
 * @depot: where the recording's kernel stacks go (events then carry their stack_id), or NULL
 *	   to ignore stacks
 * @format: the recording's format, or PCR_INPUT_AUTO to find it from the content
 * @reader: who reads a trace.dat's ring-buffer data (the events come out the same)
 * @threads: 0 to let the caller choose, 1 to read on the replaying thread, 2 to read on a
 *	     thread of its own, 3 to PCR_MAX_THREADS: also @threads - 2 threads that read (and
 *	     decompress) a trace.dat's CPU data ahead (--threads)
 * @head: for the text and perf.data readers of standard input ("-"): its first @head_len bytes,
 *	  which pcr_source_open() read to find the format and which come before the rest
 * @head_len: bytes at @head
 * @sniffed: the recording's first bytes (decompressed) as pcr_source_open() read them to find
 *	     its format, so that a reader need not read them again; NULL when not read
 * @sniffed_len: bytes at @sniffed (fewer than a reader needs only at the recording's end or
 *		 past the probe's PCR_PROBE_HEAD: the reader then reads its head itself)
 * @cache_dir: the directory of the kallsyms cache (a trace.dat's kallsyms, checked and parsed,
 *	       found again by a hash of their bytes), or NULL for none
 */
/* The most threads --threads gives a replay: the reader, the replay, inflaters for the rest. */
#define PCR_MAX_THREADS 64

struct pcr_source_options {
	const char *buffer;
	struct pcr_depot *depot;
	enum pcr_input_format format;
	enum pcr_tracedat_reader reader;
	int threads;
	const unsigned char *head;
	size_t head_len;
	const unsigned char *sniffed;
	size_t sniffed_len;
	const char *cache_dir;
};

/**
 * struct pcr_stack_info - what a reader saw of the recording's kernel stacks
 * @records:	stack records read
 * @paired:	page events that got their stack
 * @stackless:	page events that got none
 * @unpaired:	stack records that found no event to belong to
 * @timeouts:	page events given up on because no stack came in time
 */
struct pcr_stack_info {
	uint64_t records;
	uint64_t paired;
	uint64_t stackless;
	uint64_t unpaired;
	uint64_t timeouts;
};

/**
 * struct pcr_source_info - what a reader found out about the recording
 * @format:	human-readable format, e.g. "trace.dat v7 zstd"
 * @kernel:	the traced kernel's uname, or NULL
 * @build_id:	the traced kernel's build id in hex (perf.data's build-id list), or NULL
 * @kernel_text_sym: the symbol the recording's kernel map starts at ("_text" or "_stext"),
 *		or NULL when it has no such map (perf.data's PERF_RECORD_MMAP of
 *		"[kernel.kallsyms]_text")
 * @kernel_text: that symbol's address in the boot recorded
 * @kernel_text_end: where the map ends (perf takes _edata, or _etext when kallsyms lacks it)
 * @buffer:	the buffer replayed ("top" or an instance name), or NULL before the replay
 * @cpus:	CPUs in the recording
 * @trailing_unrecorded: events the kernel held after the recording's last record, never written
 *		to the file: not a loss of the window, reported apart
 * @loss_checked: the recording held the kernel's per-CPU counters and they were compared with
 *		the records read
 * @gfp_names:	the traced kernel's gfp flag names, from the event's print format
 * @nr_gfp_names: entries in @gfp_names
 * @sym:	names kernel addresses with the recording's own kallsyms (resolve is NULL when it
 *		has none)
 * @comm:	names a pid's task from the recording, or NULL
 * @comm_ctx:	passed to @comm
 * @stacks:	how the stack records were paired with events
 * @has_stacks:	the recording can hold kernel stacks (its formats include them)
 * @has_kallsyms: the recording carries kallsyms
 * @has_hooks:	the recording's formats include the RFC checker's own hook event
 * @has_isolation: compaction's free page isolation events (PCR_EV_ISOLATE) were recorded: the
 *		recording's formats name them and only the events recorded (a trace.dat of
 *		trace-cmd record, perf.data), or live enabled them; a recording that holds one
 *		says so itself
 *		(page_consistency:pc_update of the reference kernel, tests/kernel/rfc)
 * @damaged:	page-event records the reader found but could not read (text lines of page
 *		events not understood, records of an event id the formats lack): the verdict
 *		is inconclusive unless --allow-damaged
 * @damage_note: what those records were, or NULL
 * @end_note:	how the recording ends when that is not where recording stopped (a console log
 *		that ends at the kernel's crash), or NULL
 * @loss_note:	why the reader judged that the recording lost events it does not count, and how
 *		to record instead, or NULL
 * @parallel_safe: @comm, @sym and the depot may be used while pcr_source_replay() runs on
 *		another thread (the consumer's reports do: see cmd/pipeline.h)
 * @stable_comms: the task names events point to stay valid until the source is closed, not
 *		only during the call that delivers them
 * @data_bytes:	the bytes of ring-buffer data the recording holds (compressed as stored), 0 when
 *		the reader does not know before it reads
 * @sym_settle:	NULL, or for a reader that parses the recording's kallsyms only when @sym
 *		first names a frame: called with @sym.ctx once no more events come, before the
 *		report; with @need it parses them if nothing asked for them yet. Returns 0, or
 *		the error of parsing them (out of memory, with its message in @errmsg): the run
 *		must then fail, as names that were asked for are missing
 */
struct pcr_source_info {
	const char *format;
	const char *kernel;
	const char *build_id;
	const char *kernel_text_sym;
	uint64_t kernel_text;
	uint64_t kernel_text_end;
	const char *buffer;
	uint64_t trailing_unrecorded;
	int cpus;
	bool loss_checked;
	const struct pcr_flag_name *gfp_names;
	size_t nr_gfp_names;
	struct pcr_symbolizer sym;
	const char *(*comm)(void *comm_ctx, int pid);
	void *comm_ctx;
	const char *loss_note;
	const char *end_note;
	uint64_t damaged;
	const char *damage_note;
	struct pcr_stack_info stacks;
	bool has_stacks;
	bool has_kallsyms;
	bool has_hooks;
	bool has_isolation;
	bool parallel_safe;
	bool stable_comms;
	uint64_t data_bytes;
	int (*sym_settle)(void *sym_ctx, bool need, char *errmsg);
};

struct pcr_source;

/**
 * pcr_errmsg - write a one-line error message
 * @errmsg: a PCR_ERRMSG_LEN-byte buffer, or NULL
 * @err: the negative error code to return
 * @fmt: printf format of the message
 *
 * Return: @err, so that a caller can write "return pcr_errmsg(errmsg, -PCR_ERR_X, ...)".
 */
int pcr_errmsg(char *errmsg, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * pcr_read_file - read a whole file (a /proc or sysfs file too, which has no size)
 * @path: the file
 * @text: receives the bytes, NUL-terminated, to be freed
 * @len: receives their length
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0, -PCR_ERR_IO or -PCR_ERR_NOMEM.
 */
int pcr_read_file(const char *path, char **text, size_t *len, char *errmsg);

/**
 * typedef pcr_event_fn - receives each normalized event, in timestamp order
 * @ev: the event, valid only during the call
 * @payload: the caller's pointer
 *
 * Return: 0 to go on; a negative error code stops the replay and is returned by it.
 */
typedef int (*pcr_event_fn)(const struct pcr_event *ev, void *payload);

/**
 * pcr_input_format_parse - read an --input-format name
 * @name: "auto", "trace.dat", "perf.data" (or "perf") or "text"
 * @format: receives the format
 *
 * Return: 0, or -1 for an unknown name.
 */
int pcr_input_format_parse(const char *name, enum pcr_input_format *format);

/**
 * pcr_input_format_sniff - tell a recording's format from its first bytes
 * @head: the first bytes
 * @len: how many (64 is plenty)
 *
 * Return: PCR_INPUT_TRACEDAT, PCR_INPUT_PERF, PCR_INPUT_ZSTD, or PCR_INPUT_TEXT for anything else.
 */
enum pcr_input_format pcr_input_format_sniff(const unsigned char *head, size_t len);

/**
 * pcr_source_open - open a recording of any format the tool reads
 * @out: receives the source
 * @path: the file, or "-" for standard input
 * @opts: options, or NULL
 *
 * The format is found from the first bytes, decompressed when the recording is zstd-compressed;
 * a format @opts names that the content contradicts is an error saying what the recording is.
 * A compressed trace.dat or perf.data, and a trace.dat on standard input, are read from an
 * unlinked copy in $TMPDIR (the trace.dat readers seek); text is read as it comes.
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0 or a negative error code, as the reader of the format returns it.
 */
int pcr_source_open(struct pcr_source **out, const char *path,
		    const struct pcr_source_options *opts, char *errmsg);

/**
 * pcr_perfdata_open - open a perf.data recording (file or pipe mode)
 * @out: receives the source
 * @path: the file, or "-" for standard input
 * @opts: options, or NULL
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0 or a negative error code.
 */
int pcr_perfdata_open(struct pcr_source **out, const char *path,
		      const struct pcr_source_options *opts, char *errmsg);

/**
 * pcr_text_open - open a text trace (optionally zstd-compressed)
 * @out: receives the source
 * @path: the file, or "-" for standard input
 * @opts: options, or NULL
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0 or a negative error code.
 */
int pcr_text_open(struct pcr_source **out, const char *path, const struct pcr_source_options *opts,
		  char *errmsg);

/**
 * pcr_tracedat_register_zlib - teach libtracecmd to read zlib-compressed trace.dat v7
 *
 * Registers a zlib codec with libtracecmd unless it already has one; pcr_tracedat_open() calls
 * it. The registration is the library's, for the whole process.
 *
 * Return: 0, or -PCR_ERR_INVAL when libtracecmd refused the codec.
 */
int pcr_tracedat_register_zlib(void);

/**
 * pcr_tracedat_open - open a trace-cmd trace.dat (v6 or v7, any compression)
 * @out: receives the source
 * @path: the file
 * @opts: options, or NULL
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0; -PCR_ERR_IO, -PCR_ERR_FORMAT, -PCR_ERR_TRUNCATED, -PCR_ERR_LAYOUT,
 * -PCR_ERR_NO_EVENTS, -PCR_ERR_INVAL (no such buffer) or -PCR_ERR_NOMEM.
 */
int pcr_tracedat_open(struct pcr_source **out, const char *path,
		      const struct pcr_source_options *opts, char *errmsg);

/**
 * pcr_source_replay - read every record and deliver the normalized events
 * @src: the source
 * @fn: receives each event
 * @payload: passed to @fn
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * After the last record the reader delivers one PCR_EV_LOST event per CPU whose kernel counters
 * show more events than the recording holds.
 *
 * Return: 0, the first negative value @fn returned, or a negative error code of the reader.
 */
int pcr_source_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg);

/**
 * pcr_source_progress - how far a replay has come
 * @src: the source
 * @done: receives the bytes of ring-buffer data read so far
 * @total: receives the bytes there are to read
 *
 * Return: 0, or -1 when the reader cannot tell (then @done and @total are 0).
 */
int pcr_source_progress(const struct pcr_source *src, uint64_t *done, uint64_t *total);

/**
 * pcr_source_help - do some of the reader's work on a thread that waits for its events
 * @src: the source, while pcr_source_replay() runs on another thread
 *
 * A trace.dat reader reads or decompresses a block of a CPU's data ahead (pcr_fly_help()).
 * One thread at a time; the events come out the same whether it is called or not.
 *
 * Return: 1 if it did some, 0 if there was nothing to do.
 */
int pcr_source_help(struct pcr_source *src);

/**
 * typedef pcr_flush_fn - the events delivered so far are all there is for now
 * @ctx: the context given to pcr_source_set_flush()
 */
typedef void (*pcr_flush_fn)(void *ctx);

/**
 * pcr_source_set_flush - be told when a source that reads events as they happen waits for more
 * @src: the source, before pcr_source_replay()
 * @flush: called on the replaying thread after the last event of a read, before the source
 *	sleeps; NULL for none
 * @ctx: passed to @flush
 *
 * A consumer that holds events back (cmd/pipeline.c hands them on in batches) passes them on
 * then: a live kernel's violation is printed when it is found, not a batch later. A recording's
 * reader never waits, and never calls it.
 */
void pcr_source_set_flush(struct pcr_source *src, pcr_flush_fn flush, void *ctx);

/**
 * pcr_source_info - what the reader knows about the recording
 * @src: the source
 *
 * Return: the information; valid until pcr_source_close().
 */
const struct pcr_source_info *pcr_source_info(const struct pcr_source *src);

/**
 * pcr_alloc_large - memory for a large buffer that is written soon after allocation
 * @size: its size in bytes
 *
 * From PCR_LARGE_MIN up, in transparent huge pages where the kernel gives them: each first
 * write to a 4 KiB page is a page fault, and on the VMs measured a fault cost ~10 us (the 5.4 MB
 * kallsyms of a 6.18 kernel took 14 ms of them, 0.4 ms in huge pages; README "Speed").
 * Smaller sizes are plain malloc(). Either way free() and realloc() take it.
 *
 * Return: the memory, or NULL.
 */
void *pcr_alloc_large(size_t size);

/* The size from which pcr_alloc_large() asks for huge pages. */
#define PCR_LARGE_MIN (256u * 1024)

/**
 * pcr_source_close - close a source and free everything it holds
 * @src: the source, or NULL
 */
void pcr_source_close(struct pcr_source *src);

#endif /* PCR_FORMATS_H */
