/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Our own reader of a trace.dat's ring-buffer data (the "flyrecord" part), for speed and
 * bounded memory: libtracecmd still opens the file and parses its event formats, kallsyms,
 * cmdlines and options; this reads each CPU's pages itself (v6 and uncompressed v7 through a
 * pread window, compressed v7 one chunk at a time with libzstd or zlib), parses them with
 * libtraceevent's kbuffer API and merges the CPUs by timestamp in the order libtracecmd's
 * tracecmd_iterate_events_multi() uses (earliest first; on a tie, the lower buffer, then the
 * lower CPU).
 *
 * Private to formats/.
 */
#ifndef PCR_FLYRECORD_H
#define PCR_FLYRECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <traceevent/event-parse.h>

/* pcr_fly_open() returns this when the file needs libtracecmd's own reader. */
#define PCR_FLY_UNSUPPORTED 1

struct pcr_fly;

/**
 * pcr_fly_open - find the ring-buffer data of every buffer of a trace.dat
 * @out: receives the reader (NULL unless 0 is returned)
 * @path: the file
 * @tep: the file's event formats, from libtracecmd (for the byte order and long size)
 * @why: receives, with PCR_FLY_UNSUPPORTED, why libtracecmd must read the file (static string)
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0; PCR_FLY_UNSUPPORTED for a file this reader leaves to libtracecmd (big-endian,
 * 32-bit, latency data, timestamp corrections, v6 instances, an unknown codec); or a negative
 * error code (-PCR_ERR_IO, -PCR_ERR_TRUNCATED, -PCR_ERR_NOMEM).
 */
int pcr_fly_open(struct pcr_fly **out, const char *path, struct tep_handle *tep,
		 const char **why, char *errmsg);

/**
 * pcr_fly_compressed - whether the file's ring-buffer data is compressed
 * @fly: the reader
 *
 * Return: true for a compressed v7 file (then libtracecmd must not load the data itself: it
 * would decompress all of it).
 */
bool pcr_fly_compressed(const struct pcr_fly *fly);

/**
 * pcr_fly_data_bytes - the size of the file's ring-buffer data
 * @fly: the reader
 *
 * Return: the bytes of every buffer's CPU data, as stored (compressed in a compressed file).
 */
uint64_t pcr_fly_data_bytes(const struct pcr_fly *fly);

/**
 * pcr_fly_buffer - find a buffer by name
 * @fly: the reader
 * @name: "top" for the top-level buffer, or an instance name
 *
 * Return: the buffer's index, or -1 when the file has no such buffer.
 */
int pcr_fly_buffer(const struct pcr_fly *fly, const char *name);

/**
 * pcr_fly_nr_buffers - how many buffers the file holds ("top" and the instances)
 * @fly: the reader
 *
 * Return: the count; pcr_fly_buffer_name() names each, in the file's order.
 */
int pcr_fly_nr_buffers(const struct pcr_fly *fly);

/**
 * pcr_fly_buffer_name - a buffer's name
 * @fly: the reader
 * @i: 0 to pcr_fly_nr_buffers() - 1
 *
 * Return: "top" or the instance's name, valid until pcr_fly_close().
 */
const char *pcr_fly_buffer_name(const struct pcr_fly *fly, int i);

/**
 * pcr_fly_start - choose the buffers to read, and in which order they rank on equal timestamps
 * @fly: the reader
 * @bufs: buffer indexes from pcr_fly_buffer()
 * @nr: how many
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_fly_start(struct pcr_fly *fly, const int *bufs, int nr);

/**
 * pcr_fly_ahead - read the chosen buffers' data ahead on threads of their own
 * @fly: the reader, after pcr_fly_start() and before the first pcr_fly_next()
 * @nr_threads: how many inflater threads (0: none; the data is then read ahead only by the
 *		reading thread when it needs a block, and by pcr_fly_help())
 *
 * The records come out the same, and the errors with the same messages at the same place.
 *
 * Return: 0, or -PCR_ERR_NOMEM (the reader then reads as without this call).
 */
int pcr_fly_ahead(struct pcr_fly *fly, int nr_threads);

/**
 * pcr_fly_help - read one block ahead, on a thread that would otherwise wait
 * @fly: the reader, reading ahead (pcr_fly_ahead())
 *
 * One thread at a time may call this, beside the reading thread and the inflaters.
 *
 * Return: 1 if it read a block, 0 if none was wanted.
 */
int pcr_fly_help(struct pcr_fly *fly);

/**
 * pcr_fly_next - the next record of the chosen buffers, in timestamp order
 * @fly: the reader
 * @record: receives the record (ts, cpu, data, size, record_size, offset, missed_events; its
 *	    other fields are left as they are); its data stays valid until the next call
 * @which: receives the record's position in the @bufs of pcr_fly_start()
 * @quiet: NULL, or receives whether the record's buffer is watched (pcr_fly_watch()) and the
 *	   next horizon records of its CPU exist and none of them is of the watched type. The
 *	   look-ahead stays within the record's ring-buffer page (whose headers are decoded when
 *	   it is loaded), so near a page's end the answer is false.
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 1 for a record, 0 at the end, or a negative error code (-PCR_ERR_IO,
 * -PCR_ERR_FORMAT for a corrupt page or chunk, -PCR_ERR_TRUNCATED, -PCR_ERR_NOMEM).
 */
int pcr_fly_next(struct pcr_fly *fly, struct tep_record *record, int *which, bool *quiet,
		 char *errmsg);

/**
 * pcr_fly_watch - look ahead in a buffer's records for one event type
 * @fly: the reader, before pcr_fly_start()
 * @buf: a buffer index from pcr_fly_buffer()
 * @type: the event id looked for
 * @field: the field that holds a record's event id (common_type), read in this machine's byte
 *	   order as pcr_kmem_native_field() reads it; it must outlive the reader
 * @horizon: how many records ahead pcr_fly_next() answers for in its @quiet
 *
 * Every buffer watched takes the same @type, @field and @horizon.
 *
 * Return: 0, -PCR_ERR_INVAL, or -PCR_ERR_NOMEM.
 */
int pcr_fly_watch(struct pcr_fly *fly, int buf, int type, const struct tep_format_field *field,
		  int horizon);

/**
 * pcr_fly_progress - how much of the chosen buffers' data has been read
 * @fly: the reader
 * @done: receives the bytes read
 * @total: receives the bytes to read
 */
void pcr_fly_progress(const struct pcr_fly *fly, uint64_t *done, uint64_t *total);

/**
 * pcr_fly_close - release the reader
 * @fly: the reader, or NULL
 */
void pcr_fly_close(struct pcr_fly *fly);

/**
 * pcr_fly_check_page - check one ring-buffer page as kbuffer would read it
 * @page: the page, @page_size bytes
 * @page_size: the recording's page size, at least 32
 * @commit_size: the size of the page header's commit word, 4 or 8 (header_page's 'commit'
 *	field: the page's data starts after it, at 8 + @commit_size)
 * @big_endian: whether the recording is big-endian
 * @what: receives, on failure, what is wrong with the page (a static string)
 *
 * The commit word and every record header are checked with the rules of the page walker that
 * reads the records (kbuffer's, which reads a big-endian header's type_len from its top bits):
 * no record, header or lost-event count past the page.
 *
 * Return: 0, or -PCR_ERR_FORMAT.
 */
int pcr_fly_check_page(const unsigned char *page, uint32_t page_size, int commit_size,
		       bool big_endian, const char **what);

/**
 * pcr_zlib_inflate - decompress one zlib block whose size is known
 * @out: receives the data
 * @out_len: its expected size
 * @in: the compressed block
 * @in_len: its size
 *
 * Return: the decompressed size, or -1 when the block is corrupt or larger than @out_len.
 */
long pcr_zlib_inflate(void *out, unsigned long out_len, const void *in, unsigned long in_len);

/* The compressions of a trace.dat v7, and the zstd context of one that is zstd. */
enum pcr_codec_kind {
	PCR_CODEC_NONE,
	PCR_CODEC_ZSTD,
	PCR_CODEC_ZLIB,
};

/**
 * struct pcr_codec - how a trace.dat's compressed blocks are read
 * @kind:	none, zstd or zlib
 * @dctx:	the zstd context (PCR_CODEC_ZSTD only)
 */
struct pcr_codec {
	enum pcr_codec_kind kind;
	struct ZSTD_DCtx_s *dctx;
};

/**
 * pcr_codec_set - the codec a v7 file names in its header
 * @codec: receives it (zeroed before)
 * @name: "none", "zstd" or "zlib"
 *
 * Return: 0, -PCR_ERR_NOMEM, or 1 for a name it does not know.
 */
int pcr_codec_set(struct pcr_codec *codec, const char *name);

/**
 * pcr_codec_inflate - decompress one block
 * @codec: the file's codec (not PCR_CODEC_NONE)
 * @out: receives the data
 * @out_len: exactly how long it must come out
 * @in: the compressed block
 * @in_len: its length
 *
 * Return: 0, or -1 when the block does not decompress to exactly @out_len bytes.
 */
int pcr_codec_inflate(struct pcr_codec *codec, void *out, size_t out_len, const void *in,
		      size_t in_len);

/**
 * pcr_codec_free - free the codec's context
 * @codec: the codec (may be zeroed)
 */
void pcr_codec_free(struct pcr_codec *codec);

#endif /* PCR_FLYRECORD_H */
