// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay: the command line. A client of lib/ and formats/ like any other.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct pcr_command commands[] = {
	{ "replay", cmd_replay, "replay a recording (the default command)" },
	{ "diff", cmd_diff, "compare two runs by violation kind and stack signature" },
	{ "inject-campaign", cmd_inject_campaign, "measure how many injected faults are caught" },
	{ "live", cmd_live, "replay the running kernel's page events as they happen" },
	{ "record", cmd_record, "record the page events a replay needs into a trace.dat" },
	{ "help", cmd_help, "show a command's man page (its --help without man)" },
};

static void print_version(void)
{
	printf("pagecheck-replay %s\n", PCR_VERSION_STRING);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		print_version();
		return PCR_EXIT_CLEAN;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (argc > 1 && !strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	/* No command word: "pagecheck-replay FILE" replays FILE. */
	return cmd_replay(argc, argv);
}
