// SPDX-License-Identifier: GPL-2.0
/*
 * The machine-readable reports of a run and of a diff of two runs. Each is built from the same
 * pieces as the text report: the violation blocks and the "name: value" summary, so the formats
 * cannot disagree.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "output.h"
#include "pcr_formats.h"
#include "xmlapi.h"

/* The name of the test of each violation kind, in KTAP and JUnit. */
static const char *test_name(int kind)
{
	return pcr_violation_key(kind);
}

/* Renders a violation's text block; the caller frees it. */
static char *violation_text(const struct pcr_out *out, const struct pcr_out_violation *o)
{
	struct pcr_out_violation copy = *o;
	size_t len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	copy.ev.comm = o->comm;
	copy.v.event = &copy.ev;
	pcr_print_block(f, out->report, &copy.v, &o->cls, o->signature,
			o->injected ? &o->inj : NULL, out->suppressions_path, o->suppressed_line);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	/* Without the blank line that ends a block in the text report. */
	if (len && text[len - 1] == '\n')
		text[len - 1] = '\0';
	return text;
}

/* ---- JSON ---- */

/* The class a signature row's candidates have: suppressed ones are violations. */
static const char *row_class(int group)
{
	return group == PCR_GROUP_UNDECIDABLE ? "undecidable" :
	       group == PCR_GROUP_EXPLAINED_STACKS ? "explained" : "violation";
}

/* A saved row's group, by its class and whether it was suppressed. */
static int row_group(const char *cls, bool suppressed)
{
	if (cls && !strcmp(cls, "undecidable"))
		return PCR_GROUP_UNDECIDABLE;
	if (cls && !strcmp(cls, "explained"))
		return PCR_GROUP_EXPLAINED_STACKS;
	return suppressed ? PCR_GROUP_SUPPRESSED : PCR_GROUP_VIOLATION;
}

/* A counter's value: a JSON integer when it is one, else the text. */
static json_t *counter_value(const char *value)
{
	char *end;
	unsigned long long n;

	if (*value >= '0' && *value <= '9') {
		n = strtoull(value, &end, 10);
		if (!*end && n <= (unsigned long long)INT64_MAX)
			return json_integer((json_int_t)n);
	}
	return json_string(value);
}

static json_t *stack_json(const struct pcr_out *out, uint32_t stack_id)
{
	json_t *frames = json_array();
	size_t len = 0;
	char *text = NULL, *line, *next;
	FILE *f;

	if (!frames || !stack_id)
		return frames;
	f = open_memstream(&text, &len);
	if (!f)
		return frames;
	pcr_report_stack(f, 0, stack_id, out->report);
	fclose(f);
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		json_array_append_new(frames, json_string(line));
	}
	free(text);
	return frames;
}

static json_t *provenance_json(const struct pcr_out *out, const struct pcr_provenance *p)
{
	const char *comm;
	char ts[32];

	if (!p->valid)
		return json_null();
	comm = out->report->comm ? out->report->comm(out->report->comm_ctx, p->pid) : NULL;
	pcr_format_ts(ts, sizeof(ts), p->ts_ns);
	return json_pack("{s:s, s:I, s:i, s:s, s:i, s:o}", "timestamp", ts, "timestamp_ns",
			 (json_int_t)p->ts_ns, "cpu", (int)p->cpu, "task", comm ? comm : "<...>",
			 "pid", (int)p->pid, "stack", stack_json(out, p->stack_id));
}

static json_t *violation_json(const struct pcr_out *out, const struct pcr_out_violation *o)
{
	const struct pcr_event *ev = &o->ev;
	char ts[32], pfn[24], first[24], gfp[512], prev_ts[32], supp[600], inj[96];
	json_t *obj;

	pcr_format_ts(ts, sizeof(ts), ev->ts_ns);
	snprintf(pfn, sizeof(pfn), "0x%" PRIx64, ev->pfn);
	snprintf(first, sizeof(first), "0x%" PRIx64, o->v.first_pfn);
	obj = json_pack("{s:s, s:s, s:I, s:i, s:s, s:i, s:s, s:s, s:i}",
			"kind", pcr_violation_name(o->v.kind), "timestamp", ts, "timestamp_ns",
			(json_int_t)ev->ts_ns, "cpu", (int)ev->cpu, "task", o->comm, "pid",
			(int)ev->pid, "event", pcr_event_name(ev->kind), "pfn", pfn, "order",
			(int)ev->order);
	if (!obj)
		return NULL;
	if (ev->kind == PCR_EV_ALLOC) {
		pcr_format_gfp(gfp, sizeof(gfp), ev->gfp, out->report->gfp_names,
			       out->report->nr_gfp_names);
		json_object_set_new(obj, "gfp_flags", json_string(gfp));
		json_object_set_new(obj, "gfp_flags_raw", json_integer((json_int_t)ev->gfp));
		json_object_set_new(obj, "migratetype", json_integer(ev->migratetype));
	}
	json_object_set_new(obj, "pages_affected", json_integer(o->v.pages));
	json_object_set_new(obj, "pages", json_integer((json_int_t)1 << ev->order));
	json_object_set_new(obj, "first_affected_pfn", json_string(first));
	if (o->v.kind == PCR_VIOL_INVARIANT)
		json_object_set_new(obj, "bits_before",
				    json_pack("{s:i, s:i}", "primary", o->v.primary, "secondary",
					      o->v.secondary));
	if (o->v.prev_kind == PCR_EV_NONE) {
		json_object_set_new(obj, "previous", json_null());
	} else {
		pcr_format_ts(prev_ts, sizeof(prev_ts), o->v.prev_ts_ns);
		json_object_set_new(obj, "previous",
				    json_pack("{s:s, s:s}", "event", pcr_event_name(o->v.prev_kind),
					      "timestamp", prev_ts));
	}
	if (out->report->depot) {
		json_object_set_new(obj, "stack", stack_json(out, ev->stack_id));
		json_object_set_new(obj, "last_free", provenance_json(out, &o->v.last_free));
		json_object_set_new(obj, "last_alloc", provenance_json(out, &o->v.last_alloc));
	}
	json_object_set_new(obj, "class", json_string(pcr_class_name(o->cls.cls)));
	if (o->cls.cls == PCR_CLASS_EXPLAINED)
		json_object_set_new(obj, "explained_by",
				    json_pack("{s:s, s:s, s:s, s:s, s:s}", "path", o->cls.path,
					      "evidence", o->cls.evidence, "where",
					      o->cls.where ? o->cls.where : "the stack", "why",
					      o->cls.why, "measured", o->cls.row ? o->cls.row : ""));
	if (o->cls.detail[0])
		json_object_set_new(obj, "class_detail", json_string(o->cls.detail));
	else if (o->cls.cls == PCR_CLASS_UNDECIDABLE)
		json_object_set_new(obj, "undecidable",
				    json_pack("{s:s, s:s}", "why", o->cls.why, "remedy",
					      o->cls.remedy));
	json_object_set_new(obj, "signature", json_string(o->signature));
	if (o->injected)
		json_object_set_new(obj, "injected",
				    json_string(pcr_injection_text(inj, sizeof(inj), &o->inj)));
	if (o->suppressed_line) {
		snprintf(supp, sizeof(supp), "%s:%d", out->suppressions_path, o->suppressed_line);
		json_object_set_new(obj, "suppressed_by", json_string(supp));
	} else {
		json_object_set_new(obj, "suppressed_by", json_null());
	}
	return obj;
}

/* Prints @root indented, with the newline jansson leaves out, and drops it. */
static int json_print(FILE *f, json_t *root)
{
	int ret = json_dumpf(root, f, JSON_INDENT(2));

	json_decref(root);
	if (ret || fputc('\n', f) == EOF)
		return -PCR_ERR_IO;
	return 0;
}

int pcr_output_json(FILE *f, const struct pcr_out *out)
{
	json_t *root, *summary, *signatures, *violations;
	size_t i;

	root = json_object();
	summary = json_object();
	signatures = json_array();
	violations = json_array();
	if (!root || !summary || !signatures || !violations) {
		json_decref(root);
		json_decref(summary);
		json_decref(signatures);
		json_decref(violations);
		return -PCR_ERR_NOMEM;
	}
	json_object_set_new(root, "tool", json_string("pagecheck-replay"));
	json_object_set_new(root, "version", json_string(PCR_VERSION_STRING));
	for (i = 0; i < out->run->nr_counters; i++)
		json_object_set_new(summary, out->run->counters[i].name,
				    counter_value(out->run->counters[i].value));
	for (i = 0; i < out->run->nr_sigs; i++) {
		const struct pcr_sigrow *row = &out->run->sigs[i];

		/* An explained row by its stack signature, as every other row. */
		if (row->group == PCR_GROUP_EXPLAINED)
			continue;
		json_array_append_new(signatures,
				      json_pack("{s:s, s:s, s:I, s:b, s:s}", "class",
						row_class(row->group), "kind",
						pcr_violation_name(row->kind), "count",
						(json_int_t)row->count, "suppressed",
						row->group == PCR_GROUP_SUPPRESSED, "signature",
						row->signature));
	}
	json_object_set_new(root, "summary", summary);
	json_object_set_new(root, "signatures", signatures);
	for (i = 0; i < out->run->nr_viols; i++) {
		json_t *v = violation_json(out, &out->run->viols[i]);

		if (v)
			json_array_append_new(violations, v);
	}
	json_object_set_new(root, "violations", violations);
	json_object_set_new(root, "verdict", json_string(pcr_verdict_name(out->verdict)));
	if (out->run->reason)
		json_object_set_new(root, "verdict_reason", json_string(out->run->reason));
	json_object_set_new(root, "exit_status", json_integer(out->exit_status));
	return json_print(f, root);
}

/* ---- KTAP ---- */

static void ktap_diagnostic(FILE *f, const char *text)
{
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		int len = end ? (int)(end - line) : (int)strlen(line);

		fprintf(f, "# %.*s\n", len, line);
		line = end ? end + 1 : NULL;
	}
}

/* After the results: the counts of tests "ok", "not ok", XFAIL and SKIP. */
static void ktap_totals(FILE *f, int pass, int fail, int xfail, int skip)
{
	/* The counts line kselftest's ksft_print_cnts() prints; runners and KernelCI read it. */
	fprintf(f, "# Totals: pass:%d fail:%d xfail:%d xpass:0 skip:%d error:0\n", pass, fail,
		xfail, skip);
}

/* One result line; counts it for the totals. */
static void ktap_result(FILE *f, int *counts, int number, const char *name, bool ok,
			const char *directive, const char *why)
{
	if (!directive)
		counts[ok ? 0 : 1]++;
	else if (!strcmp(directive, "XFAIL"))
		counts[2]++;
	else
		counts[3]++;
	fprintf(f, "%s %d %s%s%s%s%s\n", ok ? "ok" : "not ok", number, name,
		directive ? " # " : "", directive ? directive : "", why ? " " : "", why ? why : "");
}

int pcr_output_ktap(FILE *f, const struct pcr_out *out)
{
	int kind, number = 0, counts[4] = { 0 };
	bool lost = out->stats->lost_events || out->stats->lost_unknown;
	char *summary;
	bool inconclusive = out->verdict == PCR_VERDICT_INCONCLUSIVE;
	char skip[700];
	size_t i;

	/*
	 * Documentation/dev-tools/ktap.rst: version line, plan, then one result line a test. KTAP
	 * does not recognize TODO: a violation that does not fail the run is an XFAIL, as in
	 * kselftest. A kind the recording cannot decide is skipped with the reason, never "ok".
	 */
	snprintf(skip, sizeof(skip), "inconclusive: %s", out->run->reason ? out->run->reason : "");
	fprintf(f, "KTAP version 1\n");
	fprintf(f, "# pagecheck-replay %s: %s\n", PCR_VERSION_STRING, out->path);
	fprintf(f, "1..%d\n", PCR_VIOL_NR + 2);
	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		uint64_t failing = out->unsuppressed[kind];

		for (i = 0; i < out->run->nr_viols; i++) {
			char *text;

			if (out->run->viols[i].v.kind != kind)
				continue;
			text = violation_text(out, &out->run->viols[i]);
			if (text)
				ktap_diagnostic(f, text);
			free(text);
		}
		fprintf(f, "# %s: %" PRIu64 " violating events, %" PRIu64 " suppressed\n",
			test_name(kind), failing + out->suppressed[kind], out->suppressed[kind]);
		number++;
		if (failing && !(out->fail_on & (1u << kind)))
			ktap_result(f, counts, number, test_name(kind), true, "XFAIL",
				    "not in --fail-on");
		else if (inconclusive)
			ktap_result(f, counts, number, test_name(kind), true, "SKIP", skip);
		else
			ktap_result(f, counts, number, test_name(kind), !failing, NULL, NULL);
	}
	fprintf(f, "# recording_complete: %" PRIu64 " events lost%s%s%s\n", out->stats->lost_events,
		out->stats->lost_unknown ? " (and more, uncounted)" : "",
		out->damage ? "; damaged: " : "", out->damage ? out->damage : "");
	number++;
	if (!lost && !out->damage)
		ktap_result(f, counts, number, "recording_complete", true, NULL, NULL);
	else if ((lost && !out->allow_lost) || (out->damage && !out->allow_damaged))
		ktap_result(f, counts, number, "recording_complete", false, NULL, NULL);
	else
		ktap_result(f, counts, number, "recording_complete", true, "XFAIL",
			    lost ? "judged anyway (--allow-lost)" :
			    "judged anyway (--allow-damaged)");
	fprintf(f, "# candidates_decided: %" PRIu64 " undecidable\n", out->undecided);
	number++;
	if (!out->undecided)
		ktap_result(f, counts, number, "candidates_decided", true, NULL, NULL);
	else if (!out->allow_undecidable)
		ktap_result(f, counts, number, "candidates_decided", false, NULL, NULL);
	else
		ktap_result(f, counts, number, "candidates_decided", true, "XFAIL",
			    "judged without them (--allow-undecidable)");
	summary = pcr_run_summary_text(out->run);
	ktap_diagnostic(f, summary);
	free(summary);
	fprintf(f, "# verdict: %s%s%s\n", pcr_verdict_name(out->verdict),
		out->run->reason ? ": " : "", out->run->reason ? out->run->reason : "");
	ktap_totals(f, counts[0], counts[1], counts[2], counts[3]);
	return ferror(f) ? -PCR_ERR_IO : 0;
}

/* ---- JUnit XML ---- */

/* A JUnit document being written: libxml2's functions, its buffer and writer. */
struct junit {
	struct pcr_xml x;
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
};

/*
 * A document's head: <testsuites> and its one <testsuite>, both left open, with the same
 * counts. A run's and a diff's documents differ only in their names and test cases.
 */
static int junit_head(const struct junit *j, const char *name, const char *suite, const char *tests,
		      const char *failures, const char *skipped)
{
	static const char *const elements[] = { "testsuites", "testsuite" };
	const char *names[] = { name, suite };
	int ret = 0, i;

	j->x.set_indent(j->w, 1);
	j->x.set_indent_string(j->w, BAD_CAST "  ");
	ret |= j->x.start_document(j->w, NULL, "UTF-8", NULL) < 0;
	for (i = 0; i < 2; i++) {
		ret |= j->x.start_element(j->w, BAD_CAST elements[i]) < 0;
		ret |= j->x.write_attribute(j->w, BAD_CAST "name", BAD_CAST names[i]) < 0;
		ret |= j->x.write_attribute(j->w, BAD_CAST "tests", BAD_CAST tests) < 0;
		ret |= j->x.write_attribute(j->w, BAD_CAST "failures", BAD_CAST failures) < 0;
		ret |= j->x.write_attribute(j->w, BAD_CAST "errors", BAD_CAST "0") < 0;
		ret |= j->x.write_attribute(j->w, BAD_CAST "skipped", BAD_CAST skipped) < 0;
	}
	ret |= j->x.write_attribute(j->w, BAD_CAST "time", BAD_CAST "0") < 0;
	return ret;
}

/* A document's writer, libxml2 loaded for it; 0, -PCR_ERR_IO or -PCR_ERR_NOMEM. */
static int junit_open(struct junit *j)
{
	int ret = pcr_xml_load(&j->x);

	if (ret)
		return ret;
	j->buf = j->x.buffer_create();
	j->w = j->buf ? j->x.new_writer(j->buf, 0) : NULL;
	if (!j->w) {
		if (j->buf)
			j->x.buffer_free(j->buf);
		return -PCR_ERR_NOMEM;
	}
	return 0;
}

/* Ends the document and prints it, unless writing it failed (@ret); frees the writer. */
static int junit_print(FILE *f, struct junit *j, int ret)
{
	ret |= j->x.end_document(j->w) < 0;
	j->x.free_writer(j->w);
	if (!ret && fwrite(j->x.buffer_content(j->buf), 1, (size_t)j->x.buffer_length(j->buf), f) !=
		    (size_t)j->x.buffer_length(j->buf))
		ret = 1;
	j->x.buffer_free(j->buf);
	return ret ? -PCR_ERR_IO : 0;
}

/* Opens a <testcase>. */
static int junit_case(const struct junit *j, const char *classname, const char *name)
{
	int ret = 0;

	ret |= j->x.start_element(j->w, BAD_CAST "testcase") < 0;
	ret |= j->x.write_attribute(j->w, BAD_CAST "classname", BAD_CAST classname) < 0;
	ret |= j->x.write_attribute(j->w, BAD_CAST "name", BAD_CAST name) < 0;
	ret |= j->x.write_attribute(j->w, BAD_CAST "time", BAD_CAST "0") < 0;
	return ret;
}

/* A <failure> of a test case. */
static int junit_failure(const struct junit *j, const char *type, const char *message,
			 const char *body)
{
	int ret = 0;

	ret |= j->x.start_element(j->w, BAD_CAST "failure") < 0;
	ret |= j->x.write_attribute(j->w, BAD_CAST "type", BAD_CAST type) < 0;
	ret |= j->x.write_attribute(j->w, BAD_CAST "message", BAD_CAST message) < 0;
	ret |= j->x.write_string(j->w, BAD_CAST body) < 0;
	ret |= j->x.end_element(j->w) < 0;
	return ret;
}

/* A <skipped> of a test case, with why. */
static int junit_skipped(const struct junit *j, const char *message)
{
	int ret = 0;

	ret |= j->x.start_element(j->w, BAD_CAST "skipped") < 0;
	ret |= j->x.write_attribute(j->w, BAD_CAST "message", BAD_CAST message) < 0;
	ret |= j->x.end_element(j->w) < 0;
	return ret;
}

static int junit_testcase(const struct junit *j, const char *name, const char *failure_type,
			  const char *message, const char *body, const char *skipped)
{
	int ret = junit_case(j, "pagecheck-replay", name);

	if (failure_type)
		ret |= junit_failure(j, failure_type, message, body ? body : "");
	else if (skipped)
		ret |= junit_skipped(j, skipped);
	if (!failure_type && body && *body)
		ret |= j->x.write_element(j->w, BAD_CAST "system-out", BAD_CAST body) < 0;
	ret |= j->x.end_element(j->w) < 0;
	return ret ? -PCR_ERR_IO : 0;
}

/* The blocks of one kind's violations, one after the other. */
static char *kind_blocks(const struct pcr_out *out, int kind)
{
	size_t len = 0, i;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	for (i = 0; i < out->run->nr_viols; i++) {
		char *block;

		if (out->run->viols[i].v.kind != kind)
			continue;
		block = violation_text(out, &out->run->viols[i]);
		if (block)
			fprintf(f, "%s\n", block);
		free(block);
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

int pcr_output_junit(FILE *f, const struct pcr_out *out)
{
	bool lost = out->stats->lost_events || out->stats->lost_unknown;
	int kind, failures = 0, skipped = 0, ret = 0;
	char tests[16], nfail[16], nskip[16], suite[1100], skip[700], *summary;
	bool inconclusive = out->verdict == PCR_VERDICT_INCONCLUSIVE;
	struct junit j;

	ret = junit_open(&j);
	if (ret)
		return ret;
	/* As in KTAP: an inconclusive run skips the kinds it cannot decide, with the reason. */
	snprintf(skip, sizeof(skip), "inconclusive: %s", out->run->reason ? out->run->reason : "");
	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		if (out->unsuppressed[kind] && !(out->fail_on & (1u << kind)))
			skipped++;
		else if (inconclusive)
			skipped++;
		else if (out->unsuppressed[kind])
			failures++;
	}
	if ((lost && !out->allow_lost) || (out->damage && !out->allow_damaged))
		failures++;
	else if (lost || out->damage)
		skipped++;
	if (out->undecided && !out->allow_undecidable)
		failures++;
	else if (out->undecided)
		skipped++;
	snprintf(tests, sizeof(tests), "%d", PCR_VIOL_NR + 2);
	snprintf(nfail, sizeof(nfail), "%d", failures);
	snprintf(nskip, sizeof(nskip), "%d", skipped);
	snprintf(suite, sizeof(suite), "pagecheck-replay %s", out->path);

	ret = junit_head(&j, "pagecheck-replay", suite, tests, nfail, nskip) ? -PCR_ERR_IO : 0;
	for (kind = 0; kind < PCR_VIOL_NR && !ret; kind++) {
		char message[160], *blocks = kind_blocks(out, kind);
		uint64_t failing = out->unsuppressed[kind];

		snprintf(message, sizeof(message),
			 "%" PRIu64 " %s events (%" PRIu64 " more suppressed)", failing,
			 pcr_violation_name(kind), out->suppressed[kind]);
		if (failing && (out->fail_on & (1u << kind)) && !inconclusive)
			ret = junit_testcase(&j, test_name(kind), pcr_violation_name(kind),
					     message, blocks, NULL);
		else if (failing)
			ret = junit_testcase(&j, test_name(kind), NULL, NULL, blocks,
					     "not in --fail-on");
		else if (inconclusive)
			ret = junit_testcase(&j, test_name(kind), NULL, NULL, blocks, skip);
		else
			ret = junit_testcase(&j, test_name(kind), NULL, NULL, blocks, NULL);
		free(blocks);
	}
	if (!ret && out->damage && !lost) {
		bool failing = !out->allow_damaged;

		ret = junit_testcase(&j, "recording_complete", failing ? "DAMAGED" : NULL,
				     out->damage, NULL, failing ? NULL : "--allow-damaged");
	} else if (!ret) {
		char message[160];

		snprintf(message, sizeof(message), "the recording lost %" PRIu64 " events%s",
			 out->stats->lost_events,
			 out->stats->lost_unknown ? " (and more, uncounted)" : "");
		ret = junit_testcase(&j, "recording_complete",
				     lost && !out->allow_lost ? "LOST-EVENTS" : NULL, message, NULL,
				     lost && out->allow_lost ? "--allow-lost" : NULL);
	}
	if (!ret) {
		char message[160];

		snprintf(message, sizeof(message),
			 "%" PRIu64 " double allocs and frees the recording cannot decide",
			 out->undecided);
		ret = junit_testcase(&j, "candidates_decided",
				     out->undecided && !out->allow_undecidable ? "UNDECIDABLE" : NULL,
				     message, NULL,
				     out->undecided && out->allow_undecidable ? "--allow-undecidable" :
				     NULL);
	}
	summary = pcr_run_summary_text(out->run);
	ret |= !summary ||
	       j.x.write_element(j.w, BAD_CAST "system-out", BAD_CAST summary) < 0;
	free(summary);
	ret |= j.x.end_element(j.w) < 0;
	ret |= j.x.end_element(j.w) < 0;
	return junit_print(f, &j, ret);
}

/* ---- A diff of two runs ---- */

static json_t *diff_side_json(const char *path, const struct pcr_run *run)
{
	return json_pack("{s:s, s:s, s:s?}", "path", path, "verdict",
			 pcr_verdict_name(run->verdict), "reason", run->reason);
}

int pcr_output_diff_json(FILE *f, const struct pcr_diff *d)
{
	json_t *root = json_object(), *sigs = json_array(), *counters = json_array();
	size_t i;

	if (!root || !sigs || !counters) {
		json_decref(root);
		json_decref(sigs);
		json_decref(counters);
		return -PCR_ERR_NOMEM;
	}
	json_object_set_new(root, "old", diff_side_json(d->old_path, d->old));
	json_object_set_new(root, "new", diff_side_json(d->new_path, d->new));
	for (i = 0; i < d->nr_sigs; i++)
		json_array_append_new(sigs, json_pack("{s:s, s:s, s:s, s:I, s:I}", "change",
						      pcr_sig_change_name(d->sigs[i].change),
						      "kind", pcr_violation_name(d->sigs[i].kind),
						      "signature", d->sigs[i].signature, "old",
						      (json_int_t)d->sigs[i].old_count, "new",
						      (json_int_t)d->sigs[i].new_count));
	for (i = 0; i < d->new->nr_counters; i++) {
		const struct pcr_counter *c = &d->new->counters[i];

		json_array_append_new(counters, json_pack("{s:s, s:s?, s:s}", "name", c->name,
							  "old",
							  pcr_run_counter_value(d->old, c->name),
							  "new", c->value));
	}
	json_object_set_new(root, "signatures", sigs);
	json_object_set_new(root, "counters", counters);
	json_object_set_new(root, "new_signatures", json_integer((json_int_t)d->new_sigs));
	json_object_set_new(root, "verdict",
			    json_string(d->new->reason ? "inconclusive" :
					d->new_sigs ? "new violations" : "no new violations"));
	json_object_set_new(root, "exit_status", json_integer(d->exit_status));
	return json_print(f, root);
}

/* The test of a violation kind in a diff: "no_new_double_alloc". */
static void diff_test_name(char *buf, size_t size, int kind)
{
	snprintf(buf, size, "no_new_%s", test_name(kind));
}

int pcr_output_diff_ktap(FILE *f, const struct pcr_diff *d)
{
	int kind, counts[4] = { 0 };
	char skip[700];
	size_t i;

	snprintf(skip, sizeof(skip), "NEW is inconclusive: %s",
		 d->new->reason ? d->new->reason : "");
	fprintf(f, "KTAP version 1\n");
	fprintf(f, "# pagecheck-replay %s diff: %s -> %s\n", PCR_VERSION_STRING, d->old_path,
		d->new_path);
	fprintf(f, "1..%d\n", PCR_VIOL_NR);
	if (d->old->reason)
		fprintf(f, "# OLD is inconclusive: %s\n", d->old->reason);
	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		bool failed = false;
		char name[64];

		for (i = 0; i < d->nr_sigs; i++) {
			const struct pcr_sig_diff *sd = &d->sigs[i];

			if (sd->kind != kind || sd->change == PCR_SIG_SAME)
				continue;
			fprintf(f, "# %s: %" PRIu64 " -> %" PRIu64 " %s\n",
				pcr_sig_change_name(sd->change), sd->old_count, sd->new_count,
				sd->signature);
			failed |= sd->change == PCR_SIG_NEW;
		}
		diff_test_name(name, sizeof(name), kind);
		if (d->new->reason)
			ktap_result(f, counts, kind + 1, name, true, "SKIP", skip);
		else
			ktap_result(f, counts, kind + 1, name, !failed, NULL, NULL);
	}
	ktap_totals(f, counts[0], counts[1], counts[2], counts[3]);
	return ferror(f) ? -PCR_ERR_IO : 0;
}

/* Whether NEW has a new signature of @kind. */
static bool diff_kind_fails(const struct pcr_diff *d, int kind)
{
	size_t i;

	for (i = 0; i < d->nr_sigs; i++)
		if (d->sigs[i].kind == kind && d->sigs[i].change == PCR_SIG_NEW)
			return true;
	return false;
}

int pcr_output_diff_junit(FILE *f, const struct pcr_diff *d)
{
	char tests[16], failures[16], skipped[16], suite[2100], skip[700];
	const char *reason = d->new->reason;
	int kind, nr_failures = 0, ret;
	struct junit j;
	size_t i;

	ret = junit_open(&j);
	if (ret)
		return ret;
	for (kind = 0; kind < PCR_VIOL_NR && !reason; kind++)
		nr_failures += diff_kind_fails(d, kind);
	snprintf(tests, sizeof(tests), "%d", PCR_VIOL_NR);
	snprintf(failures, sizeof(failures), "%d", nr_failures);
	snprintf(skipped, sizeof(skipped), "%d", reason ? PCR_VIOL_NR : 0);
	snprintf(skip, sizeof(skip), "NEW is inconclusive: %s", reason ? reason : "");
	snprintf(suite, sizeof(suite), "pagecheck-replay diff %s -> %s", d->old_path, d->new_path);
	ret = junit_head(&j, "pagecheck-replay diff", suite, tests, failures, skipped);
	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		char name[64];

		diff_test_name(name, sizeof(name), kind);
		ret |= junit_case(&j, "pagecheck-replay.diff", name);
		if (reason)
			ret |= junit_skipped(&j, skip);
		for (i = 0; i < d->nr_sigs && !reason; i++) {
			char message[1100], body[64];

			if (d->sigs[i].kind != kind || d->sigs[i].change != PCR_SIG_NEW)
				continue;
			snprintf(message, sizeof(message), "new signature: %s",
				 d->sigs[i].signature);
			snprintf(body, sizeof(body), "%" PRIu64 " events", d->sigs[i].new_count);
			ret |= junit_failure(&j, pcr_violation_name(kind), message, body);
		}
		ret |= j.x.end_element(j.w) < 0;
	}
	return junit_print(f, &j, ret);
}

/* ---- Reading runs back ---- */

int pcr_run_from_json(const char *text, struct pcr_run *run, char *errmsg)
{
	json_t *root, *summary, *signatures, *value, *row;
	const char *key, *verdict, *strict;
	json_error_t error;
	size_t i;
	int v;

	memset(run, 0, sizeof(*run));
	root = json_loads(text, 0, &error);
	if (!root)
		return pcr_errmsg(errmsg, -PCR_ERR_FORMAT, "not JSON (line %d: %s)", error.line,
				  error.text);
	summary = json_object_get(root, "summary");
	signatures = json_object_get(root, "signatures");
	verdict = json_string_value(json_object_get(root, "verdict"));
	if (!json_is_object(summary) || !json_is_array(signatures) || !verdict) {
		json_decref(root);
		return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
				  "not a pagecheck-replay --format=json report (no summary, signatures and verdict)");
	}
	json_object_foreach(summary, key, value) {
		if (json_is_integer(value))
			pcr_run_counterf(run, key, "%" JSON_INTEGER_FORMAT,
					 json_integer_value(value));
		else if (json_is_string(value))
			pcr_run_counter(run, key, json_string_value(value));
	}
	json_array_foreach(signatures, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));
		const char *sig = json_string_value(json_object_get(row, "signature"));
		const char *cls = json_string_value(json_object_get(row, "class"));
		json_int_t count = json_integer_value(json_object_get(row, "count"));
		bool suppressed = json_is_true(json_object_get(row, "suppressed"));
		int k, kind_no = -1;

		for (k = 0; kind && k < PCR_VIOL_NR; k++)
			if (!strcmp(kind, pcr_violation_name(k)))
				kind_no = k;
		if (kind_no >= 0 && sig)
			pcr_run_add_sig(run, row_group(cls, suppressed), kind_no, sig,
					(uint64_t)count);
	}
	for (v = PCR_VERDICT_CLEAN; v <= PCR_VERDICT_INCONCLUSIVE; v++)
		if (!strcmp(verdict, pcr_verdict_name(v)))
			run->verdict = v;
	/* A run saved under --strict counted its explained and undecidable ones already. */
	strict = pcr_run_counter_value(run, "strict");
	run->strict = strict && !strncmp(strict, "yes", 3);
	/* Reports saved before verdict_reason existed only say that they are inconclusive. */
	value = json_object_get(root, "verdict_reason");
	if (json_is_string(value))
		key = json_string_value(value);
	else if (!strcmp(verdict, "inconclusive"))
		key = "the saved report says inconclusive, without a reason";
	else
		key = NULL;
	run->reason = key ? strdup(key) : NULL;
	json_decref(root);
	if (run->nomem || (key && !run->reason)) {
		pcr_run_release(run);
		return -PCR_ERR_NOMEM;
	}
	return 0;
}
