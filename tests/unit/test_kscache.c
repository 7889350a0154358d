// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of formats/kscache.c, the kallsyms cache: an entry written and found again gives
 * back the text and a table that names every address as the table it was saved from; another
 * key, a cut entry and a changed byte are misses or damage, never other names; the least
 * recently used entries past PCR_KSCACHE_KEEP are removed.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kscache.h"
#include "pcr_formats.h"
#include "tepsyms.h"

static const char small[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81000100 T secondary_startup_64\n"
	"ffffffff81000100 t alias_b\n"
	"ffffffff81000300 T verify_cpu\n"
	"ffffffffc0000000 t mod_first\t[othermod]\n"
	"ffffffff81000400 T _etext\n";

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_kscache.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(kscache, .init = make_dir, .fini = remove_dir);

static void key_of(struct pcr_kscache_key *key, int n)
{
	char bytes[32];

	snprintf(bytes, sizeof(bytes), "block %d", n);
	pcr_kscache_key(key, "v6", bytes, strlen(bytes));
}

static char *entry_path(const struct pcr_kscache_key *key)
{
	static char path[256];
	int n = snprintf(path, sizeof(path), "%s/kallsyms-", dir);

	for (size_t i = 0; i < sizeof(key->bytes); i++)
		n += snprintf(path + n, sizeof(path) - (size_t)n, "%02x", key->bytes[i]);
	return path;
}

/* The small text, parsed, written under @key; returns the table it was saved from. */
static struct pcr_tepsyms *store_small(const struct pcr_kscache_key *key, char **text)
{
	struct pcr_kscache_item item = { .len = sizeof(small) - 1, .any = 1 };
	struct pcr_tepsym_saved *saved;
	struct pcr_tepsyms *t;

	*text = strdup(small);
	cr_assert_not_null(*text);
	cr_assert_eq(pcr_tepsyms_parse(&t, *text, item.len), 0);
	cr_assert_not_null(t);
	saved = malloc(pcr_tepsyms_saved_size(t));
	cr_assert_not_null(saved);
	pcr_tepsyms_save(t, *text, saved);
	item.text = *text;
	item.syms = saved;
	item.nr = pcr_tepsyms_count(t);
	cr_assert_eq(pcr_kscache_store(dir, key, &item), 0);
	free(saved);
	return t;
}

Test(kscache, found_again_names_as_before)
{
	static const uint64_t addrs[] = { 0xffffffff81000000, 0xffffffff81000050, 0xffffffff81000100,
					  0xffffffff810002ff, 0xffffffff81000300, 0xffffffff81000400,
					  0xffffffffc0000010, 0x10 };
	const struct pcr_tepsym_saved *saved;
	struct pcr_kscache_entry *e;
	struct pcr_tepsyms *t, *back;
	struct pcr_kscache_key key;
	char *text, *loaded;
	size_t len, nr;
	bool tep_only;

	key_of(&key, 1);
	t = store_small(&key, &text);
	cr_assert_eq(pcr_kscache_find(dir, &key, &e), 1);
	cr_assert_eq(pcr_kscache_any(e), 1);
	cr_assert_eq(pcr_kscache_load(e, &loaded, &len, &saved, &nr, &tep_only), 0);
	cr_assert_eq(len, sizeof(small) - 1);
	cr_assert_eq(memcmp(loaded, text, len), 0);
	cr_assert_not(tep_only);
	/* 6 functions: not the 'A' line; aliases each */
	cr_assert_eq(nr, 7);
	cr_assert_eq(pcr_tepsyms_load(&back, loaded, len + 1, saved, nr), 0);
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		struct pcr_symbol a = { 0 }, b = { 0 };
		int ra = pcr_tepsyms_resolve(t, addrs[i], &a), rb = pcr_tepsyms_resolve(back, addrs[i], &b);

		cr_assert_eq(ra, rb, "0x%llx", (unsigned long long)addrs[i]);
		if (ra)
			continue;
		cr_assert_str_eq(a.name, b.name);
		cr_assert_eq(a.start, b.start);
		cr_assert_eq(a.size, b.size);
	}
	/* hand-computed: 0x...350 lies in verify_cpu, which _etext ends 0x100 bytes on */
	{
		struct pcr_symbol s;

		cr_assert_eq(pcr_tepsyms_resolve(back, 0xffffffff81000350, &s), 0);
		cr_assert_str_eq(s.name, "verify_cpu");
		cr_assert_eq(s.start, 0xffffffff81000300);
		cr_assert_eq(s.size, 0x100);
	}
	pcr_tepsyms_free(back);
	pcr_tepsyms_free(t);
	free(loaded);
	free(text);
	pcr_kscache_entry_free(e);
}

Test(kscache, other_key_cut_or_changed)
{
	const struct pcr_tepsym_saved *saved;
	struct pcr_kscache_key key, other;
	struct pcr_kscache_entry *e;
	struct pcr_tepsyms *t;
	char *text, *loaded;
	size_t len, nr;
	bool tep_only;
	int fd;

	key_of(&key, 1);
	key_of(&other, 2);
	t = store_small(&key, &text);
	cr_assert_eq(pcr_kscache_find(dir, &other, &e), 0);
	cr_assert_null(e);
	/* a byte of the text changed: found (its header is whole), but not loaded */
	fd = open(entry_path(&key), O_WRONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pwrite(fd, "Z", 1, 100), 1);
	cr_assert_eq(pcr_kscache_find(dir, &key, &e), 1);
	cr_assert_eq(pcr_kscache_load(e, &loaded, &len, &saved, &nr, &tep_only), -PCR_ERR_FORMAT);
	pcr_kscache_entry_free(e);
	/* cut: not found */
	cr_assert_eq(ftruncate(fd, 200), 0);
	close(fd);
	cr_assert_eq(pcr_kscache_find(dir, &key, &e), 0);
	pcr_tepsyms_free(t);
	free(text);
}

/* A table whose names lie outside the text, or out of address order: refused. */
Test(kscache, table_checked_against_text)
{
	struct pcr_tepsym_saved bad[2] = { { .addr = 2, .name = 0 }, { .addr = 1, .name = 2 } };
	char text[] = "ab\0cd";
	struct pcr_tepsyms *t;

	cr_assert_eq(pcr_tepsyms_load(&t, text, sizeof(text), bad, 2), -PCR_ERR_FORMAT);
	bad[1].addr = 3;
	bad[1].name = sizeof(text);
	cr_assert_eq(pcr_tepsyms_load(&t, text, sizeof(text), bad, 2), -PCR_ERR_FORMAT);
	bad[1].name = 3;
	cr_assert_eq(pcr_tepsyms_load(&t, text, sizeof(text), bad, 2), 0);
	pcr_tepsyms_free(t);
}

static void set_used(const struct pcr_kscache_key *key, time_t when)
{
	struct timespec times[2] = { { .tv_sec = when }, { .tv_sec = when } };

	cr_assert_eq(utimensat(AT_FDCWD, entry_path(key), times, 0), 0);
}

Test(kscache, least_recently_used_removed)
{
	struct pcr_kscache_item item = { .text = "ffffffff81000000 T _text\n", .len = 25 };
	struct pcr_kscache_entry *e;
	struct pcr_kscache_key key;
	int i, n = PCR_KSCACHE_KEEP + 4;

	for (i = 0; i < n; i++) {
		key_of(&key, i);
		cr_assert_eq(pcr_kscache_store(dir, &key, &item), 0);
		set_used(&key, 1000000 + i);
	}
	for (i = 0; i < n; i++) {
		key_of(&key, i);
		cr_assert_eq(pcr_kscache_find(dir, &key, &e), i >= 4, "entry %d", i);
		pcr_kscache_entry_free(e);
		if (i >= 4)
			set_used(&key, 1000000 + i);	/* as before the find */
	}
	/* entry 4 used now: the next store removes 5, the oldest */
	key_of(&key, 4);
	cr_assert_eq(pcr_kscache_find(dir, &key, &e), 1);
	pcr_kscache_entry_free(e);
	key_of(&key, n);
	cr_assert_eq(pcr_kscache_store(dir, &key, &item), 0);
	key_of(&key, 5);
	cr_assert_eq(pcr_kscache_find(dir, &key, &e), 0);
	key_of(&key, 4);
	cr_assert_eq(pcr_kscache_find(dir, &key, &e), 1);
	pcr_kscache_entry_free(e);
}

/* Kallsyms of no function (only absolute symbols): a table of none, kept as one. */
Test(kscache, empty_table_stays_a_table)
{
	char text[] = "0000000000000000 A fixed_percpu_data\n";
	struct pcr_kscache_item item = { .text = text, .len = sizeof(text) - 1 };
	const struct pcr_tepsym_saved *saved;
	struct pcr_tepsym_saved none[1];
	struct pcr_kscache_entry *e;
	struct pcr_kscache_key key;
	struct pcr_tepsyms *t;
	size_t len, nr;
	bool tep_only;
	char *loaded;

	cr_assert_eq(pcr_tepsyms_parse(&t, text, item.len), 0);
	cr_assert_not_null(t);
	cr_assert_eq(pcr_tepsyms_count(t), 0);
	item.syms = none;
	item.nr = 0;
	key_of(&key, 7);
	cr_assert_eq(pcr_kscache_store(dir, &key, &item), 0);
	cr_assert_eq(pcr_kscache_find(dir, &key, &e), 1);
	cr_assert_eq(pcr_kscache_load(e, &loaded, &len, &saved, &nr, &tep_only), 0);
	cr_assert_not_null(saved);
	cr_assert_eq(nr, 0);
	pcr_kscache_entry_free(e);
	pcr_tepsyms_free(t);
	free(loaded);
}
