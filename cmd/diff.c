// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay diff OLD NEW: compare two runs by violation kind and stack signature, and
 * their counters side by side. PFNs and timestamps differ between boots: they never take part.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "session.h"

static const char diff_usage[] =
	"Usage: pagecheck-replay diff [OPTIONS] OLD NEW\n"
	"\n"
	"Compare two runs: each side is a recording (replayed with the options below) or a\n"
	"report saved with --format=json. Violations are matched by kind and stack signature:\n"
	"new, gone, changed in count; the counters are shown side by side.\n"
	"\n"
	"Options:\n"
	PCR_SESSION_HELP
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 NEW has no violation signature that OLD lacks, 1 it has,\n"
	"2 usage or input error, 3 NEW is inconclusive (events lost, damaged, candidates\n"
	"undecidable): nothing can be said about it. An inconclusive OLD is named, not fatal.\n";

static const struct option diff_options[] = {
	PCR_SESSION_LONG_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A side saved as JSON starts with '{'; anything else is a recording. */
static int is_json_report(const char *path, char **text)
{
	size_t cap = 1 << 16, len = 0, n;
	FILE *f = fopen(path, "r");
	char *buf, *bigger;
	int c;

	*text = NULL;
	if (!f)
		return 0;
	do
		c = fgetc(f);
	while (c != EOF && isspace(c));
	if (c != '{') {
		fclose(f);
		return 0;
	}
	rewind(f);
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				buf = NULL;
			}
			buf = bigger;
		}
	}
	fclose(f);
	if (!buf)
		return -PCR_ERR_NOMEM;
	buf[len] = '\0';
	*text = buf;
	return 1;
}

static int load_side(const char *path, const struct pcr_session_opts *opts, struct pcr_run *run)
{
	struct pcr_source_options source = { 0 };
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_session *s = NULL;
	char *text;
	int ret, status;

	ret = is_json_report(path, &text);
	if (ret < 0)
		return pcr_session_fail(NULL, ret, "", path);
	if (ret) {
		ret = pcr_run_from_json(text, run, errmsg);
		free(text);
		if (ret) {
			fprintf(stderr, "pagecheck-replay: error: %s: %s\n", path,
				errmsg[0] ? errmsg : pcr_strerror(ret));
			return PCR_EXIT_ERROR;
		}
		return 0;
	}
	status = pcr_replay_file(path, opts, &source, &s);
	if (status == PCR_EXIT_ERROR) {
		pcr_session_free(s);
		return status;
	}
	pcr_session_take_run(s, run);
	pcr_session_free(s);
	return 0;
}

/*
 * Whether a row's events fail a run: its violations, and under --strict its explained and
 * undecidable ones too, even when the run was saved without --strict (its rows are re-gated).
 * Suppressed ones are known already.
 */
static bool counts(const struct pcr_run *run, const struct pcr_sigrow *row, bool strict)
{
	if (row->group == PCR_GROUP_VIOLATION)
		return true;
	return strict && !run->strict &&
	       (row->group == PCR_GROUP_UNDECIDABLE || row->group == PCR_GROUP_EXPLAINED_STACKS);
}

/* The events of a signature that fail the run. */
static uint64_t live_count(const struct pcr_run *run, int kind, const char *sig, bool strict)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < run->nr_sigs; i++)
		if (run->sigs[i].kind == kind && !strcmp(run->sigs[i].signature, sig) &&
		    counts(run, &run->sigs[i], strict))
			n += run->sigs[i].count;
	return n;
}

static int sig_diff_cmp(const void *a, const void *b)
{
	const struct pcr_sig_diff *x = a, *y = b;

	if (x->change != y->change)
		return x->change < y->change ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->signature, y->signature);
}

/* Whether @d already holds the signature. */
static bool listed(const struct pcr_sig_diff *d, size_t n, int kind, const char *sig)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i].kind == kind && !strcmp(d[i].signature, sig))
			return true;
	return false;
}

/* NEW inconclusive: nothing can be said of it, whatever OLD was (issue 18). */
static int diff_status(const struct pcr_run *new, uint64_t new_sigs)
{
	if (new->reason)
		return PCR_EXIT_INCONCLUSIVE;
	return new_sigs ? PCR_EXIT_VIOLATIONS : PCR_EXIT_CLEAN;
}

/* Fills @diff's signatures, count of new ones and status from its two runs. */
static int compare(struct pcr_diff *diff, bool strict)
{
	const struct pcr_run *old = diff->old, *new = diff->new;
	const struct pcr_run *sides[2] = { new, old };
	struct pcr_sig_diff *d = calloc(old->nr_sigs + new->nr_sigs + 1, sizeof(*d));
	size_t i, n = 0;
	int side;

	if (!d)
		return -PCR_ERR_NOMEM;
	for (side = 0; side < 2; side++) {
		for (i = 0; i < sides[side]->nr_sigs; i++) {
			const struct pcr_sigrow *row = &sides[side]->sigs[i];
			struct pcr_sig_diff *e = &d[n];

			if (!counts(sides[side], row, strict) ||
			    listed(d, n, row->kind, row->signature))
				continue;
			*e = (struct pcr_sig_diff){
				.signature = row->signature, .kind = row->kind,
				.old_count = live_count(old, row->kind, row->signature, strict),
				.new_count = live_count(new, row->kind, row->signature, strict),
			};
			if (!e->old_count) {
				e->change = PCR_SIG_NEW;
				diff->new_sigs++;
			} else if (!e->new_count) {
				e->change = PCR_SIG_GONE;
			} else {
				e->change = e->old_count == e->new_count ? PCR_SIG_SAME :
					    PCR_SIG_CHANGED;
			}
			n++;
		}
	}
	qsort(d, n, sizeof(*d), sig_diff_cmp);
	diff->sigs = d;
	diff->nr_sigs = n;
	diff->exit_status = diff_status(new, diff->new_sigs);
	return 0;
}

/* Prints @d in the format asked for. */
static int render(const struct pcr_diff *d, enum pcr_output_format format)
{
	switch (format) {
	case PCR_FORMAT_JSON:
		return pcr_output_diff_json(stdout, d);
	case PCR_FORMAT_KTAP:
		return pcr_output_diff_ktap(stdout, d);
	case PCR_FORMAT_JUNIT:
		return pcr_output_diff_junit(stdout, d);
	default:
		return pcr_diff_print_text(stdout, d);
	}
}

int cmd_diff(int argc, char **argv)
{
	struct pcr_session_opts opts = PCR_SESSION_OPTS_INIT;
	struct pcr_run old = { 0 }, new = { 0 };
	struct pcr_diff d = { .old = &old, .new = &new };
	int c, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", diff_options, NULL)) != -1) {
		switch (pcr_session_option(&opts, c, optarg)) {
		case 0:
			continue;
		case -1:
			return PCR_EXIT_ERROR;
		}
		if (c == 'h') {
			fputs(diff_usage, stdout);
			return PCR_EXIT_CLEAN;
		}
		return pcr_usage_error("diff ", "%s", "unknown option or missing value");
	}
	if (argc - optind != 2)
		return pcr_usage_error("diff ", "%s", "diff takes two runs: OLD NEW");
	opts.silent = true;
	status = load_side(argv[optind], &opts, &old);
	if (!status)
		status = load_side(argv[optind + 1], &opts, &new);
	if (status) {
		pcr_run_release(&old);
		pcr_run_release(&new);
		pcr_session_opts_release(&opts);
		return PCR_EXIT_ERROR;
	}
	d.old_path = argv[optind];
	d.new_path = argv[optind + 1];
	if (compare(&d, opts.strict)) {
		status = PCR_EXIT_ERROR;
	} else {
		status = d.exit_status;
		if (old.reason && !new.reason)
			fprintf(stderr,
				"pagecheck-replay: warning: OLD %s is inconclusive (%s): a signature it lacks may be missing from its recording, not new in NEW\n",
				d.old_path, old.reason);
		if (new.reason)
			fprintf(stderr,
				"pagecheck-replay: warning: NEW %s is inconclusive (%s): it cannot show that no violation is new, exit 3\n",
				d.new_path, new.reason);
		if (render(&d, opts.format))
			status = PCR_EXIT_ERROR;
	}
	free(d.sigs);
	pcr_run_release(&old);
	pcr_run_release(&new);
	pcr_session_opts_release(&opts);
	if (fflush(stdout) || ferror(stdout))
		return PCR_EXIT_ERROR;
	return status;
}
