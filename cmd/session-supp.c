// SPDX-License-Identifier: GPL-2.0
/*
 * Suppressions: reading a baseline of known signatures (--suppressions), matching violations
 * against it, and writing this run's as one (--write-suppressions).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ksyms.h"
#include "session.h"
#include "session-priv.h"

/*
 * A suppressions file: "KIND SIGNATURE" a line, KIND one of the --fail-on names, the report
 * names (DOUBLE-FREE) or '*'; SIGNATURE an fnmatch(3) pattern; '#' starts a comment.
 */
int pcr_session_load_suppressions(struct pcr_session *s, char *errmsg)
{
	const char *path = s->opts->suppressions_path;
	char *text, *line, *next;
	int lineno = 0, ret;
	size_t len;

	ret = pcr_read_file(path, &text, &len, errmsg);
	if (ret)
		return ret;
	for (line = text; line && *line; line = next) {
		struct pcr_suppression *supps;
		char *kind_end, *sig, *end;
		int kind;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line += strspn(line, " \t");
		if (!*line || *line == '#')
			continue;
		kind_end = line + strcspn(line, " \t");
		sig = kind_end + strspn(kind_end, " \t");
		for (end = sig + strlen(sig); end > sig && strchr(" \t\r", end[-1]); end--)
			;
		*end = '\0';
		kind = kind_end - line == 1 && *line == '*' ? -1 :
		       pcr_parse_kind(line, (size_t)(kind_end - line));
		if ((kind < 0 && !(kind_end - line == 1 && *line == '*')) || !*sig) {
			free(text);
			return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
					  "%s:%d: expected 'KIND SIGNATURE' (KIND: double-alloc, double-free, invariant or *)",
					  path, lineno);
		}
		supps = realloc(s->supps, (s->nr_supps + 1) * sizeof(*supps));
		if (!supps) {
			free(text);
			return -PCR_ERR_NOMEM;
		}
		s->supps = supps;
		supps[s->nr_supps] = (struct pcr_suppression){ .pattern = strdup(sig), .kind = kind,
							   .line = lineno };
		if (!supps[s->nr_supps++].pattern) {
			free(text);
			return -PCR_ERR_NOMEM;
		}
	}
	free(text);
	return 0;
}

/* One suppression rule per row of @table, under a comment with its count. */
static void write_rules(FILE *f, struct pcr_sigtable *table, const char *note)
{
	const struct pcr_sigcount *rows;
	size_t nr, i;

	rows = pcr_sigtable_rows(table, &nr);
	for (i = 0; i < nr; i++) {
		fprintf(f, "# %" PRIu64 " events%s\n", rows[i].count, note);
		fprintf(f, "%s %s\n", pcr_kind_option(rows[i].kind), rows[i].signature);
	}
}

int pcr_session_write_suppressions(struct pcr_session *s)
{
	const char *path = s->opts->write_suppressions_path;
	FILE *f = fopen(path, "w");
	int err;

	if (!f) {
		fprintf(stderr, "pagecheck-replay: error: %s: cannot write: %s\n", path,
			strerror(errno));
		return -PCR_ERR_IO;
	}
	fprintf(f, "# pagecheck-replay suppressions, written from %s\n", s->path);
	fprintf(f, "# KIND SIGNATURE (an fnmatch pattern); '#' starts a comment\n");
	write_rules(f, pcr_session_group(s, PCR_GROUP_VIOLATION), "");
	/* The candidates this recording cannot decide are part of today's state too. */
	write_rules(f, pcr_session_group(s, PCR_GROUP_UNDECIDABLE), ", undecidable");
	err = ferror(f);
	if (fclose(f) || err) {
		fprintf(stderr, "pagecheck-replay: error: %s: cannot write\n", path);
		return -PCR_ERR_IO;
	}
	return 0;
}
