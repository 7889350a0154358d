/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace.dat check's own header, shared by its two parts: tdblocks.c (the cursor, the text
 * blocks and the CPU data) and tdcheck.c (the options, the v7 sections, v6 and v7 as a whole).
 * Not for other readers: they use tdcheck.h.
 */
#ifndef PCR_FORMATS_TDCHECK_IMPL_H
#define PCR_FORMATS_TDCHECK_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zstd.h>

#include "bytecur.h"

#define TD_MAGIC "\027\010\104tracing"
#define TD_MAGIC_LEN 10
/* The largest texts accepted: a kernel's header_page is ~200 bytes, an event format ~4 KiB. */
#define TD_MAX_HEADER (64u * 1024)
#define TD_MAX_FORMAT (1024u * 1024)
/* kallsyms of a large kernel is ~15 MiB; a section (decompressed) may be up to this. */
#define TD_MAX_SECTION (128u * 1024 * 1024)
/* A compressed chunk of trace data: trace-cmd writes 10 pages. */
#define TD_MAX_CHUNK (64u * 1024 * 1024)
#define TD_MAX_CPUS 8192
#define TD_MAX_NAME 256
/* OPTIONS sections chained, and sections libtracecmd walks for its strings. */
#define TD_MAX_HOPS 1024

/* v7 section and option ids (trace-cmd.dat.v7(5)). */
enum {
	TD_OPT_DONE = 0,
	TD_OPT_DATE = 1,
	TD_OPT_CPUSTAT = 2,
	TD_OPT_BUFFER = 3,
	TD_OPT_TRACECLOCK = 4,
	TD_OPT_UNAME = 5,
	TD_OPT_HOOK = 6,
	TD_OPT_OFFSET = 7,
	TD_OPT_CPUCOUNT = 8,
	TD_OPT_VERSION = 9,
	TD_OPT_PROCMAPS = 10,
	TD_OPT_TRACEID = 11,
	TD_OPT_TIME_SHIFT = 12,
	TD_OPT_GUEST = 13,
	TD_OPT_TSC2NSEC = 14,
	TD_OPT_STRINGS = 15,
	TD_OPT_HEADER_INFO = 16,
	TD_OPT_FTRACE_EVENTS = 17,
	TD_OPT_EVENT_FORMATS = 18,
	TD_OPT_KALLSYMS = 19,
	TD_OPT_PRINTK = 20,
	TD_OPT_CMDLINES = 21,
	TD_OPT_BUFFER_TEXT = 22,
	TD_NR_SECTIONS = 22,
};

struct pcr_tdmeta;

struct tdc {
	const char *path;
	struct pcr_tdmeta *meta;	/* NULL: check only; else load the metadata too */
	char *errmsg;
	unsigned char *page;		/* one page, for the page checks */
	uint64_t size;			/* the file's */
	uint64_t sections[TD_NR_SECTIONS];	/* v7: where each metadata section is, 0: none */
	struct pcr_codec codec;
	uint32_t page_size;
	uint32_t cpus;
	int fd;
	int version;
	int long_size;
	bool big_endian;
	bool every_page;
	bool data_pass;			/* v7: the second walk of the options, for the data */
	bool trace_clock;		/* v6: a TRACECLOCK option, so a clock after the pairs */
	bool keep_section;		/* v7: @meta keeps the section just read (its kallsyms) */
};

/*
 * Reads of one part of the file: the file itself through pread(), or a section in memory
 * (decompressed or not). Offsets in messages are the file's, or the section's and the byte in
 * its decompressed data.
 */
struct td_cur {
	struct tdc *td;
	struct pcr_bytecur b;		/* b.mem NULL: the file (td->fd) */
	const char *what;		/* the part, for messages */
	uint64_t section;		/* with b.mem: the section's offset in the file */
	uint64_t mem_at;		/* with b.mem, not inflated: the file offset of b.mem[0] */
	bool inflated;
};


/* tdblocks.c: the cursor */

/**
 * pcr_td_msg - the message of a damaged part, naming the file offset (or the section's byte)
 * @c: the cursor over the part
 * @err: -PCR_ERR_TRUNCATED or -PCR_ERR_FORMAT (and the like)
 * @at: the offset in the cursor's space
 * @fmt: what is wrong, printf-style
 *
 * Return: @err.
 */
int pcr_td_msg(struct td_cur *c, int err, uint64_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/**
 * pcr_td_short - the message of a read past the end of the cursor (a cut file, a short section)
 * @c: the cursor
 * @what: what was read
 *
 * Return: -PCR_ERR_TRUNCATED for the file, -PCR_ERR_FORMAT for a section.
 */
int pcr_td_short(struct td_cur *c, const char *what);

/**
 * pcr_td_cur_read - read @n bytes at the cursor and move past them
 * @c: the cursor
 * @buf: receives the bytes
 * @n: how many
 * @what: what they are, for messages
 *
 * Return: 0 or a negative error code with its message.
 */
int pcr_td_cur_read(struct td_cur *c, void *buf, size_t n, const char *what);

/**
 * pcr_td_number - an @n-byte number in the file's byte order
 * @td: the check
 * @p: the bytes
 * @n: 1 to 8
 *
 * Return: the number.
 */
uint64_t pcr_td_number(const struct tdc *td, const unsigned char *p, int n);

/**
 * pcr_td_cur_num - read an @n-byte number at the cursor
 * @c: the cursor
 * @n: 1 to 8
 * @v: receives it (0 on error)
 * @what: what it is, for messages
 *
 * Return: as pcr_td_cur_read().
 */
int pcr_td_cur_num(struct td_cur *c, int n, uint64_t *v, const char *what);

/**
 * pcr_td_cur_text - @n bytes at the cursor as a text, at most @cap of them
 * @c: the cursor
 * @n: the text's length
 * @cap: the most accepted
 * @what: what it is, for messages
 * @text: receives a pointer into the section in memory, or to *@owned
 * @owned: receives a buffer read from the file that the caller frees, or NULL
 *
 * Return: as pcr_td_cur_read().
 */
int pcr_td_cur_text(struct td_cur *c, uint64_t n, uint64_t cap, const char *what, char **text,
		    char **owned);

/**
 * pcr_td_cur_name - a NUL-terminated name of printable characters (at most TD_MAX_NAME - 1)
 * @c: the cursor
 * @s: receives it (TD_MAX_NAME bytes of room)
 * @what: what it is, for messages
 *
 * Return: as pcr_td_cur_read().
 */
int pcr_td_cur_name(struct td_cur *c, char *s, const char *what);

/* tdblocks.c: the texts */

/**
 * pcr_td_check_header_info - header_page and header_event, as libtraceevent parses them
 * @c: the cursor at the block
 *
 * Return: 0 or a negative error code with its message.
 */
int pcr_td_check_header_info(struct td_cur *c);

/**
 * pcr_td_check_ftrace_events - the ftrace event formats block
 * @c: the cursor at the block
 *
 * Return: as pcr_td_check_header_info().
 */
int pcr_td_check_ftrace_events(struct td_cur *c);

/**
 * pcr_td_check_event_formats - the system event formats block
 * @c: the cursor at the block
 *
 * Return: as pcr_td_check_header_info().
 */
int pcr_td_check_event_formats(struct td_cur *c);

/**
 * pcr_td_check_text_block - kallsyms, printk formats (4-byte sizes) or saved cmdlines (8-byte)
 * @c: the cursor at the block
 * @size_bytes: the width of its size
 * @kind: which block it is
 *
 * Return: as pcr_td_check_header_info().
 */
int pcr_td_check_text_block(struct td_cur *c, int size_bytes, int kind);

/* tdsyms.c: the kallsyms kept */

/**
 * pcr_td_kallsyms_cached - find a kallsyms block in the cache (tdcheck.h's @cache_dir)
 * @meta: the metadata being loaded (its @cache_dir set); gets the key, and the entry on a hit
 * @how: how the block is stored, for the key
 * @bytes: the block as stored
 * @len: its length
 *
 * Return: 1 on a hit (the block needs no decompression nor check), 0 on a miss,
 * -PCR_ERR_NOMEM.
 */
int pcr_td_kallsyms_cached(struct pcr_tdmeta *meta, const char *how, const void *bytes,
			   size_t len);

/**
 * pcr_td_kallsyms_release - write the kallsyms to the cache when @meta asks for it, and free
 * what tdsyms.c keeps in @meta (its cache entry, its error)
 * @meta: the metadata pcr_tdmeta_release() releases
 */
void pcr_td_kallsyms_release(struct pcr_tdmeta *meta);

/* tdblocks.c: the trace data */

/**
 * pcr_td_check_cpu_data - one CPU's ring-buffer data: its pages (or chunks, compressed)
 * @c: the cursor over the file
 * @offset: where the data starts
 * @size: its length
 * @cpu: the CPU, for messages
 * @compressed: the data is in chunks
 *
 * Return: as pcr_td_check_header_info().
 */
int pcr_td_check_cpu_data(struct td_cur *c, uint64_t offset, uint64_t size, int cpu,
			  bool compressed);

#endif /* PCR_FORMATS_TDCHECK_IMPL_H */
