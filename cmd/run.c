// SPDX-License-Identifier: GPL-2.0
/*
 * A finished run as one record, and its summary in text.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

void pcr_run_counter(void *payload, const char *name, const char *value)
{
	struct pcr_run *run = payload;
	struct pcr_counter *c;

	c = realloc(run->counters, (run->nr_counters + 1) * sizeof(*c));
	if (!c) {
		run->nomem = true;
		return;
	}
	run->counters = c;
	c = &c[run->nr_counters];
	c->name = strdup(name);
	c->value = strdup(value);
	if (!c->name || !c->value) {
		free(c->name);
		free(c->value);
		run->nomem = true;
		return;
	}
	run->nr_counters++;
}

void pcr_run_counterf(struct pcr_run *run, const char *name, const char *fmt, ...)
{
	char *value;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (len < 0) {
		run->nomem = true;
		return;
	}
	pcr_run_counter(run, name, value);
	free(value);
}

void pcr_run_add_sig(struct pcr_run *run, int group, int kind, const char *signature,
		     uint64_t count)
{
	struct pcr_sigrow *row;
	size_t i;

	for (i = 0; i < run->nr_sigs; i++) {
		row = &run->sigs[i];
		if (row->group == group && row->kind == kind &&
		    !strcmp(row->signature, signature)) {
			row->count += count;
			return;
		}
	}
	row = realloc(run->sigs, (run->nr_sigs + 1) * sizeof(*row));
	if (!row) {
		run->nomem = true;
		return;
	}
	run->sigs = row;
	row = &row[run->nr_sigs];
	*row = (struct pcr_sigrow){ .signature = strdup(signature), .count = count, .kind = kind,
				    .group = group };
	if (!row->signature)
		run->nomem = true;
	else
		run->nr_sigs++;
}

int pcr_run_add_violation(struct pcr_run *run, const struct pcr_checked *c,
			  const struct pcr_injection *inj)
{
	struct pcr_out_violation *o;

	if (run->nr_viols == run->cap_viols) {
		size_t cap = run->cap_viols ? run->cap_viols * 2 : 256;

		o = realloc(run->viols, cap * sizeof(*o));
		if (!o)
			return -PCR_ERR_NOMEM;
		run->viols = o;
		run->cap_viols = cap;
	}
	o = &run->viols[run->nr_viols];
	memset(o, 0, sizeof(*o));
	o->v = *c->v;
	o->ev = *c->v->event;
	o->v.event = &o->ev;
	/* The reader's task name is valid only during the call. */
	snprintf(o->comm, sizeof(o->comm), "%s", o->ev.comm ? o->ev.comm : "<...>");
	o->ev.comm = NULL;
	o->signature = strdup(c->signature);
	if (!o->signature)
		return -PCR_ERR_NOMEM;
	o->suppressed_line = c->supp ? c->supp->line : 0;
	o->cls = *c->cls;
	o->injected = inj != NULL;
	if (inj)
		o->inj = *inj;
	run->nr_viols++;
	return 0;
}

const char *pcr_run_counter_value(const struct pcr_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->nr_counters; i++)
		if (!strcmp(run->counters[i].name, name))
			return run->counters[i].value;
	return NULL;
}

const char *pcr_run_group_name(int group)
{
	static const char *const names[PCR_GROUP_NR] = {
		[PCR_GROUP_VIOLATION] = "signature",
		[PCR_GROUP_SUPPRESSED] = "suppressed",
		[PCR_GROUP_UNDECIDABLE] = "undecidable",
		[PCR_GROUP_EXPLAINED] = "explained",
		[PCR_GROUP_EXPLAINED_STACKS] = "explained",
	};

	return group >= 0 && group < PCR_GROUP_NR ? names[group] : "?";
}

int pcr_run_print_summary(FILE *f, const struct pcr_run *run)
{
	size_t i;

	for (i = 0; i <= run->nr_counters; i++) {
		if (i == run->sigs_at) {
			size_t j;

			/* The explained rows by path: their stack signatures are JSON's. */
			for (j = 0; j < run->nr_sigs; j++)
				if (run->sigs[j].group != PCR_GROUP_EXPLAINED_STACKS)
					fprintf(f, "%s: %s %" PRIu64 " %s\n",
						pcr_run_group_name(run->sigs[j].group),
						pcr_violation_name(run->sigs[j].kind),
						run->sigs[j].count, run->sigs[j].signature);
		}
		if (i < run->nr_counters)
			fprintf(f, "%s: %s\n", run->counters[i].name, run->counters[i].value);
	}
	return ferror(f) ? -PCR_ERR_IO : 0;
}

char *pcr_run_summary_text(const struct pcr_run *run)
{
	size_t len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	pcr_run_print_summary(f, run);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

void pcr_run_release(struct pcr_run *run)
{
	size_t i;

	for (i = 0; i < run->nr_sigs; i++)
		free(run->sigs[i].signature);
	for (i = 0; i < run->nr_counters; i++) {
		free(run->counters[i].name);
		free(run->counters[i].value);
	}
	for (i = 0; i < run->nr_viols; i++)
		free(run->viols[i].signature);
	free(run->viols);
	free(run->sigs);
	free(run->counters);
	free(run->reason);
	memset(run, 0, sizeof(*run));
}
