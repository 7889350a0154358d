// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay diff OLD NEW: compare two runs by violation kind and stack signature, and
 * their counters side by side. PFNs and timestamps differ between boots: they never take part.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <libxml/xmlwriter.h>
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

enum sig_change { SIG_NEW, SIG_GONE, SIG_CHANGED, SIG_SAME };

static const char *const change_names[] = {
	[SIG_NEW] = "new", [SIG_GONE] = "gone", [SIG_CHANGED] = "changed", [SIG_SAME] = "same",
};

struct sig_diff {
	const char *signature;
	uint64_t old_count;
	uint64_t new_count;
	int kind;
	enum sig_change change;
};

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
	const struct sig_diff *x = a, *y = b;

	if (x->change != y->change)
		return x->change < y->change ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->signature, y->signature);
}

/* Whether @d already holds the signature. */
static bool listed(const struct sig_diff *d, size_t n, int kind, const char *sig)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i].kind == kind && !strcmp(d[i].signature, sig))
			return true;
	return false;
}

static struct sig_diff *compare(const struct pcr_run *old, const struct pcr_run *new, bool strict,
				size_t *nr, uint64_t *new_sigs)
{
	const struct pcr_run *sides[2] = { new, old };
	struct sig_diff *d = calloc(old->nr_sigs + new->nr_sigs + 1, sizeof(*d));
	size_t i, n = 0;
	int side;

	*new_sigs = 0;
	if (!d)
		return NULL;
	for (side = 0; side < 2; side++) {
		for (i = 0; i < sides[side]->nr_sigs; i++) {
			const struct pcr_sigrow *row = &sides[side]->sigs[i];
			struct sig_diff *e = &d[n];

			if (!counts(sides[side], row, strict) ||
			    listed(d, n, row->kind, row->signature))
				continue;
			*e = (struct sig_diff){
				.signature = row->signature, .kind = row->kind,
				.old_count = live_count(old, row->kind, row->signature, strict),
				.new_count = live_count(new, row->kind, row->signature, strict),
			};
			if (!e->old_count) {
				e->change = SIG_NEW;
				(*new_sigs)++;
			} else if (!e->new_count) {
				e->change = SIG_GONE;
			} else {
				e->change = e->old_count == e->new_count ? SIG_SAME : SIG_CHANGED;
			}
			n++;
		}
	}
	qsort(d, n, sizeof(*d), sig_diff_cmp);
	*nr = n;
	return d;
}

/* A counter's change when both sides are numbers, else "". */
static void counter_change(char *buf, size_t size, const char *a, const char *b)
{
	char *end_a, *end_b;
	long long x, y;

	buf[0] = '\0';
	if (!a || !b)
		return;
	errno = 0;
	x = strtoll(a, &end_a, 10);
	y = strtoll(b, &end_b, 10);
	if (errno || end_a == a || end_b == b || *end_a || *end_b)
		return;
	snprintf(buf, size, "%+lld", y - x);
}

static void print_text(const char *old_path, const char *new_path, const struct pcr_run *old,
		       const struct pcr_run *new, const struct sig_diff *d, size_t nr,
		       uint64_t new_sigs)
{
	size_t i;

	printf("old: %s (%s%s%s)\n", old_path, pcr_verdict_name(old->verdict),
	       old->reason ? ": " : "", old->reason ? old->reason : "");
	printf("new: %s (%s%s%s)\n", new_path, pcr_verdict_name(new->verdict),
	       new->reason ? ": " : "", new->reason ? new->reason : "");
	for (i = 0; i < nr; i++)
		printf("signature_%s: %s %" PRIu64 " -> %" PRIu64 " %s\n", change_names[d[i].change],
		       pcr_violation_name(d[i].kind), d[i].old_count, d[i].new_count,
		       d[i].signature);
	for (i = 0; i < new->nr_counters; i++) {
		const char *before = pcr_run_counter_value(old, new->counters[i].name);
		char change[32];

		counter_change(change, sizeof(change), before, new->counters[i].value);
		printf("counter: %s %s -> %s%s%s\n", new->counters[i].name,
		       before ? before : "-", new->counters[i].value, change[0] ? " " : "",
		       change);
	}
	for (i = 0; i < old->nr_counters; i++)
		if (!pcr_run_counter_value(new, old->counters[i].name))
			printf("counter: %s %s -> -\n", old->counters[i].name,
			       old->counters[i].value);
	printf("new_signatures: %" PRIu64 "\n", new_sigs);
	if (new->reason)
		printf("verdict: inconclusive: NEW is inconclusive (%s)\n", new->reason);
	else
		printf("verdict: %s%s%s%s\n", new_sigs ? "new violations" : "no new violations",
		       old->reason ? " (OLD is inconclusive: " : "",
		       old->reason ? old->reason : "", old->reason ? ")" : "");
}

/* NEW inconclusive: nothing can be said of it, whatever OLD was (issue 18). */
static int diff_status(const struct pcr_run *new, uint64_t new_sigs)
{
	if (new->reason)
		return PCR_EXIT_INCONCLUSIVE;
	return new_sigs ? PCR_EXIT_VIOLATIONS : PCR_EXIT_CLEAN;
}

static int print_json(const char *old_path, const char *new_path, const struct pcr_run *old,
		      const struct pcr_run *new, const struct sig_diff *d, size_t nr,
		      uint64_t new_sigs)
{
	json_t *root = json_object(), *sigs = json_array(), *counters = json_array();
	size_t i;
	int ret;

	if (!root || !sigs || !counters) {
		json_decref(root);
		json_decref(sigs);
		json_decref(counters);
		return -PCR_ERR_NOMEM;
	}
	json_object_set_new(root, "old", json_pack("{s:s, s:s, s:s?}", "path", old_path, "verdict",
						   pcr_verdict_name(old->verdict), "reason",
						   old->reason));
	json_object_set_new(root, "new", json_pack("{s:s, s:s, s:s?}", "path", new_path, "verdict",
						   pcr_verdict_name(new->verdict), "reason",
						   new->reason));
	for (i = 0; i < nr; i++)
		json_array_append_new(sigs, json_pack("{s:s, s:s, s:s, s:I, s:I}", "change",
						      change_names[d[i].change], "kind",
						      pcr_violation_name(d[i].kind), "signature",
						      d[i].signature, "old",
						      (json_int_t)d[i].old_count, "new",
						      (json_int_t)d[i].new_count));
	for (i = 0; i < new->nr_counters; i++) {
		const char *before = pcr_run_counter_value(old, new->counters[i].name);

		json_array_append_new(counters, json_pack("{s:s, s:s?, s:s}", "name",
							  new->counters[i].name, "old", before,
							  "new", new->counters[i].value));
	}
	json_object_set_new(root, "signatures", sigs);
	json_object_set_new(root, "counters", counters);
	json_object_set_new(root, "new_signatures", json_integer((json_int_t)new_sigs));
	json_object_set_new(root, "verdict", json_string(new->reason ? "inconclusive" : new_sigs ?
							 "new violations" : "no new violations"));
	json_object_set_new(root, "exit_status", json_integer(diff_status(new, new_sigs)));
	ret = json_dumpf(root, stdout, JSON_INDENT(2));
	json_decref(root);
	return ret || putchar('\n') == EOF ? -PCR_ERR_IO : 0;
}

/*
 * KTAP and JUnit: one test per violation kind, "no new signature of this kind"; each is
 * skipped, with the reason, when NEW is inconclusive (the mapping of "pagecheck-replay
 * --format=ktap", man page "OUTPUT FORMATS").
 */
static void print_ktap(const char *old_path, const char *new_path, const struct pcr_run *old,
		       const struct pcr_run *new, const struct sig_diff *d, size_t nr)
{
	int kind, passed = 0, failed_tests = 0, skipped = 0;
	size_t i;

	printf("KTAP version 1\n");
	printf("# pagecheck-replay %s diff: %s -> %s\n", PCR_VERSION_STRING, old_path, new_path);
	printf("1..%d\n", PCR_VIOL_NR);
	if (old->reason)
		printf("# OLD is inconclusive: %s\n", old->reason);
	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		bool failed = false;

		for (i = 0; i < nr; i++) {
			if (d[i].kind != kind || d[i].change == SIG_SAME)
				continue;
			printf("# %s: %" PRIu64 " -> %" PRIu64 " %s\n", change_names[d[i].change],
			       d[i].old_count, d[i].new_count, d[i].signature);
			failed |= d[i].change == SIG_NEW;
		}
		if (new->reason) {
			printf("ok %d no_new_%s # SKIP NEW is inconclusive: %s\n", kind + 1,
			       pcr_violation_key(kind), new->reason);
			skipped++;
		} else {
			printf("%s %d no_new_%s\n", failed ? "not ok" : "ok", kind + 1,
			       pcr_violation_key(kind));
			if (failed)
				failed_tests++;
			else
				passed++;
		}
	}
	pcr_ktap_totals(stdout, passed, failed_tests, 0, skipped);
}

static int print_junit(const char *old_path, const char *new_path, const struct pcr_run *new,
		       const struct sig_diff *d, size_t nr)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char tests[16], failures[16], skipped[16], suite[2100], skip_message[700];
	int kind, nr_failures = 0, ret = 0;
	size_t i;

	if (!w) {
		xmlBufferFree(buf);
		return -PCR_ERR_NOMEM;
	}
	for (kind = 0; kind < PCR_VIOL_NR && !new->reason; kind++)
		for (i = 0; i < nr; i++)
			if (d[i].kind == kind && d[i].change == SIG_NEW) {
				nr_failures++;
				break;
			}
	snprintf(tests, sizeof(tests), "%d", PCR_VIOL_NR);
	snprintf(failures, sizeof(failures), "%d", nr_failures);
	snprintf(skipped, sizeof(skipped), "%d", new->reason ? PCR_VIOL_NR : 0);
	snprintf(skip_message, sizeof(skip_message), "NEW is inconclusive: %s",
		 new->reason ? new->reason : "");
	snprintf(suite, sizeof(suite), "pagecheck-replay diff %s -> %s", old_path, new_path);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	ret |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	ret |= xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "pagecheck-replay diff") < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "tests", BAD_CAST tests) < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "failures", BAD_CAST failures) < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0") < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "skipped", BAD_CAST skipped) < 0;
	ret |= xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST suite) < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "tests", BAD_CAST tests) < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "failures", BAD_CAST failures) < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0") < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "skipped", BAD_CAST skipped) < 0;
	ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "time", BAD_CAST "0") < 0;
	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		char name[64];

		snprintf(name, sizeof(name), "no_new_%s", pcr_violation_key(kind));
		ret |= xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
		ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "classname",
						   BAD_CAST "pagecheck-replay.diff") < 0;
		ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name) < 0;
		ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "time", BAD_CAST "0") < 0;
		if (new->reason) {
			ret |= xmlTextWriterStartElement(w, BAD_CAST "skipped") < 0;
			ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "message",
							   BAD_CAST skip_message) < 0;
			ret |= xmlTextWriterEndElement(w) < 0;
		}
		for (i = 0; i < nr && !new->reason; i++) {
			char message[1100], body[64];

			if (d[i].kind != kind || d[i].change != SIG_NEW)
				continue;
			snprintf(message, sizeof(message), "new signature: %s", d[i].signature);
			snprintf(body, sizeof(body), "%" PRIu64 " events", d[i].new_count);
			ret |= xmlTextWriterStartElement(w, BAD_CAST "failure") < 0;
			ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "type",
							   BAD_CAST pcr_violation_name(kind)) < 0;
			ret |= xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST message) < 0;
			ret |= xmlTextWriterWriteString(w, BAD_CAST body) < 0;
			ret |= xmlTextWriterEndElement(w) < 0;
		}
		ret |= xmlTextWriterEndElement(w) < 0;
	}
	ret |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (!ret && fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), stdout) !=
		    (size_t)xmlBufferLength(buf))
		ret = 1;
	xmlBufferFree(buf);
	return ret ? -PCR_ERR_IO : 0;
}

int cmd_diff(int argc, char **argv)
{
	struct pcr_session_opts opts = PCR_SESSION_OPTS_INIT;
	struct pcr_run old = { 0 }, new = { 0 };
	uint64_t new_sigs = 0;
	struct sig_diff *d;
	size_t nr = 0;
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
	d = compare(&old, &new, opts.strict, &nr, &new_sigs);
	if (!d) {
		status = PCR_EXIT_ERROR;
	} else {
		status = diff_status(&new, new_sigs);
		if (old.reason && !new.reason)
			fprintf(stderr,
				"pagecheck-replay: warning: OLD %s is inconclusive (%s): a signature it lacks may be missing from its recording, not new in NEW\n",
				argv[optind], old.reason);
		if (new.reason)
			fprintf(stderr,
				"pagecheck-replay: warning: NEW %s is inconclusive (%s): it cannot show that no violation is new, exit 3\n",
				argv[optind + 1], new.reason);
		if (opts.format == PCR_FORMAT_JSON) {
			if (print_json(argv[optind], argv[optind + 1], &old, &new, d, nr, new_sigs))
				status = PCR_EXIT_ERROR;
		} else if (opts.format == PCR_FORMAT_KTAP) {
			print_ktap(argv[optind], argv[optind + 1], &old, &new, d, nr);
		} else if (opts.format == PCR_FORMAT_JUNIT) {
			if (print_junit(argv[optind], argv[optind + 1], &new, d, nr))
				status = PCR_EXIT_ERROR;
		} else {
			print_text(argv[optind], argv[optind + 1], &old, &new, d, nr, new_sigs);
		}
	}
	free(d);
	pcr_run_release(&old);
	pcr_run_release(&new);
	pcr_session_opts_release(&opts);
	if (fflush(stdout) || ferror(stdout))
		return PCR_EXIT_ERROR;
	return status;
}
