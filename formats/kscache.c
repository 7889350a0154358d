// SPDX-License-Identifier: GPL-2.0
/*
 * A cache of recordings' kallsyms, checked and parsed, as perf keeps a kernel's kallsyms in its
 * build-id cache (~/.debug).
 *
 * Why (issue 19): a kernel's kallsyms are 5.4 MB of text in every recording of it. Decompressing
 * (v7), checking and parsing them was 12 ms of the 24 ms a small recording took (testdata's
 * t06), and every recording of the same kernel carries the same bytes. An entry is named by a
 * hash of the block as the file stores it (compressed for v7), so finding it costs a hash of
 * 1 MB instead of that work; it is written only for kallsyms the check accepted, and its bytes
 * are read back under a hash of them, so that a damaged entry is a miss, never a wrong name.
 *
 * An entry, in the byte order of the machine that wrote it (another one's is a miss):
 *   struct entry_header, the text (as a parse left it when there is a table), zeros to a
 *   multiple of 8, the table (struct pcr_tepsym_saved each).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The state on the stack: its layout is part of the library's ABI (xxhash.h). */
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "bytecur.h"
#include "kscache.h"
#include "pcr_formats.h"
#include "tepsyms.h"

#define ENTRY_MAGIC "PCRKSY1\n"
#define ENTRY_MARK 0x01020304u
#define ENTRY_PREFIX "kallsyms-"
#define NEW_PREFIX ".new-"
#define STALE_NEW_SECS 3600
/* A kernel's kallsyms are at most 15 MiB (tdcheck_impl.h's cap is 128 MiB). */
#define ENTRY_MAX_TEXT (128u << 20)

enum { ENTRY_TABLE = 1, ENTRY_TEP_ONLY = 2 };

struct entry_header {
	char magic[8];
	uint32_t mark;
	uint32_t flags;
	uint8_t key[16];
	uint64_t text_len;
	uint64_t nr;
	int32_t any;
	uint32_t zero;
	uint8_t hash[16];
};

struct pcr_kscache_entry {
	int fd;
	struct entry_header head;
};

/* XXH3-128 of @a then @b, in its canonical (byte-order free) form. */
static void hash2(uint8_t out[16], const void *a, size_t a_len, const void *b, size_t b_len)
{
	XXH3_state_t state;
	XXH128_canonical_t canon;

	XXH3_128bits_reset(&state);
	XXH3_128bits_update(&state, a, a_len);
	XXH3_128bits_update(&state, b, b_len);
	XXH128_canonicalFromHash(&canon, XXH3_128bits_digest(&state));
	memcpy(out, canon.digest, 16);
}

void pcr_kscache_key(struct pcr_kscache_key *key, const char *how, const void *bytes, size_t len)
{
	hash2(key->bytes, how, strlen(how) + 1, bytes, len);
}

static void entry_path(char *path, size_t size, const char *dir, const struct pcr_kscache_key *key)
{
	int n = snprintf(path, size, "%s/" ENTRY_PREFIX, dir);
	size_t i;

	for (i = 0; i < sizeof(key->bytes) && n > 0 && (size_t)n + 3 < size; i++)
		n += snprintf(path + n, size - (size_t)n, "%02x", key->bytes[i]);
}

static size_t table_offset(uint64_t text_len)
{
	return (size_t)((text_len + 7) & ~(uint64_t)7);
}

int pcr_kscache_find(const char *dir, const struct pcr_kscache_key *key,
		     struct pcr_kscache_entry **out)
{
	struct pcr_kscache_entry *e;
	char path[4096];
	struct stat st;
	uint64_t want, stop;

	*out = NULL;
	entry_path(path, sizeof(path), dir, key);
	e = calloc(1, sizeof(*e));
	if (!e)
		return -PCR_ERR_NOMEM;
	e->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (e->fd < 0 || fstat(e->fd, &st) || !S_ISREG(st.st_mode) ||
	    pcr_bytecur_pread(e->fd, &e->head, sizeof(e->head), 0, &stop))
		goto miss;
	if (memcmp(e->head.magic, ENTRY_MAGIC, sizeof(e->head.magic)) ||
	    e->head.mark != ENTRY_MARK || memcmp(e->head.key, key->bytes, sizeof(key->bytes)) ||
	    !e->head.text_len || e->head.text_len > ENTRY_MAX_TEXT ||
	    e->head.nr > e->head.text_len || e->head.flags > (ENTRY_TABLE | ENTRY_TEP_ONLY) ||
	    (!(e->head.flags & ENTRY_TABLE) && e->head.nr))
		goto miss;
	want = sizeof(e->head) + (e->head.flags & ENTRY_TABLE ?
				  table_offset(e->head.text_len) +
				  e->head.nr * sizeof(struct pcr_tepsym_saved) : e->head.text_len);
	if ((uint64_t)st.st_size != want)
		goto miss;
	/* Used now: the eviction of pcr_kscache_store() removes the least recently used. */
	futimens(e->fd, NULL);
	*out = e;
	return 1;
miss:
	pcr_kscache_entry_free(e);
	return 0;
}

int pcr_kscache_any(const struct pcr_kscache_entry *e)
{
	return e->head.any;
}

int pcr_kscache_load(struct pcr_kscache_entry *e, char **text, size_t *len,
		     const struct pcr_tepsym_saved **syms, size_t *nr, bool *tep_only)
{
	size_t text_len = (size_t)e->head.text_len, at = table_offset(text_len + 1);
	size_t table_bytes = (size_t)e->head.nr * sizeof(struct pcr_tepsym_saved);
	uint64_t stop;
	uint8_t hash[16];
	char *buf;

	*text = NULL;
	*syms = NULL;
	/* The table past the text's NUL, 8-aligned: one buffer for both. */
	buf = pcr_alloc_large(at + table_bytes);
	if (!buf)
		return -PCR_ERR_NOMEM;
	if (pcr_bytecur_pread(e->fd, buf, text_len, sizeof(e->head), &stop) ||
	    pcr_bytecur_pread(e->fd, buf + at, table_bytes,
			      sizeof(e->head) + table_offset(text_len), &stop))
		goto damaged;
	hash2(hash, buf, text_len, buf + at, table_bytes);
	if (memcmp(hash, e->head.hash, sizeof(hash)))
		goto damaged;
	buf[text_len] = '\0';
	*text = buf;
	*len = text_len;
	/* A table of no function (kallsyms of none) is still a table: not parsed again. */
	*syms = e->head.flags & ENTRY_TABLE ? (const struct pcr_tepsym_saved *)(buf + at) : NULL;
	*nr = (size_t)e->head.nr;
	*tep_only = e->head.flags & ENTRY_TEP_ONLY;
	return 0;
damaged:
	free(buf);
	return -PCR_ERR_FORMAT;
}

void pcr_kscache_entry_free(struct pcr_kscache_entry *e)
{
	if (!e)
		return;
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

/* mkdir -p, 0700 for what it makes. */
static int make_dir(const char *dir)
{
	char path[4096];
	size_t i;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return -PCR_ERR_INVAL;
	for (i = 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			return -PCR_ERR_IO;
		path[i] = '/';
	}
	return mkdir(path, 0700) && errno != EEXIST ? -PCR_ERR_IO : 0;
}

struct aged {
	struct timespec used;
	char name[64];
};

static int older_first(const void *a, const void *b)
{
	const struct aged *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	if (x->used.tv_nsec != y->used.tv_nsec)
		return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Removes the least recently used entries past PCR_KSCACHE_KEEP, and the new entries a replay
 * killed while writing left behind (older than STALE_NEW_SECS: another replay may be writing a
 * younger one now).
 */
static void evict(const char *dir)
{
	struct aged *all = NULL;
	size_t nr = 0, cap = 0, i;
	struct timespec now;
	struct dirent *d;
	DIR *dp = opendir(dir);
	int dfd;

	if (!dp)
		return;
	dfd = dirfd(dp);
	clock_gettime(CLOCK_REALTIME, &now);
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name);
		struct stat st;

		if (fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (!strncmp(d->d_name, NEW_PREFIX, strlen(NEW_PREFIX))) {
			if (st.st_mtim.tv_sec + STALE_NEW_SECS < now.tv_sec)
				unlinkat(dfd, d->d_name, 0);
			continue;
		}
		if (strncmp(d->d_name, ENTRY_PREFIX, strlen(ENTRY_PREFIX)) ||
		    len >= sizeof(all->name))
			continue;
		if (nr == cap) {
			struct aged *more = realloc(all, (cap = cap ? cap * 2 : 32) * sizeof(*all));

			if (!more)
				break;
			all = more;
		}
		all[nr].used = st.st_mtim;
		memcpy(all[nr].name, d->d_name, len + 1);
		nr++;
	}
	if (nr > PCR_KSCACHE_KEEP) {
		qsort(all, nr, sizeof(*all), older_first);
		for (i = 0; i < nr - PCR_KSCACHE_KEEP; i++)
			unlinkat(dfd, all[i].name, 0);
	}
	free(all);
	closedir(dp);
}

int pcr_kscache_store(const char *dir, const struct pcr_kscache_key *key,
		      const struct pcr_kscache_item *item)
{
	static const char zeros[8];
	struct entry_header head = { .mark = ENTRY_MARK, .text_len = item->len, .any = item->any };
	size_t table_bytes = item->syms ? item->nr * sizeof(*item->syms) : 0;
	char tmp[4096], path[4096];
	int fd, ret;

	if (!item->len || item->len > ENTRY_MAX_TEXT)
		return -PCR_ERR_INVAL;
	ret = make_dir(dir);
	if (ret)
		return ret;
	memcpy(head.magic, ENTRY_MAGIC, sizeof(head.magic));
	memcpy(head.key, key->bytes, sizeof(head.key));
	head.flags = (item->syms ? ENTRY_TABLE : 0) | (item->tep_only ? ENTRY_TEP_ONLY : 0);
	head.nr = item->syms ? item->nr : 0;
	hash2(head.hash, item->text, item->len, item->syms, table_bytes);
	if (snprintf(tmp, sizeof(tmp), "%s/" NEW_PREFIX "XXXXXX", dir) >= (int)sizeof(tmp))
		return -PCR_ERR_INVAL;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -PCR_ERR_IO;
	ret = pcr_bytecur_write_all(fd, &head, sizeof(head)) ||
	      pcr_bytecur_write_all(fd, item->text, item->len) ||
	      (item->syms &&
	       pcr_bytecur_write_all(fd, zeros, table_offset(item->len) - item->len)) ||
	      pcr_bytecur_write_all(fd, item->syms, table_bytes) ? -PCR_ERR_IO : 0;
	if (close(fd) && !ret)
		ret = -PCR_ERR_IO;
	entry_path(path, sizeof(path), dir, key);
	if (!ret && rename(tmp, path))
		ret = -PCR_ERR_IO;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	evict(dir);
	return 0;
}
