// SPDX-License-Identifier: GPL-2.0
/*
 * Process lifetimes: the recording's sched_process_fork, _exec and _exit records, kept in order
 * so that a violation can ask whether an address space had ended before it (see
 * pcr_tasks_mm_end()). They are few next to page events: one small record each, searched only
 * when a violation is judged.
 */
#include <stdlib.h>

#include "pagecheck.h"

struct task_event {
	uint64_t ts_ns;
	int32_t pid;
	int32_t child_pid;
	uint8_t kind;
};

struct pcr_tasks {
	struct task_event *events;
	size_t nr;
	size_t cap;
};

int pcr_tasks_new(struct pcr_tasks **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -PCR_ERR_NOMEM;
}

void pcr_tasks_free(struct pcr_tasks *tasks)
{
	if (!tasks)
		return;
	free(tasks->events);
	free(tasks);
}

int pcr_tasks_feed(struct pcr_tasks *tasks, const struct pcr_event *ev)
{
	if (ev->kind != PCR_EV_FORK && ev->kind != PCR_EV_EXEC && ev->kind != PCR_EV_EXIT)
		return 0;
	if (tasks->nr == tasks->cap) {
		size_t cap = tasks->cap ? tasks->cap * 2 : 256;
		struct task_event *e = realloc(tasks->events, cap * sizeof(*e));

		if (!e)
			return -PCR_ERR_NOMEM;
		tasks->events = e;
		tasks->cap = cap;
	}
	tasks->events[tasks->nr++] = (struct task_event){
		.ts_ns = ev->ts_ns,
		.pid = ev->pid,
		.child_pid = ev->child_pid,
		.kind = ev->kind,
	};
	return 0;
}

/* The first event at or after @ts_ns. */
static size_t first_from(const struct pcr_tasks *tasks, uint64_t ts_ns)
{
	size_t lo = 0, hi = tasks->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tasks->events[mid].ts_ns < ts_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int pcr_tasks_mm_end(const struct pcr_tasks *tasks, enum pcr_mm_origin origin, int32_t alloc_pid,
		     uint64_t alloc_ns, uint64_t before_ns, struct pcr_mm_end *out)
{
	int32_t owner = origin == PCR_MM_EXEC ? alloc_pid : -1;
	/* An exec'd mm is installed by the owner's next exec: the one after that replaces it. */
	bool installed = origin != PCR_MM_EXEC;
	size_t i;

	if (!tasks || !tasks->nr)
		return -1;
	for (i = first_from(tasks, alloc_ns); i < tasks->nr; i++) {
		const struct task_event *e = &tasks->events[i];

		if (e->ts_ns >= before_ns)
			break;
		if (owner < 0) {
			/* The fork that made the child: the page directory was its mm's. */
			if (e->kind == PCR_EV_FORK && e->pid == alloc_pid)
				owner = e->child_pid;
			continue;
		}
		if (e->pid != owner || (e->kind != PCR_EV_EXEC && e->kind != PCR_EV_EXIT))
			continue;
		if (e->kind == PCR_EV_EXEC && !installed) {
			installed = true;
			continue;
		}
		*out = (struct pcr_mm_end){
			.ts_ns = e->ts_ns,
			.owner = owner,
			.by_exit = e->kind == PCR_EV_EXIT,
		};
		return 1;
	}
	return 0;
}
