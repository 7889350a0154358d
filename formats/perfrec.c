// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data records: samples (page events, their callchains), comm, fork, lost, the records of
 * the pipe mode's header and those compressed by perf record -z. perfdata.c describes the format.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata.h"

/* ---- records ---- */

/* The sample_id_all trailer of a non-sample record: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER. */
struct sample_id {
	uint64_t ts;
	uint32_t pid;
	uint32_t cpu;
	bool have_ts;
	bool have_cpu;
};

static int trailer_size(uint64_t st)
{
	return 8 * (!!(st & S_TID) + !!(st & S_TIME) + !!(st & S_ID) + !!(st & S_STREAM_ID) +
		    !!(st & S_CPU) + !!(st & S_IDENTIFIER));
}

static void parse_trailer(const struct perfdata_source *pd, const unsigned char *body,
			  size_t len, struct sample_id *sid)
{
	const struct perf_attr *a = NULL;
	const unsigned char *p;
	uint64_t st;
	int n;

	memset(sid, 0, sizeof(*sid));
	if (!pd->nr_attrs)
		return;
	if (pcr_perf_all_have(pd, S_IDENTIFIER) && len >= 8)
		a = pcr_perf_attr_by_id(pd, get_u64(body + len - 8));
	if (!a)
		a = &pd->attrs[0];
	if (!a->sample_id_all)
		return;
	st = a->sample_type;
	n = trailer_size(st);
	if ((size_t)n > len)
		return;
	p = body + len - n;
	if (st & S_TID) {
		sid->pid = get_u32(p + 4);
		p += 8;
	}
	if (st & S_TIME) {
		sid->ts = get_u64(p);
		sid->have_ts = true;
		p += 8;
	}
	p += 8 * (!!(st & S_ID) + !!(st & S_STREAM_ID));
	if (st & S_CPU) {
		sid->cpu = get_u32(p);
		sid->have_cpu = true;
	}
}

static int add_lost(struct perfdata_source *pd, const unsigned char *body, size_t len,
		    uint64_t count, bool known)
{
	struct sample_id sid;
	struct perf_item *it;

	parse_trailer(pd, body, len, &sid);
	it = pcr_perf_new_item(pd, ITEM_EVENT);
	if (!it)
		return -PCR_ERR_NOMEM;
	it->ev.kind = PCR_EV_LOST;
	it->ev.lost = known ? count : 0;
	it->ev.ts_ns = sid.ts;
	it->ev.cpu = (uint16_t)sid.cpu;
	if (sid.have_cpu)
		pcr_perf_see_cpu(pd, sid.cpu);
	return 0;
}

static int add_comm(struct perfdata_source *pd, const unsigned char *body, size_t len)
{
	struct sample_id sid;
	struct perf_item *it;
	size_t n;

	if (len < 8)
		return 0;
	parse_trailer(pd, body, len, &sid);
	if (pd->nr_comms == pd->cap_comms) {
		size_t cap = pd->cap_comms ? pd->cap_comms * 2 : 256;
		char (*comms)[PCR_COMM_LEN] = realloc(pd->comms, cap * sizeof(*comms));

		if (!comms)
			return -PCR_ERR_NOMEM;
		pd->comms = comms;
		pd->cap_comms = cap;
	}
	n = strnlen((const char *)body + 8, len - 8);
	if (n >= PCR_COMM_LEN)
		n = PCR_COMM_LEN - 1;
	memcpy(pd->comms[pd->nr_comms], body + 8, n);
	pd->comms[pd->nr_comms][n] = '\0';
	it = pcr_perf_new_item(pd, ITEM_COMM);
	if (!it)
		return -PCR_ERR_NOMEM;
	it->ev.pid = (int32_t)get_u32(body + 4);	/* the thread */
	it->ev.ts_ns = sid.ts;
	it->comm = (uint32_t)pd->nr_comms++;
	return 0;
}

static int add_fork(struct perfdata_source *pd, const unsigned char *body, size_t len)
{
	struct perf_item *it;

	/* pid, ppid, tid, ptid, time */
	if (len < 24)
		return 0;
	it = pcr_perf_new_item(pd, ITEM_FORK);
	if (!it)
		return -PCR_ERR_NOMEM;
	it->ev.pid = (int32_t)get_u32(body + 8);
	it->parent = (int32_t)get_u32(body + 12);
	it->ev.ts_ns = get_u64(body + 16);
	return 0;
}

/*
 * perf record's kernel map: PERF_RECORD_MMAP (u32 pid, tid, u64 start, len, pgoff, filename) or
 * MMAP2 (the same with 24 bytes of device or build id and u32 prot, flags before the filename),
 * pid -1, named "[kernel.kallsyms]" and the symbol whose address pgoff holds. Its start tells
 * where the traced boot put the kernel (KASLR); module maps are not needed.
 */
static void take_mmap(struct perfdata_source *pd, const unsigned char *body, size_t len,
		      bool mmap2)
{
	static const char prefix[] = "[kernel.kallsyms]";
	const size_t plen = sizeof(prefix) - 1, at = mmap2 ? 64 : 32;
	const char *name = (const char *)body + at;
	uint64_t start, size;
	size_t n;

	if (len <= at || get_u32(body) != UINT32_MAX)
		return;
	n = strnlen(name, len - at);
	if (n == len - at || n <= plen || n - plen >= sizeof(pd->ktext_sym) ||
	    strncmp(name, prefix, plen))
		return;
	snprintf(pd->ktext_sym, sizeof(pd->ktext_sym), "%s", name + plen);
	start = get_u64(body + 8);
	size = get_u64(body + 16);
	pd->ktext_addr = get_u64(body + 24) ? get_u64(body + 24) : start;
	pd->ktext_end = start + size < start ? 0 : start + size;
}

/* The kernel frames of a callchain, markers skipped, into the depot. */
static int take_callchain(struct perfdata_source *pd, const unsigned char *ips, uint64_t nr,
			  uint32_t *stack_id)
{
	uint64_t frames[PCR_MAX_FRAMES];
	unsigned int n = 0;
	bool kernel = true;
	uint64_t i;

	*stack_id = 0;
	for (i = 0; i < nr; i++) {
		uint64_t ip = get_u64(ips + 8 * i);

		if (ip >= PERF_CONTEXT_MAX) {
			kernel = ip == PERF_CONTEXT_KERNEL;
			continue;
		}
		if (kernel && n < PCR_MAX_FRAMES)
			frames[n++] = ip;
	}
	pd->base.info.stacks.records++;
	if (!n)
		return 0;
	return pcr_depot_add(pd->depot, frames, n, stack_id);
}

/* Counts a page sample of @cpu for the idle check; @idle: the idle task took it. */
static int tally_page(struct perfdata_source *pd, uint32_t cpu, bool idle)
{
	if (cpu >= pd->nr_tally) {
		size_t n = cpu + 1u > 2 * pd->nr_tally ? cpu + 1u : 2 * pd->nr_tally;
		struct idle_tally *t = realloc(pd->tally, n * sizeof(*t));

		if (!t)
			return -PCR_ERR_NOMEM;
		memset(t + pd->nr_tally, 0, (n - pd->nr_tally) * sizeof(*t));
		pd->tally = t;
		pd->nr_tally = n;
	}
	pd->tally[cpu].page++;
	pd->tally[cpu].idle += idle;
	return 0;
}

/*
 * The idle check. A kernel can drop a tracepoint sample after counting it and write neither
 * the sample nor a LOST record: on the 6.18 kernel these recordings come from, every page
 * event the idle task (pid 0) hits in softirq on CPU 1 (RCU callbacks freeing page tables,
 * for example) is counted by the perf event and never written, while ftrace records it (see
 * README, "perf loses the idle CPU's page events"). Those frees are then missing and their
 * pages look allocated twice. Nothing in the file names the loss; its signature is a CPU with
 * page samples of which not one is the idle task's, although a CPU that ever idles runs such
 * softirqs. Each such CPU gets a lost notice of unknown size after the last sample, which
 * makes the verdict inconclusive (a CPU that really never idled is judged the same way: the
 * file cannot tell the two apart). A CPU with no page sample at all is not judged.
 */
int pcr_perf_idle_check(struct perfdata_source *pd)
{
	uint64_t last = 0;
	size_t i, n = 0;
	int len = 0;

	for (i = 0; i < pd->nr_items; i++)
		if (pd->items[i].ev.ts_ns > last)
			last = pd->items[i].ev.ts_ns;
	for (i = 0; i < pd->nr_tally; i++) {
		struct perf_item *it;

		if (!pd->tally[i].page || pd->tally[i].idle)
			continue;
		it = pcr_perf_new_item(pd, ITEM_EVENT);
		if (!it)
			return -PCR_ERR_NOMEM;
		it->ev.kind = PCR_EV_LOST;
		it->ev.cpu = (uint16_t)i;
		it->ev.ts_ns = last;
		if (len >= 0 && (size_t)len < sizeof(pd->loss_note))
			len += snprintf(pd->loss_note + len, sizeof(pd->loss_note) - (size_t)len,
					"%sCPU %zu (%" PRIu64 " page samples)", n ? ", " : "", i,
					pd->tally[i].page);
		n++;
	}
	if (!n)
		return 0;
	if (len >= 0 && (size_t)len < sizeof(pd->loss_note))
		snprintf(pd->loss_note + len, sizeof(pd->loss_note) - (size_t)len,
			 " %s no sample of the idle task (pid 0): perf drops, without a LOST record, the page events of an idle CPU's softirqs (RCU frees among them); record with trace-cmd (pagecheck-replay record, or trace-cmd record -d --no-filter -e kmem:...), which keeps them",
			 n > 1 ? "hold" : "holds");
	pd->base.info.loss_note = pd->loss_note;
	return 0;
}

/* The bytes a PERF_SAMPLE_READ value takes. */
static bool skip_read(struct cursor *c, uint64_t rf)
{
	uint64_t nr, per;

	if (!(rf & R_GROUP))
		return cur_take(c, 8 * (1 + !!(rf & R_TOTAL_TIME_ENABLED) +
					!!(rf & R_TOTAL_TIME_RUNNING) + !!(rf & R_ID) +
					!!(rf & R_LOST)), NULL);
	if (!cur_u64(c, &nr) ||
	    !cur_take(c, 8 * (!!(rf & R_TOTAL_TIME_ENABLED) + !!(rf & R_TOTAL_TIME_RUNNING)),
		      NULL))
		return false;
	per = 8 * (1 + !!(rf & R_ID) + !!(rf & R_LOST));
	if (nr > (c->len - c->pos) / per)
		return false;
	return cur_take(c, nr * per, NULL);
}

/* The larger of @need and the end of field @f in a record. */
static uint32_t field_end(const struct tep_format_field *f, uint32_t need)
{
	uint64_t end;

	if (!f || f->offset < 0 || f->size < 0)
		return need;
	end = (uint64_t)f->offset + (uint64_t)f->size;
	return end > need ? (uint32_t)(end > UINT32_MAX ? UINT32_MAX : end) : need;
}

static int add_sample(struct perfdata_source *pd, const unsigned char *body, size_t len,
		      uint64_t off, char *errmsg)
{
	struct cursor c = { .p = body, .len = len, .off = off };
	const struct perf_attr *a = NULL;
	const unsigned char *raw = NULL, *ips = NULL, *p;
	struct tep_record rec;
	struct perf_item *it;
	uint64_t st, v, nr = 0, id;
	uint32_t raw_size = 0, pid = 0, cpu = 0, need = 0;
	const struct pcr_kmem_layout *l;
	int ret, k;

	if (!pd->nr_attrs)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off, "a sample before any event attr");
	if (pcr_perf_all_have(pd, S_IDENTIFIER)) {
		if (len < 8)
			goto short_sample;
		id = get_u64(body);
		a = pcr_perf_attr_by_id(pd, id);
		if (!a && pd->nr_attrs > 1)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "a sample of an unknown event id %" PRIu64, id);
	} else if (pd->nr_attrs > 1) {
		st = pd->attrs[0].sample_type;
		if (!(st & S_ID))
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "several events, but samples carry no id");
		v = 8 * (!!(st & S_IP) + !!(st & S_TID) + !!(st & S_TIME) + !!(st & S_ADDR));
		if (!in_bounds(len, v, 8))
			goto short_sample;
		id = get_u64(body + v);
		a = pcr_perf_attr_by_id(pd, id);
		if (!a)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "a sample of an unknown event id %" PRIu64, id);
	}
	if (!a)
		a = &pd->attrs[0];
	st = a->sample_type;

	if ((st & S_IDENTIFIER) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if ((st & S_IP) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if (st & S_TID) {
		if (!cur_take(&c, 8, &p))
			goto short_sample;
		pid = get_u32(p + 4);	/* the thread, as ftrace's common_pid */
	}
	it = NULL;
	v = 0;
	if ((st & S_TIME) && !cur_u64(&c, &v))
		goto short_sample;
	if ((st & S_ADDR) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if ((st & S_ID) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if ((st & S_STREAM_ID) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if (st & S_CPU) {
		if (!cur_take(&c, 8, &p))
			goto short_sample;
		cpu = get_u32(p);
		if (cpu >= 65536)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off, "a sample of cpu %" PRIu32,
					    cpu);
	}
	if ((st & S_PERIOD) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if ((st & S_READ) && !skip_read(&c, a->read_format))
		goto short_sample;
	if (st & S_CALLCHAIN) {
		if (!cur_u64(&c, &nr) || nr > (c.len - c.pos) / 8 || !cur_take(&c, nr * 8, &ips))
			goto short_sample;
	}
	if (st & S_RAW) {
		if (!cur_u32(&c, &raw_size) || !cur_take(&c, raw_size, &raw))
			goto short_sample;
	}
	/* What follows RAW (branch stack, registers, ...) is not needed. */

	pcr_perf_see_cpu(pd, cpu);
	it = pcr_perf_new_item(pd, ITEM_EVENT);
	if (!it)
		return -PCR_ERR_NOMEM;
	it->ev.ts_ns = v;
	it->ev.cpu = (uint16_t)cpu;
	it->ev.pid = (int32_t)pid;
	k = a->kind;
	memset(&rec, 0, sizeof(rec));
	rec.ts = v;
	rec.cpu = (int)cpu;
	rec.size = (int)raw_size;
	rec.data = (void *)raw;
	if (k == PCR_EV_OTHER || !raw) {
		it->ev.kind = PCR_EV_OTHER;
		/* A boot marker, when the sample's raw data is one (its first u16 is the id). */
		if (raw && raw_size >= 2 && pd->nr_markers)
			pcr_kmem_read_marker(pd->tep, pd->markers, pd->nr_markers, get_u16(raw),
					     &rec, &it->ev);
		return 0;
	}
	l = &pd->layout[k];
	need = field_end(l->pfn, need);
	need = field_end(l->order, need);
	if (k == PCR_EV_ALLOC) {
		need = field_end(l->gfp, need);
		need = field_end(l->migratetype, need);
	}
	if (raw_size < need || raw_size < 2)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a %s sample whose raw data holds %" PRIu32 " bytes (%" PRIu32
				    " needed)", pcr_kmem_event_name(k), raw_size, need);
	if (get_u16(raw) != (uint16_t)l->id)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a %s sample whose raw data is of event %u, not %d",
				    pcr_kmem_event_name(k), get_u16(raw), l->id);
	if (pcr_kmem_read(pd->tep, l, k, &rec, &it->ev))
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a %s sample with order %" PRIu64, pcr_kmem_event_name(k),
				    pcr_kmem_field(pd->tep, l->order, &rec));
	if ((st & S_TID) && tally_page(pd, cpu, pid == 0))
		return -PCR_ERR_NOMEM;
	if (ips && pd->depot) {
		ret = take_callchain(pd, ips, nr, &it->ev.stack_id);
		if (ret)
			return ret;
		if (it->ev.stack_id)
			pd->base.info.stacks.paired++;
		else
			pd->base.info.stacks.stackless++;
	} else if (pd->has_callchain) {
		pd->base.info.stacks.stackless++;
	}
	return 0;

short_sample:
	return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
			    "a sample record of %zu bytes is shorter than its sample_type 0x%" PRIx64
			    " needs", len + 8, a ? a->sample_type : 0);
}

static int inflate_records(struct perfdata_source *pd, const unsigned char *data, size_t n,
			   char *errmsg);

/*
 * Walks the records of [off, end) in @buf. In pipe mode the attrs and the tracing data come as
 * records; their tracing data follows HEADER_TRACING_DATA's 16 bytes and is skipped here.
 * With @cut (records decompressed from perf record -z), a record cut by the end of @buf
 * is not an error: the walk stops there and *@cut tells where it starts.
 */
int pcr_perf_parse_records(struct perfdata_source *pd, const unsigned char *buf, uint64_t off,
			   uint64_t end, uint64_t *cut, char *errmsg)
{
	int ret;

	while (off < end) {
		const unsigned char *h = buf + off, *body;
		uint32_t type;
		uint16_t size;
		size_t len;

		if (end - off < 8 && cut)
			break;
		if (end - off < 8)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, off,
					    "a record header cut after %" PRIu64 " bytes", end - off);
		type = get_u32(h);
		size = get_u16(h + 6);
		if (size < 8)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "a record (type %" PRIu32 ") of %u bytes", type, size);
		if (size > end - off && cut)
			break;
		if (size > end - off)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, off,
					    "a record (type %" PRIu32 ") of %u bytes, %" PRIu64
					    " left", type, size, end - off);
		body = h + 8;
		len = size - 8u;
		/* perf compresses only what the kernel's buffers hold: no metadata, no nesting. */
		if (cut && (type == REC_HEADER_TRACING_DATA || type == REC_AUXTRACE ||
			    type == REC_COMPRESSED || type == REC_COMPRESSED2))
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "a record of type %" PRIu32 " inside compressed records", type);
		if (type == REC_SAMPLE && !pd->kinds_known) {
			pcr_perf_attr_kinds(pd);
			pd->kinds_known = true;
		}
		switch (type) {
		case REC_SAMPLE:
			ret = add_sample(pd, body, len, off, errmsg);
			break;
		case REC_LOST:
			ret = len < 16 ? 0 : add_lost(pd, body, len, get_u64(body + 8), true);
			break;
		case REC_LOST_SAMPLES:
			ret = len < 8 ? 0 : add_lost(pd, body, len, get_u64(body), true);
			break;
		case REC_THROTTLE:
			/* Samples dropped while the event was throttled: an unknown number. */
			ret = add_lost(pd, body, len, 0, false);
			break;
		case REC_MMAP:
		case REC_MMAP2:
			take_mmap(pd, body, len, type == REC_MMAP2);
			ret = 0;
			break;
		case REC_COMM:
			ret = add_comm(pd, body, len);
			break;
		case REC_FORK:
			ret = add_fork(pd, body, len);
			break;
		case REC_HEADER_ATTR: {
			uint32_t asize = len >= 8 ? get_u32(body + 4) : 0;

			if (!asize)
				asize = 64;	/* PERF_ATTR_SIZE_VER0 */
			if (asize > len || (len - asize) % 8)
				return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
						    "an attr record of %zu bytes with an attr of %" PRIu32,
						    len, asize);
			if (pd->kinds_known)
				return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
						    "an event attr after the first sample");
			ret = pcr_perf_add_attr(pd, body, asize, body + asize, (len - asize) / 8,
						off, errmsg);
			break;
		}
		case REC_HEADER_TRACING_DATA: {
			uint32_t tsize = len >= 4 ? get_u32(body) : 0;

			if (len < 4)
				return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
						    "a tracing data record of %u bytes", size);
			if (!in_bounds(end, off + size, tsize))
				return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, off + size,
						    "%" PRIu32 " bytes of tracing data, %" PRIu64 " left",
						    tsize, end - off - size);
			if (pd->kinds_known)
				return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
						    "the tracing data after the first sample");
			ret = pcr_perf_parse_tracing(pd, buf + off + size, tsize, off + size,
						     errmsg);
			if (ret)
				return ret;
			off += tsize;
			break;
		}
		case REC_HEADER_FEATURE:
			ret = len < 8 ? 0 : get_u64(body) >= PERF_FEAT_BITS ? 0 :
			      pcr_perf_take_feature(pd, (int)get_u64(body), body + 8, len - 8,
						    off + 16, errmsg);
			break;
		case REC_AUXTRACE: {
			uint64_t asize = len >= 8 ? get_u64(body) : 0;

			if (!in_bounds(end, off + size, asize))
				return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, off,
						    "%" PRIu64 " bytes of AUX data, %" PRIu64 " left", asize,
						    end - off - size);
			off += asize;
			ret = 0;
			break;
		}
		case REC_COMPRESSED:
			pd->unz_rec = off;
			ret = inflate_records(pd, body, len, errmsg);
			break;
		case REC_COMPRESSED2: {
			/* u64 data_size, the data, then padding to 8 bytes */
			uint64_t dsize = len >= 8 ? get_u64(body) : UINT64_MAX;

			if (dsize > len - 8)
				return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, off,
						    "a compressed record of %u bytes holding %" PRIu64
						    " bytes of data", size, dsize);
			pd->unz_rec = off;
			ret = inflate_records(pd, body + 8, dsize, errmsg);
			break;
		}
		default:
			ret = 0;
			break;
		}
		if (ret)
			return ret;
		off += size;
	}
	if (cut) {
		*cut = off;
		return 0;
	}
	if (pd->unz_len)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_TRUNCATED, pd->unz_rec,
				    "the compressed records end inside a record (%zu bytes of it)",
				    pd->unz_len);
	if (!pd->kinds_known)
		pcr_perf_attr_kinds(pd);
	return 0;
}

/*
 * Decompresses the @n bytes of one COMPRESSED record into pd->unz, after the start of a record
 * the previous one left cut, and parses every whole record there as if it were in the file.
 */
static int inflate_records(struct perfdata_source *pd, const unsigned char *data, size_t n,
			   char *errmsg)
{
	ZSTD_inBuffer in = { data, n, 0 };
	uint64_t cut;
	bool full;
	int ret;

	if (pd->comp_type != PERF_COMP_ZSTD)
		return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, pd->unz_rec,
				    "compressed records, but the header says compression type %" PRIu32
				    ", not zstd (1)", pd->comp_type);
	if (!pd->zds) {
		pd->zds = ZSTD_createDStream();
		pd->unz = malloc(PERF_UNZ_BUF);
		if (!pd->zds || !pd->unz)
			return -PCR_ERR_NOMEM;
		ZSTD_initDStream(pd->zds);
	}
	pd->unz_in += n;
	do {
		ZSTD_outBuffer out = { pd->unz + pd->unz_len, PERF_UNZ_BUF - pd->unz_len, 0 };
		size_t r, in_was = in.pos, have;

		r = ZSTD_decompressStream(pd->zds, &out, &in);
		if (ZSTD_isError(r))
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, pd->unz_rec,
					    "corrupt zstd data in a compressed record: %s",
					    ZSTD_getErrorName(r));
		if (!out.pos && in.pos == in_was)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, pd->unz_rec,
					    "zstd data that does not decompress");
		full = out.pos == out.size;
		pd->unz_total += out.pos;
		if (pd->unz_total > PERF_UNZ_SLACK + PERF_UNZ_MAX_RATIO * pd->unz_in)
			return pcr_perf_err(pd, errmsg, -PCR_ERR_FORMAT, pd->unz_rec,
					    "%" PRIu64 " compressed bytes give more than %" PRIu64
					    " bytes: not what perf writes", pd->unz_in, pd->unz_total);
		have = pd->unz_len + out.pos;
		pd->unz_base = pd->unz_total - have;
		pd->inflating = true;
		ret = pcr_perf_parse_records(pd, pd->unz, 0, have, &cut, errmsg);
		pd->inflating = false;
		if (ret)
			return ret;
		/* cut <= have: what is left is less than a record, under 64 KiB. */
		pd->unz_len = have - (size_t)cut;
		memmove(pd->unz, pd->unz + cut, pd->unz_len);
	} while (in.pos < in.size || full);
	return 0;
}

