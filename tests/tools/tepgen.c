// SPDX-License-Identifier: GPL-2.0
/*
 * tepgen - print fmts made of random C tokens, each checked by formats/tepcheck.c and, when it
 * passes, parsed by libtraceevent's tep_parse_event() in a child process (issue 17). A child
 * that dies means tepcheck let through a text that crashes libtraceevent: the text is printed.
 *
 * Usage: tepgen COUNT SEED
 * Prints each crashing text, then "accepted N, crashes C"; exits 1 when C > 0. Not a CTest test
 * (a few minutes for 150,000 texts); README "Fuzzing" gives its numbers.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <traceevent/event-parse.h>
#include <unistd.h>

#include "pcr_formats.h"
#include "tepcheck.h"

static const char *const tokens[] = {
	"REC->b", "REC->caller", "1", "0l", "x", "\"s\"", "(", ")", "[", "]", "?", ":", ".", "=",
	"+", "-", "*", "!", ",", "->", "f(", "(void *)", "{", "}", ";", "<<", "==", "+=", "&",
	"|", "(int)", "__print_flags(", "~", "[1]", "&&", "-=", "<<=", "1UL",
	"__print_symbolic(REC->b, {", "__get_str(b)", "(REC)->b", "%", "/", "!=", ">=", "||",
	"--", "++", "^", "0", "{1, \"x\"}", "__print_hex(", "sizeof(int)",
};

/* Whether tep_parse_event() survives @text in a child (its warnings go to /dev/null). */
static int survives(const char *text, size_t len)
{
	int status, null;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		struct tep_handle *tep = tep_alloc();

		null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		tep_parse_event(tep, text, len, "sys");
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	unsigned long count, n, accepted = 0, crashes = 0;
	char text[4096], expr[1024], why[PCR_TEPCHECK_WHY], name[128];
	int len, j, parts;

	if (argc != 3) {
		fprintf(stderr, "usage: tepgen COUNT SEED\n");
		return 2;
	}
	count = strtoul(argv[1], NULL, 10);
	srand((unsigned int)strtoul(argv[2], NULL, 10));
	for (n = 0; n < count; n++) {
		expr[0] = '\0';
		parts = 1 + rand() % 9;
		for (j = 0; j < parts; j++) {
			strcat(expr, tokens[rand() % (int)(sizeof(tokens) / sizeof(tokens[0]))]);
			if (rand() % 2)
				strcat(expr, " ");
		}
		len = snprintf(text, sizeof(text), "name: e\nID: 1\nformat:\n"
			       "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n"
			       "\tfield:unsigned long caller[8];\toffset:16;\tsize:64;\tsigned:0;\n"
			       "\tfield:unsigned long b;\toffset:8;\tsize:8;\tsigned:0;\n\n"
			       "print fmt: \"%%ps\", %s\n", expr);
		if (pcr_tep_check_event(text, (size_t)len, name, sizeof(name), why))
			continue;
		accepted++;
		if (survives(text, (size_t)len) != 1) {
			crashes++;
			printf("crash: %s\n", expr);
		}
	}
	printf("accepted %lu, crashes %lu\n", accepted, crashes);
	return crashes ? 1 : 0;
}
