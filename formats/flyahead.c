// SPDX-License-Identifier: GPL-2.0
/*
 * Reading ahead: inflater threads read (v6, uncompressed v7) or read and decompress (v7 zstd,
 * zlib) each CPU's data into blocks, which the reading thread then walks (flyrecord.c).
 *
 * Why: on two cores the reading thread is the longer one of a replay. On large v7 zstd it
 * decompresses and walks while the replaying thread waits for it a third of the time; handing
 * the decompression (or, uncompressed, pread()'s copy) to a thread of its own fills that wait
 * (README "Speed"). A recording's CPUs are independent streams until the merge, so any number
 * of inflaters can share them: each takes the stream with the fewest blocks waiting, one
 * inflater a stream at a time (a chunk's header says where the next one starts).
 *
 * Every block is read whole, in the CPU's order, and waits until the reading thread takes it:
 * the records, the look-ahead within a block and the errors (reported where the records
 * before them end, with the message a single thread would give) are the same whatever the
 * threads' timing.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "flyrecord_impl.h"
#include "pcr_formats.h"

/* Blocks a stream keeps read ahead, the one being walked included. */
#define AHEAD_DEPTH 3
/*
 * The reading thread wakes the inflaters when a stream has this few blocks waiting, not at
 * each block it takes: woken for each, an inflater on two cores preempted the replaying
 * thread 25,000 times on large v7 and the replay took 30% longer.
 */
#define AHEAD_LOW 1
/* What the blocks of uncompressed data may take in all, at most (each a whole number of pages). */
#define AHEAD_BYTES (16u * 1024 * 1024)

struct fly_ahead {
	pthread_mutex_t lock;
	pthread_cond_t work;		/* an inflater waits for a stream to read */
	pthread_cond_t ready;		/* the reading thread waits for a block */
	struct pcr_fly *f;
	pthread_t *threads;
	int nr_threads;
	size_t block;			/* uncompressed: bytes a block */
	unsigned char *region;		/* uncompressed: every block's buffer, or NULL */
	struct pcr_codec help_codec;	/* pcr_fly_help()'s */
	bool help_codec_ok;
	bool stop;
};

/* The stream with room for a block and the fewest waiting, not being read; NULL: none. */
static struct fly_stream *pick_stream(struct pcr_fly *f)
{
	struct fly_stream *best = NULL;
	unsigned int best_waiting = AHEAD_DEPTH;
	int i;

	for (i = 0; i < f->nr_streams; i++) {
		struct fly_stream *s = &f->streams[i];
		unsigned int waiting = s->tail - s->head;

		if (s->busy || s->ended || waiting + (s->held != NULL) >= AHEAD_DEPTH)
			continue;
		if (waiting < best_waiting) {
			best = s;
			best_waiting = waiting;
		}
	}
	return best;
}

/* An uncompressed block: whole pages of the stream's buffer, at least one. */
static size_t block_size(const struct fly_ahead *a, const struct fly_stream *s)
{
	size_t size = a->block - a->block % s->page_size;

	return size ? size : s->page_size;
}

/*
 * Reads the stream's next block with @codec (the calling thread's), called and returning with
 * the lock held: the reading itself runs without it, the stream marked busy.
 */
static void produce(struct fly_ahead *a, struct fly_stream *s, struct pcr_codec *codec,
		    bool codec_ok)
{
	struct fly_block *b = &s->blocks[s->tail % AHEAD_DEPTH];
	char errmsg[PCR_ERRMSG_LEN];
	int ret;

	s->busy = true;
	pthread_mutex_unlock(&a->lock);
	errmsg[0] = '\0';
	if (!codec_ok)
		ret = -PCR_ERR_NOMEM;
	else if (a->f->codec.kind != PCR_CODEC_NONE)
		ret = pcr_fly_read_chunk(a->f, s, codec, b, errmsg);
	else
		ret = pcr_fly_read_pages(a->f, s, block_size(a, s), b, errmsg);
	if (ret < 0 && !b->errmsg)
		b->errmsg = malloc(PCR_ERRMSG_LEN);
	if (ret < 0 && b->errmsg)
		memcpy(b->errmsg, errmsg, PCR_ERRMSG_LEN);
	pthread_mutex_lock(&a->lock);
	b->ret = ret;
	s->tail++;
	s->busy = false;
	s->ended = ret <= 0;
	pthread_cond_broadcast(&a->ready);
}

/* A codec of the file's kind for a thread of its own; false when out of memory. */
static bool codec_for_thread(const struct pcr_fly *f, struct pcr_codec *codec)
{
	memset(codec, 0, sizeof(*codec));
	if (f->codec.kind == PCR_CODEC_NONE)
		return true;
	return !pcr_codec_set(codec, f->codec.kind == PCR_CODEC_ZSTD ? "zstd" : "zlib");
}

static void *inflater_main(void *arg)
{
	struct fly_ahead *a = arg;
	struct pcr_codec codec;
	bool codec_ok = codec_for_thread(a->f, &codec);

	pthread_mutex_lock(&a->lock);
	while (!a->stop) {
		struct fly_stream *s = pick_stream(a->f);

		if (s)
			produce(a, s, &codec, codec_ok);
		else
			pthread_cond_wait(&a->work, &a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	pcr_codec_free(&codec);
	return NULL;
}

int pcr_fly_help(struct pcr_fly *fly)
{
	struct fly_ahead *a;
	struct fly_stream *s;

	a = atomic_load_explicit(&fly->ahead_ready, memory_order_acquire);
	if (!a)
		return 0;
	pthread_mutex_lock(&a->lock);
	s = pick_stream(fly);
	if (s)
		produce(a, s, &a->help_codec, a->help_codec_ok);
	pthread_mutex_unlock(&a->lock);
	return s != NULL;
}

int pcr_fly_ahead_take(struct pcr_fly *f, struct fly_stream *s, char *errmsg)
{
	struct fly_ahead *a = f->ahead;
	struct fly_block *b;
	bool compressed = f->codec.kind != PCR_CODEC_NONE;

	pthread_mutex_lock(&a->lock);
	if (s->held) {
		if (compressed)
			s->chunk_base += s->held->len;
		s->held = NULL;
		s->chunk = NULL;
		if (s->tail - s->head <= AHEAD_LOW && !s->busy && !s->ended)
			pthread_cond_signal(&a->work);
	}
	/* Nobody reading it: read it here rather than wait. */
	while (s->head == s->tail) {
		if (!s->busy && !s->ended)
			produce(a, s, &f->codec, true);
		else
			pthread_cond_wait(&a->ready, &a->lock);
	}
	b = &s->blocks[s->head % AHEAD_DEPTH];
	/* The end or an error stays the stream's last block: asking again gives it again. */
	if (b->ret > 0) {
		s->head++;
		s->held = b;
	}
	pthread_mutex_unlock(&a->lock);
	if (b->ret < 0) {
		if (errmsg && b->errmsg)
			memcpy(errmsg, b->errmsg, PCR_ERRMSG_LEN);
		return b->ret;
	}
	if (!b->ret)
		return 0;
	s->chunk = b->buf;
	s->chunk_len = b->len;
	s->chunk_off = 0;
	return 1;
}

int pcr_fly_ahead(struct pcr_fly *fly, int nr_threads)
{
	struct fly_ahead *a;
	size_t block;
	int i;

	if (nr_threads < 0 || !fly->nr_streams || fly->ahead || fly->advance_top)
		return 0;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -PCR_ERR_NOMEM;
	a->threads = calloc((size_t)nr_threads + 1, sizeof(*a->threads));
	for (i = 0; a->threads && i < fly->nr_streams; i++) {
		fly->streams[i].blocks = calloc(AHEAD_DEPTH, sizeof(struct fly_block));
		if (!fly->streams[i].blocks)
			break;
	}
	if (!a->threads || i < fly->nr_streams) {
		while (i-- > 0) {
			free(fly->streams[i].blocks);
			fly->streams[i].blocks = NULL;
		}
		free(a->threads);
		free(a);
		return -PCR_ERR_NOMEM;
	}
	/* Uncompressed: FLY_WINDOW a block, less when many CPUs would pass AHEAD_BYTES. */
	block = AHEAD_BYTES / AHEAD_DEPTH / (size_t)fly->nr_streams;
	a->block = block < FLY_WINDOW ? block : FLY_WINDOW;
	/*
	 * Uncompressed blocks in one allocation, in huge pages: a buffer of its own each took a
	 * page fault per 4 KiB when first read into (a tenth of medium v6's, README "Speed").
	 */
	if (fly->codec.kind == PCR_CODEC_NONE)
		a->region = pcr_alloc_large((size_t)fly->nr_streams * AHEAD_DEPTH * a->block);
	for (i = 0; a->region && i < fly->nr_streams * AHEAD_DEPTH; i++) {
		struct fly_block *b = &fly->streams[i / AHEAD_DEPTH].blocks[i % AHEAD_DEPTH];

		b->buf = a->region + (size_t)i * a->block;
		b->cap = a->block;
	}
	a->f = fly;
	a->help_codec_ok = codec_for_thread(fly, &a->help_codec);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->work, NULL);
	pthread_cond_init(&a->ready, NULL);
	fly->ahead = a;
	for (i = 0; i < nr_threads; i++) {
		if (pthread_create(&a->threads[i], NULL, inflater_main, a))
			break;
		a->nr_threads++;
	}
	if (a->nr_threads < nr_threads) {
		pcr_fly_ahead_stop(fly);
		return -PCR_ERR_NOMEM;
	}
	atomic_store_explicit(&fly->ahead_ready, a, memory_order_release);
	return 0;
}

void pcr_fly_ahead_stop(struct pcr_fly *f)
{
	struct fly_ahead *a = f->ahead;
	int i, j;

	if (!a)
		return;
	atomic_store_explicit(&f->ahead_ready, NULL, memory_order_relaxed);
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_broadcast(&a->work);
	pthread_mutex_unlock(&a->lock);
	for (i = 0; i < a->nr_threads; i++)
		pthread_join(a->threads[i], NULL);
	for (i = 0; i < f->nr_streams; i++) {
		struct fly_stream *s = &f->streams[i];

		for (j = 0; s->blocks && j < AHEAD_DEPTH; j++) {
			if (!a->region)
				free(s->blocks[j].buf);
			free(s->blocks[j].errmsg);
		}
		free(s->blocks);
		s->blocks = NULL;
		s->held = NULL;
		s->chunk = NULL;
	}
	free(a->region);
	pcr_codec_free(&a->help_codec);
	pthread_cond_destroy(&a->ready);
	pthread_cond_destroy(&a->work);
	pthread_mutex_destroy(&a->lock);
	free(a->threads);
	free(a);
	f->ahead = NULL;
}
