// SPDX-License-Identifier: GPL-2.0
/*
 * The kmem page events and kernel stacks of ftrace records, whatever reader delivers them
 * (see kmem.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmem.h"

static const struct {
	const char *name;
	bool needs_order;
} kmem_events[PCR_EV_NR] = {
	[PCR_EV_ALLOC] = { "mm_page_alloc", true },
	[PCR_EV_FREE] = { "mm_page_free", true },
	[PCR_EV_FREE_BATCHED] = { "mm_page_free_batched", false },
	[PCR_EV_ZONE_LOCKED] = { "mm_page_alloc_zone_locked", false },
	[PCR_EV_PCPU_DRAIN] = { "mm_page_pcpu_drain", false },
};

bool pcr_kmem_is_kind(int kind)
{
	return kind >= PCR_EV_ALLOC && kind <= PCR_EV_PCPU_DRAIN;
}

const char *pcr_kmem_event_name(int kind)
{
	return pcr_kmem_is_kind(kind) ? kmem_events[kind].name : NULL;
}

bool pcr_kmem_wanted(const char *sys, const char *name)
{
	int kind;

	if (strcmp(sys, "kmem"))
		return false;
	for (kind = 0; kind < PCR_EV_NR; kind++)
		if (pcr_kmem_is_kind(kind) && !strcmp(name, kmem_events[kind].name))
			return true;
	return false;
}

static bool is_isolate_event(const char *name)
{
	static const char *const names[] = PCR_KMEM_ISOLATE_EVENTS;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

bool pcr_kmem_marker_wanted(const char *sys, const char *name)
{
	return (!strcmp(sys, "initcall") && !strcmp(name, "initcall_finish")) ||
	       (!strcmp(sys, "sched") && (!strcmp(name, "sched_process_exec") ||
					   !strcmp(name, "sched_process_fork") ||
					   !strcmp(name, "sched_process_exit"))) ||
	       !strcmp(sys, "kprobes") || !strcmp(sys, "page_consistency") ||
	       (!strcmp(sys, "compaction") && is_isolate_event(name));
}

bool pcr_kmem_formats_selective(struct tep_handle *tep)
{
	struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);
	int i, n = 0;

	for (i = 0; events && events[i]; i++)
		if (events[i]->system && strcmp(events[i]->system, "ftrace"))
			n++;
	return n <= PCR_KMEM_SELECTIVE_MAX;
}

bool pcr_kmem_markers_have(const struct pcr_marker_layout *ml, int nr, int kind)
{
	int i;

	for (i = 0; i < nr; i++)
		if (ml[i].kind == kind)
			return true;
	return false;
}

/* The reference kernel's page_consistency events (tests/kernel/rfc), when all fields are there. */
static void find_hook_marker(struct pcr_marker_layout *l, struct tep_event *e)
{
	if (!strcmp(e->name, "pc_update")) {
		l->pfn = tep_find_field(e, "pfn");
		l->order = tep_find_field(e, "order");
		l->alloc = tep_find_field(e, "alloc");
		l->state = tep_find_field(e, "state");
		if (l->pfn && l->order && l->alloc && l->state)
			l->kind = PCR_EV_HOOK_ALLOC;
	} else if (!strcmp(e->name, "pc_init")) {
		l->pfn = tep_find_field(e, "min_pfn");
		l->pfn_end = tep_find_field(e, "max_pfn");
		if (l->pfn && l->pfn_end)
			l->kind = PCR_EV_HOOK_INIT;
	} else if (!strcmp(e->name, "pc_stats")) {
		l->kind = PCR_EV_HOOK_STOP;
	}
}

/* The largest end of a layout's fields, 0 when one of them is not a plain load. */
static unsigned int layout_need(const struct pcr_kmem_layout *l)
{
	const struct tep_format_field *fields[] = { l->pfn, l->order, l->gfp, l->migratetype };
	unsigned int need = 0, i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct tep_format_field *f = fields[i];

		if (!f)
			continue;
		if (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)
			return 0;
		if ((unsigned int)(f->offset + f->size) > need)
			need = (unsigned int)(f->offset + f->size);
	}
	return need;
}

int pcr_kmem_find_layouts(struct pcr_kmem_layout layout[PCR_EV_NR], struct tep_handle *tep,
			  const char *what, char *errmsg)
{
	int kind, found = 0;

	for (kind = 0; kind < PCR_EV_NR; kind++) {
		struct pcr_kmem_layout *l = &layout[kind];
		struct tep_event *event;

		memset(l, 0, sizeof(*l));
		l->id = -1;
		if (!pcr_kmem_is_kind(kind))
			continue;
		event = tep_find_event_by_name(tep, "kmem", kmem_events[kind].name);
		if (!event)
			continue;
		l->pfn = tep_find_field(event, "pfn");
		if (!l->pfn) {
			l->pfn = tep_find_field(event, "page");
			l->page_pointer = true;
		}
		l->order = tep_find_field(event, "order");
		l->gfp = tep_find_field(event, "gfp_flags");
		l->migratetype = tep_find_field(event, "migratetype");
		if (!l->pfn || (l->pfn->size != 8 && l->pfn->size != 4) ||
		    (kmem_events[kind].needs_order && !l->order))
			return pcr_errmsg(errmsg, -PCR_ERR_LAYOUT,
					  "%s: kmem:%s has an unknown layout (it needs a 4- or 8-byte 'pfn' or 'page' field%s); please report it with the event's format",
					  what, kmem_events[kind].name,
					  kmem_events[kind].needs_order ? " and 'order'" : "");
		l->id = event->id;
		l->native = tep_is_file_bigendian(tep) == tep_is_local_bigendian(tep);
		l->need = l->native ? layout_need(l) : 0;
		if (kind == PCR_EV_ALLOC || kind == PCR_EV_FREE)
			found++;
	}
	return found;
}

int pcr_kmem_kind_of(const struct pcr_kmem_layout layout[PCR_EV_NR], int type)
{
	int kind;

	for (kind = PCR_EV_ALLOC; kind <= PCR_EV_PCPU_DRAIN; kind++)
		if (layout[kind].id == type)
			return kind;
	return PCR_EV_NONE;
}

uint64_t pcr_kmem_field(struct tep_handle *tep, const struct tep_format_field *f,
			const struct tep_record *record)
{
	if (!f || f->offset + f->size > record->size)
		return 0;
	return tep_read_number(tep, (const char *)record->data + f->offset, f->size);
}

static bool field_fits(const struct tep_format_field *f, const struct tep_record *record)
{
	return !f || (f->offset >= 0 && f->size >= 0 && f->offset + f->size <= record->size);
}

bool pcr_kmem_fits(const struct pcr_kmem_layout *l, int kind, const struct tep_record *record)
{
	if (!field_fits(l->pfn, record) || !field_fits(l->order, record))
		return false;
	return kind != PCR_EV_ALLOC ||
	       (field_fits(l->gfp, record) && field_fits(l->migratetype, record));
}

int pcr_kmem_read_checked(struct tep_handle *tep, const struct pcr_kmem_layout *l, int kind,
			  const struct tep_record *record, struct pcr_event *ev)
{
	/* A kernel writes every field of the format: a shorter record is damaged (issue 17). */
	if (!pcr_kmem_fits(l, kind, record))
		return -PCR_ERR_FORMAT;
	if (l->native)
		return pcr_kmem_read_fields(tep, l, PCR_KMEM_NATIVE, kind, record, ev);
	return pcr_kmem_read_fields(tep, l, PCR_KMEM_FOREIGN, kind, record, ev);
}

static bool is_initmem_probe(const char *name)
{
	return strstr(name, "initmem") != NULL;
}

int pcr_kmem_find_markers(struct pcr_marker_layout *ml, int max, struct tep_handle *tep)
{
	struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);
	int i, n = 0;

	for (i = 0; events && events[i] && n < max; i++) {
		struct tep_event *e = events[i];
		struct pcr_marker_layout l = { .id = e->id, .name = e->name, .kind = PCR_EV_NONE };

		if (!e->system || !e->name)
			continue;
		if (!strcmp(e->system, "initcall") && !strcmp(e->name, "initcall_finish")) {
			l.kind = PCR_EV_INITCALL;
		} else if (!strcmp(e->system, "sched") && !strcmp(e->name, "sched_process_exec")) {
			l.kind = PCR_EV_EXEC;
			l.pid = tep_find_field(e, "pid");
		} else if (!strcmp(e->system, "sched") && !strcmp(e->name, "sched_process_fork")) {
			l.pid = tep_find_field(e, "parent_pid");
			l.child_pid = tep_find_field(e, "child_pid");
			if (l.pid && l.child_pid)
				l.kind = PCR_EV_FORK;
		} else if (!strcmp(e->system, "sched") && !strcmp(e->name, "sched_process_exit")) {
			l.kind = PCR_EV_EXIT;
			l.pid = tep_find_field(e, "pid");
			l.group_dead = tep_find_field(e, "group_dead");
		} else if (!strcmp(e->system, "page_consistency")) {
			find_hook_marker(&l, e);
		} else if (!strcmp(e->system, "compaction") && is_isolate_event(e->name)) {
			l.pfn = tep_find_field(e, "start_pfn");
			l.pfn_end = tep_find_field(e, "end_pfn");
			l.taken = tep_find_field(e, "nr_taken");
			if (l.pfn && l.pfn_end && l.taken)
				l.kind = PCR_EV_ISOLATE;
		} else if (!strcmp(e->system, "kprobes")) {
			l.state = tep_find_field(e, "system_state");
			if (!l.state)
				l.state = tep_find_field(e, "state");
			l.probe_ip = tep_find_field(e, "__probe_ip");
			if (!l.probe_ip) {
				l.probe_ip = tep_find_field(e, "__probe_func");
				l.ret = l.probe_ip != NULL;
			}
			/* A probe with neither says nothing about the boot. */
			if (l.state || is_initmem_probe(e->name) || l.probe_ip)
				l.kind = PCR_EV_SYSTEM_STATE;
		}
		if (l.kind != PCR_EV_NONE)
			ml[n++] = l;
	}
	return n;
}

/* Whether a kprobe record probes free_initmem: by its address when kallsyms names it. */
static bool probes_initmem(struct tep_handle *tep, const struct pcr_marker_layout *l,
			   const struct tep_record *record)
{
	const char *func = NULL;

	if (l->probe_ip)
		func = tep_find_function(tep, pcr_kmem_field(tep, l->probe_ip, record));
	if (func)
		return !strcmp(func, "free_initmem");
	return is_initmem_probe(l->name);
}

bool pcr_kmem_read_marker(struct tep_handle *tep, const struct pcr_marker_layout *ml, int nr,
			  int type, const struct tep_record *record, struct pcr_event *ev)
{
	const struct pcr_marker_layout *l = NULL;
	int i;

	for (i = 0; i < nr && !l; i++)
		if (ml[i].id == type)
			l = &ml[i];
	if (!l)
		return false;
	ev->state = -1;
	ev->kind = (uint8_t)l->kind;
	if (l->kind == PCR_EV_HOOK_ALLOC) {
		if (!pcr_kmem_field(tep, l->alloc, record))
			ev->kind = PCR_EV_HOOK_FREE;
		ev->pfn = pcr_kmem_field(tep, l->pfn, record);
		ev->order = (uint8_t)pcr_kmem_field(tep, l->order, record);
		ev->state = (int32_t)pcr_kmem_field(tep, l->state, record);
		return true;
	}
	if (l->kind == PCR_EV_HOOK_INIT) {
		ev->pfn = pcr_kmem_field(tep, l->pfn, record);
		ev->pfn_end = pcr_kmem_field(tep, l->pfn_end, record);
		return true;
	}
	if (l->kind == PCR_EV_ISOLATE) {
		ev->pfn = pcr_kmem_field(tep, l->pfn, record);
		ev->pfn_end = pcr_kmem_field(tep, l->pfn_end, record);
		if (!pcr_kmem_field(tep, l->taken, record))
			ev->kind = PCR_EV_OTHER;
		return true;
	}
	if ((l->kind == PCR_EV_EXEC || l->kind == PCR_EV_FORK || l->kind == PCR_EV_EXIT) && l->pid)
		ev->pid = (int32_t)pcr_kmem_field(tep, l->pid, record);
	if (l->kind == PCR_EV_FORK)
		ev->child_pid = (int32_t)pcr_kmem_field(tep, l->child_pid, record);
	/* A thread's exit while others of its process live on ends no process. */
	if (l->kind == PCR_EV_EXIT && l->group_dead && !pcr_kmem_field(tep, l->group_dead, record))
		ev->kind = PCR_EV_OTHER;
	if (l->kind != PCR_EV_SYSTEM_STATE)
		return true;
	if (l->state)
		ev->state = (int32_t)pcr_kmem_field(tep, l->state, record);
	if (probes_initmem(tep, l, record))
		ev->kind = l->ret ? PCR_EV_INITMEM_EXIT : PCR_EV_INITMEM_ENTER;
	else if (!l->state)
		/* A kprobe that is neither free_initmem nor carries system_state. */
		ev->kind = PCR_EV_OTHER;
	return true;
}

/* Walks the print arguments of mm_page_alloc to the __print_flags() of gfp_flags. */
static const struct tep_print_arg *find_flags_arg(const struct tep_print_arg *arg, int depth)
{
	const struct tep_print_arg *found = NULL;

	for (; arg && !found && depth < 32; arg = arg->next) {
		switch (arg->type) {
		case TEP_PRINT_FLAGS:
			if (arg->flags.field && arg->flags.field->type == TEP_PRINT_FIELD &&
			    arg->flags.field->field.name &&
			    !strcmp(arg->flags.field->field.name, "gfp_flags"))
				return arg;
			found = find_flags_arg(arg->flags.field, depth + 1);
			break;
		case TEP_PRINT_OP:
			found = find_flags_arg(arg->op.left, depth + 1);
			if (!found)
				found = find_flags_arg(arg->op.right, depth + 1);
			break;
		case TEP_PRINT_TYPE:
			found = find_flags_arg(arg->typecast.item, depth + 1);
			break;
		default:
			break;
		}
	}
	return found;
}

int pcr_kmem_gfp_names(struct tep_handle *tep, struct pcr_flag_name **names, size_t *nr)
{
	const struct tep_print_flag_sym *sym;
	const struct tep_print_arg *arg;
	struct pcr_flag_name *table;
	struct tep_event *event;
	size_t n = 0;

	*names = NULL;
	*nr = 0;
	event = tep_find_event_by_name(tep, "kmem", "mm_page_alloc");
	if (!event)
		return 0;
	arg = find_flags_arg(event->print_fmt.args, 0);
	if (!arg)
		return 0;
	for (sym = arg->flags.flags; sym; sym = sym->next)
		n++;
	table = calloc(n ? n : 1, sizeof(*table));
	if (!table)
		return -PCR_ERR_NOMEM;
	n = 0;
	for (sym = arg->flags.flags; sym; sym = sym->next) {
		if (!sym->value || !sym->str)
			continue;
		table[n].mask = strtoull(sym->value, NULL, 0);
		table[n].name = sym->str;
		n++;
	}
	*names = table;
	*nr = n;
	return 0;
}

bool pcr_kmem_stack_layout(struct tep_handle *tep, struct pcr_stack_layout *sl)
{
	struct tep_event *event = tep_find_event_by_name(tep, "ftrace", "kernel_stack");

	memset(sl, 0, sizeof(*sl));
	sl->id = -1;
	if (!event)
		return false;
	sl->size = tep_find_field(event, "size");
	sl->caller = tep_find_field(event, "caller");
	sl->long_size = sl->caller ? (int)sl->caller->elementsize : 0;
	if (!sl->size || !sl->caller || (sl->long_size != 8 && sl->long_size != 4))
		return false;
	sl->id = event->id;
	return true;
}

unsigned int pcr_kmem_stack_frames(struct tep_handle *tep, const struct pcr_stack_layout *sl,
				   const struct tep_record *record, uint64_t *frames)
{
	uint64_t size = pcr_kmem_field(tep, sl->size, record);
	unsigned int nr = 0;

	/* The format says caller[8]; the record holds "size" entries, up to its own length. */
	if (sl->caller->offset < record->size) {
		uint64_t room = (uint64_t)(record->size - sl->caller->offset) / sl->long_size;

		if (size > room)
			size = room;
	} else {
		size = 0;
	}
	if (size > PCR_MAX_FRAMES)
		size = PCR_MAX_FRAMES;
	for (; nr < size; nr++) {
		uint64_t addr = tep_read_number(tep, (const char *)record->data +
						sl->caller->offset + nr * sl->long_size,
						sl->long_size);

		/* Kernels before 4.x ended the array with ULONG_MAX. */
		if (!addr || addr == UINT64_MAX || (sl->long_size == 4 && addr == UINT32_MAX))
			break;
		frames[nr] = addr;
	}
	return nr;
}

const char *pcr_kmem_stack_glue(const struct pcr_symbolizer *sym, const uint64_t *frames,
				unsigned int nr)
{
	static const char glue[] = "trace_event_raw_event_";
	struct pcr_symbol s;

	if (!nr || !sym || !sym->resolve || sym->resolve(sym->ctx, frames[0], &s) || !s.name ||
	    strncmp(s.name, glue, sizeof(glue) - 1))
		return NULL;
	return s.name + sizeof(glue) - 1;
}

int pcr_tep_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym)
{
	unsigned long long start = 0;
	unsigned long size = 0;
	const char *name = NULL;

	/* libtraceevent keeps no module names in its function map. */
	if (!tep_find_function_info(ctx, addr, &name, &start, &size) || !name)
		return -PCR_ERR_INVAL;
	sym->name = name;
	sym->module = NULL;
	sym->start = start;
	sym->size = size;
	return 0;
}

const char *pcr_tep_comm(void *ctx, int pid)
{
	return tep_data_comm_from_pid(ctx, pid);
}

void pcr_cpu_stats_line(struct pcr_cpu_account *acc, const char *line)
{
	unsigned long long val;
	char frac[8];

	if (sscanf(line, "entries: %llu", &val) == 1)
		acc->entries = val;
	else if (sscanf(line, "overrun: %llu", &val) == 1)
		acc->overrun = val;
	else if (sscanf(line, "commit overrun: %llu", &val) == 1)
		acc->commit_overrun = val;
	else if (sscanf(line, "dropped events: %llu", &val) == 1)
		acc->dropped = val;
	else if (sscanf(line, "read events: %llu", &val) == 1)
		acc->read = val;
	else if (sscanf(line, "oldest event ts: %llu.%6s", &val, frac) == 2 && strlen(frac) == 6) {
		acc->oldest_us = val * 1000000 + strtoull(frac, NULL, 10);
		acc->have_oldest = true;
	}
}

uint64_t pcr_cpu_lost(const struct pcr_cpu_account *acc, uint64_t end_us, uint64_t *trailing)
{
	uint64_t expected = acc->entries + acc->read;
	uint64_t gap = expected > acc->records ? expected - acc->records : 0;
	uint64_t overwritten = acc->overrun > acc->notices ? acc->overrun : acc->notices;
	uint64_t total;

	if (!acc->have_stats)
		return 0;
	if (gap && acc->have_oldest && acc->oldest_us > end_us) {
		uint64_t unrecorded = gap < acc->entries ? gap : acc->entries;

		*trailing += unrecorded;
		gap -= unrecorded;
	}
	total = overwritten + acc->commit_overrun + acc->dropped + gap;
	return total - acc->notices;
}
