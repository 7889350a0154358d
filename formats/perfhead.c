// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data header parsing: the file header and its sections, the perf_event_attrs, the
 * features (HEADER_TRACING_DATA, build ids, release, compression) and the tracing data's event
 * formats. perfdata.c describes the format.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata.h"
#include "tepcheck.h"

/* ---- errors ---- */

int pcr_perf_err(struct perfdata_source *pd, char *errmsg, int err, uint64_t off,
		 const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* Inside compressed records @off counts decompressed bytes; name the record too. */
	if (pd->inflating)
		return pcr_errmsg(errmsg, err,
				  "%s: perf.data offset %" PRIu64 ", byte %" PRIu64 " of the records compressed with zstd (perf record -z): %s%s",
				  pd->name, pd->unz_rec, pd->unz_base + off, what,
				  err == -PCR_ERR_TRUNCATED ? " (the recording is truncated)" :
				  err == -PCR_ERR_FORMAT ? " (the file is corrupt)" : "");
	return pcr_errmsg(errmsg, err, "%s: perf.data offset %" PRIu64 ": %s%s", pd->name, off,
			  what, err == -PCR_ERR_TRUNCATED ?
			  " (the recording is truncated; record it again, or copy the whole file)" :
			  err == -PCR_ERR_FORMAT ? " (the file is corrupt)" : "");
}


/* ---- attrs ---- */

struct perf_attr *pcr_perf_attr_by_id(const struct perfdata_source *pd, uint64_t id)
{
	size_t i, j;

	for (i = 0; i < pd->nr_attrs; i++)
		for (j = 0; j < pd->attrs[i].nr_ids; j++)
			if (pd->attrs[i].ids[j] == id)
				return &pd->attrs[i];
	return NULL;
}

/* Takes one perf_event_attr of @size bytes at @p and the @nr_ids sample ids at @ids. */
int pcr_perf_add_attr(struct perfdata_source *pd, const unsigned char *p, size_t size,
		      const unsigned char *ids, size_t nr_ids, uint64_t off, char *errmsg)
{
	struct perf_attr *attrs, *a;
	size_t i;

	if (size < PERF_ATTR_SIZE_MIN)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a perf_event_attr of %zu bytes (at least %d expected)", size,
				    PERF_ATTR_SIZE_MIN);
	if (pd->nr_attrs >= 4096)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off, "more than 4096 event attrs");
	attrs = realloc(pd->attrs, (pd->nr_attrs + 1) * sizeof(*attrs));
	if (!attrs)
		return -PCR_ERR_NOMEM;
	pd->attrs = attrs;
	a = &attrs[pd->nr_attrs];
	memset(a, 0, sizeof(*a));
	a->type = get_u32(p);
	a->config = get_u64(p + 8);
	a->sample_type = get_u64(p + 24);
	a->read_format = get_u64(p + 32);
	a->sample_id_all = get_u64(p + 40) & ATTR_SAMPLE_ID_ALL;
	a->kind = PCR_EV_OTHER;
	if (nr_ids) {
		a->ids = malloc(nr_ids * sizeof(*a->ids));
		if (!a->ids)
			return -PCR_ERR_NOMEM;
		for (i = 0; i < nr_ids; i++)
			a->ids[i] = get_u64(ids + 8 * i);
		a->nr_ids = nr_ids;
	}
	if (a->sample_type & S_CALLCHAIN)
		pd->has_callchain = true;
	pd->nr_attrs++;
	return 0;
}

/*
 * Which attr a record belongs to. With PERF_SAMPLE_IDENTIFIER the id sits at a fixed place;
 * without it perf requires every attr to share the sample layout, so the first one tells where
 * the id is.
 */
bool pcr_perf_all_have(const struct perfdata_source *pd, uint64_t bit)
{
	size_t i;

	for (i = 0; i < pd->nr_attrs; i++)
		if (!(pd->attrs[i].sample_type & bit))
			return false;
	return pd->nr_attrs > 0;
}

/* ---- tracing data (HEADER_TRACING_DATA) ---- */

static int tracing_string(struct cursor *c, char *out, size_t size)
{
	const unsigned char *p = c->p + c->pos;
	const unsigned char *end = memchr(p, '\0', c->len - c->pos);
	size_t n;

	if (!end)
		return -1;
	n = (size_t)(end - p);
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), (const char *)p);
	c->pos += n + 1;
	return 0;
}

/* A NUL-terminated copy of @n bytes, for the libtraceevent parsers that want a C string. */
static char *dup_text(const unsigned char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/*
 * One event format of the tracing data: "u64 size, text". Only the events this reader reads (page
 * events, boot markers) are parsed, and only once they pass the kernel's grammar (tepcheck.c).
 */
static int take_format(struct perfdata_source *pd, struct cursor *c, const char *sys,
		       char *errmsg)
{
	char name[128], why[PCR_TEPCHECK_WHY];
	const unsigned char *data;
	uint64_t size, at;
	int ret;

	if (!cur_u64(c, &size) || !cur_take(c, size, &data))
		return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, cur_where(c),
				    "the tracing data (event formats) ends early");
	at = cur_where(c) - size;
	ret = pcr_tep_check_event((const char *)data, size, name, sizeof(name), why);
	/* The others never reach libtraceevent: whatever they hold does not matter here. */
	if (!pcr_kmem_wanted(sys, name) && !pcr_kmem_marker_wanted(sys, name))
		return 0;
	if (ret)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, at,
				    "the format of event %s:%s is not one a kernel writes (%s)", sys, name,
				    why);
	if (tep_parse_event(pd->tep, (const char *)data, size, sys))
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, at,
				    "libtraceevent cannot parse the format of event %s:%s", sys, name);
	return 0;
}

int pcr_perf_parse_tracing(struct perfdata_source *pd, const unsigned char *p, size_t len,
			   uint64_t off, char *errmsg)
{
	struct cursor c = { .p = p, .len = len, .off = off };
	const unsigned char *data;
	char version[16], sys[256], why[PCR_TEPCHECK_WHY];
	uint32_t count, nsys, size32, i, j, page_size;
	uint64_t size;
	unsigned char endian, long_size;
	char *text;
	int ret;

	if (pd->have_tracing)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off, "a second block of tracing data");
	if (!cur_take(&c, TRACING_MAGIC_LEN, &data) || memcmp(data, TRACING_MAGIC,
							     TRACING_MAGIC_LEN))
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "the tracing data does not start with its magic");
	if (tracing_string(&c, version, sizeof(version)) || !cur_take(&c, 1, &data))
		goto truncated;
	endian = data[0];
	if (!cur_take(&c, 1, &data))
		goto truncated;
	long_size = data[0];
	if (!cur_u32(&c, &page_size))
		goto truncated;
	if (endian)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c),
				    "big-endian tracing data, which this reader does not decode");
	if (long_size != 4 && long_size != 8)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c), "long size %u",
				    long_size);
	pd->tep = tep_alloc();
	if (!pd->tep)
		return -PCR_ERR_NOMEM;
	tep_set_flag(pd->tep, TEP_NSEC_OUTPUT);
	tep_set_file_bigendian(pd->tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(pd->tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(pd->tep, long_size);
	tep_set_page_size(pd->tep, (int)page_size);

	/* header_page, header_event: "name\0", u64 size, text */
	if (!cur_take(&c, 12, &data) || memcmp(data, "header_page", 12))
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c),
				    "no header_page in the tracing data");
	/*
	 * header_page describes ftrace's ring buffer pages, which a perf.data does not hold:
	 * it is not parsed, so that no malformed one reaches tep_parse_header_page().
	 */
	if (!cur_u64(&c, &size) || !cur_take(&c, size, NULL))
		goto truncated;
	if (!cur_take(&c, 13, &data) || memcmp(data, "header_event", 13))
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c),
				    "no header_event in the tracing data");
	if (!cur_u64(&c, &size) || !cur_take(&c, size, NULL))
		goto truncated;

	/* ftrace's own event formats, then each system's */
	if (!cur_u32(&c, &count))
		goto truncated;
	for (i = 0; i < count; i++) {
		ret = take_format(pd, &c, "ftrace", errmsg);
		if (ret)
			return ret;
	}
	if (!cur_u32(&c, &nsys))
		goto truncated;
	for (i = 0; i < nsys; i++) {
		if (tracing_string(&c, sys, sizeof(sys)) || !cur_u32(&c, &count))
			goto truncated;
		for (j = 0; j < count; j++) {
			ret = take_format(pd, &c, sys, errmsg);
			if (ret)
				return ret;
		}
	}

	/* kallsyms and printk formats: u32 size, text; then (0.6) saved cmdlines: u64 size */
	if (!cur_u32(&c, &size32) || !cur_take(&c, size32, &data))
		goto truncated;
	if (size32) {
		if (pcr_tep_check_kallsyms((const char *)data, size32, why))
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c) - size32,
					    "kallsyms in the tracing data, %s", why);
		text = dup_text(data, size32);
		if (!text)
			return -PCR_ERR_NOMEM;
		tep_parse_kallsyms(pd->tep, text);
		free(text);
	}
	/*
	 * The printk formats only name trace_printk() strings, which no page event uses; they
	 * are skipped: libtraceevent 1.7.1's tep_parse_printk_formats() reads before its buffer
	 * on some malformed texts (found by tests/fuzz/fuzz_perfdata).
	 */
	if (!cur_u32(&c, &size32) || !cur_take(&c, size32, NULL))
		goto truncated;
	if (strcmp(version, "0.6") >= 0 && c.pos < c.len) {
		if (!cur_u64(&c, &size) || !cur_take(&c, size, &data))
			goto truncated;
		if (size) {
			if (pcr_tep_check_cmdlines((const char *)data, size, why))
				return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT,
						    cur_where(&c) - size,
						    "saved cmdlines in the tracing data, %s", why);
			text = dup_text(data, size);
			if (!text)
				return -PCR_ERR_NOMEM;
			tep_parse_saved_cmdlines(pd->tep, text);
			free(text);
		}
	}
	pd->have_tracing = true;
	pd->nr_markers = pcr_kmem_find_markers(pd->markers, PCR_MAX_MARKERS, pd->tep);
	pd->base.info.has_hooks = pcr_kmem_markers_have(pd->markers, pd->nr_markers,
							PCR_EV_HOOK_ALLOC);
	pd->base.info.has_isolation = pcr_kmem_markers_have(pd->markers, pd->nr_markers,
							    PCR_EV_ISOLATE);
	ret = pcr_kmem_find_layouts(pd->layout, pd->tep, pd->name, errmsg);
	return ret < 0 ? ret : 0;

truncated:
	return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, cur_where(&c),
			    "the tracing data (event formats) ends early");
}

/* ---- features ---- */

/* perf_header_string: u32 len, then len bytes holding a NUL-terminated string. */
static char *feature_string(const unsigned char *p, size_t len)
{
	uint32_t n;

	if (len < 4)
		return NULL;
	n = get_u32(p);
	if (n > len - 4)
		return NULL;
	return dup_text(p + 4, strnlen((const char *)p + 4, n));
}

/*
 * HEADER_BUILD_ID: build_id_event records, each u32 type, u16 misc, u16 size, s32 pid, 24 bytes
 * of build id, then the file name NUL-padded to size; the kernel's name is "[kernel.kallsyms]".
 * Newer perf sets PERF_RECORD_MISC_BUILD_ID_SIZE (bit 15 of misc) and keeps the id's length in
 * byte 20; older perf wrote 20-byte SHA-1 ids only. A malformed list is passed over: the build
 * id only checks a --vmlinux.
 */
static void take_build_ids(struct perfdata_source *pd, const unsigned char *p, size_t len)
{
	size_t off = 0;

	while (len - off >= 36) {
		uint16_t misc = get_u16(p + off + 4), size = get_u16(p + off + 6);
		const unsigned char *id = p + off + 12;
		const char *name = (const char *)p + off + 36;
		size_t idlen = misc & (1u << 15) ? id[20] : 20, i;

		if (size < 36 || size > len - off)
			return;
		if (idlen && idlen <= 20 && memchr(name, '\0', size - 36u) &&
		    !strcmp(name, "[kernel.kallsyms]"))
			for (i = 0; i < idlen; i++)
				snprintf(pd->build_id + 2 * i, 3, "%02x", id[i]);
		off += size;
	}
}

int pcr_perf_take_feature(struct perfdata_source *pd, int feat, const unsigned char *p, size_t len,
			  uint64_t off, char *errmsg)
{
	char **slot = NULL;

	switch (feat) {
	case FEAT_TRACING_DATA:
		return pcr_perf_parse_tracing(pd, p, len, off, errmsg);
	case FEAT_BUILD_ID:
		take_build_ids(pd, p, len);
		return 0;
	case FEAT_OSRELEASE:
		slot = &pd->osrelease;
		break;
	case FEAT_HOSTNAME:
		slot = &pd->hostname;
		break;
	case FEAT_ARCH:
		slot = &pd->arch;
		break;
	case FEAT_NRCPUS:
		if (len >= 4 && get_u32(p) <= 65536)
			pd->nr_cpus_feature = (int)get_u32(p);
		return 0;
	case FEAT_COMPRESSED:
		/* u32 version, type, level, ratio, mmap_len */
		if (len < 8)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "a compression header of %zu bytes", len);
		pd->comp_type = get_u32(p + 4);
		return 0;
	default:
		return 0;
	}
	free(*slot);
	*slot = feature_string(p, len);
	return 0;
}

/* Gives each tracepoint attr its kmem kind, once the formats are known. */
void pcr_perf_attr_kinds(struct perfdata_source *pd)
{
	size_t i;
	int k;

	for (i = 0; i < pd->nr_attrs; i++) {
		struct perf_attr *a = &pd->attrs[i];

		a->kind = PCR_EV_OTHER;
		if (a->type != PERF_TYPE_TRACEPOINT || !pd->have_tracing || a->config > INT32_MAX)
			continue;
		k = pcr_kmem_kind_of(pd->layout, (int)a->config);
		if (k != PCR_EV_NONE)
			a->kind = k;
	}
}


/* ---- file mode ---- */

int pcr_perf_parse_file_header(struct perfdata_source *pd, char *errmsg)
{
	const unsigned char *h = pd->buf;
	uint64_t hsize, attr_size, attrs_off, attrs_size, data_off, data_size, feat_off;
	uint64_t i, n;
	int bit, nfeat = 0, ret;

	if (pd->len < PERF_FILE_HEADER_SIZE)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, pd->len,
				    "the file header needs %d bytes, the file has %zu",
				    PERF_FILE_HEADER_SIZE, pd->len);
	hsize = get_u64(h + 8);
	attr_size = get_u64(h + 16);
	attrs_off = get_u64(h + 24);
	attrs_size = get_u64(h + 32);
	data_off = get_u64(h + 40);
	data_size = get_u64(h + 48);
	if (hsize < PERF_FILE_HEADER_SIZE)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, 8, "a file header of %" PRIu64 " bytes",
				    hsize);
	if (attr_size < PERF_ATTR_SIZE_MIN + 16 || attr_size > 4096)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, 16, "attr entries of %" PRIu64 " bytes",
				    attr_size);
	if (!in_bounds(pd->len, attrs_off, attrs_size))
		return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, 24,
				    "the attr section [%" PRIu64 ", +%" PRIu64 ") lies past the end (%zu bytes)",
				    attrs_off, attrs_size, pd->len);
	if (!in_bounds(pd->len, data_off, data_size))
		return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, 40,
				    "the data section [%" PRIu64 ", +%" PRIu64 ") lies past the end (%zu bytes)",
				    data_off, data_size, pd->len);

	/* The features: one section each, in bit order, right after the data. */
	feat_off = data_off + data_size;
	for (bit = 0; bit < PERF_FEAT_BITS; bit++) {
		const unsigned char *s;
		uint64_t soff, ssize;

		if (!(h[72 + bit / 8] & (1u << (bit % 8))))
			continue;
		if (!in_bounds(pd->len, feat_off + 16ull * nfeat, 16))
			return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED,
					    feat_off + 16ull * nfeat,
					    "the feature index is cut (feature %d)", bit);
		s = pd->buf + feat_off + 16ull * nfeat++;
		soff = get_u64(s);
		ssize = get_u64(s + 8);
		if (!in_bounds(pd->len, soff, ssize))
			return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED,
					    feat_off + 16ull * (nfeat - 1),
					    "feature %d [%" PRIu64 ", +%" PRIu64 ") lies past the end",
					    bit, soff, ssize);
		ret = pcr_perf_take_feature(pd, bit, pd->buf + soff, ssize, soff, errmsg);
		if (ret)
			return ret;
	}

	n = attrs_size / attr_size;
	for (i = 0; i < n; i++) {
		uint64_t eoff = attrs_off + i * attr_size;
		const unsigned char *e = pd->buf + eoff;
		uint64_t ids_off = get_u64(e + attr_size - 16);
		uint64_t ids_size = get_u64(e + attr_size - 8);

		if (!in_bounds(pd->len, ids_off, ids_size) || ids_size % 8 ||
		    ids_size / 8 > 1u << 20)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, eoff + attr_size - 16,
					    "the ids of attr %" PRIu64 " [%" PRIu64 ", +%" PRIu64
					    ") lie past the end", i, ids_off, ids_size);
		ret = pcr_perf_add_attr(pd, e, attr_size - 16, pd->buf + ids_off, ids_size / 8,
					eoff, errmsg);
		if (ret)
			return ret;
	}
	return pcr_perf_parse_records(pd, pd->buf, data_off, data_off + data_size, NULL, errmsg);
}

