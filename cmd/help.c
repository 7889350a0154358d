// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay help [COMMAND]: the command's man page, as 'git help' and 'perf help' open
 * theirs; its --help, with a note, where man or the page is missing.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

/* The commands that have a page; replay's is pagecheck-replay(1) itself. */
static const char *const help_commands[] = {
	"replay", "diff", "inject-campaign", "live", "record", "help",
};

static const char help_usage[] =
	"Usage: pagecheck-replay help [COMMAND]\n"
	"\n"
	"Show the man page of COMMAND (pagecheck-replay-COMMAND(1); pagecheck-replay(1)\n"
	"without one, or for replay and help); where man or the page is missing, the\n"
	"command's --help, after a note on standard error.\n"
	"Commands: replay, diff, inject-campaign, live, record, help.\n"
	"\n"
	"Exit status: 0 shown, 2 usage error, or what man returns.\n";

/* Whether 'man -w PAGE' finds the page: 0 yes, 1 no page, -1 no man. */
static int man_finds(const char *page)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execlp("man", "man", "-w", page, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	if (WEXITSTATUS(status) == 127)
		return -1;
	return WEXITSTATUS(status) ? 1 : 0;
}

int cmd_help(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : "replay";
	char page[64];
	size_t i;
	int found;

	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))) {
		fputs(help_usage, argc > 2 ? stderr : stdout);
		return argc > 2 ? PCR_EXIT_ERROR : PCR_EXIT_CLEAN;
	}
	for (i = 0; i < sizeof(help_commands) / sizeof(help_commands[0]); i++)
		if (!strcmp(command, help_commands[i]))
			break;
	if (i == sizeof(help_commands) / sizeof(help_commands[0]))
		return pcr_usage_error("help ", "no command '%s' (commands: %s)", command,
				       "replay, diff, inject-campaign, live, record, help");
	if (!strcmp(command, "replay") || !strcmp(command, "help"))
		snprintf(page, sizeof(page), "pagecheck-replay");
	else
		snprintf(page, sizeof(page), "pagecheck-replay-%s", command);
	fflush(stdout);
	found = man_finds(page);
	if (!found) {
		execlp("man", "man", page, (char *)NULL);
		found = -1;
	}
	fprintf(stderr,
		"pagecheck-replay: note: %s%s; here is 'pagecheck-replay%s%s --help' instead\n",
		found < 0 ? "man is not installed, so it cannot show " :
		"man finds no page ", page,
		strcmp(command, "replay") ? " " : "", strcmp(command, "replay") ? command : "");
	if (!strcmp(command, "help")) {
		fputs(help_usage, stdout);
		return PCR_EXIT_CLEAN;
	}
	/* Run this program again, as "pagecheck-replay COMMAND --help". */
	if (!strcmp(command, "replay"))
		execl("/proc/self/exe", "pagecheck-replay", "--help", (char *)NULL);
	else
		execl("/proc/self/exe", "pagecheck-replay", command, "--help", (char *)NULL);
	fprintf(stderr, "pagecheck-replay: error: cannot run /proc/self/exe: %m\n");
	return PCR_EXIT_ERROR;
}
