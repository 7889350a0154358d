// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay record [-o FILE] [--stacks] [--duration=SECONDS] [--buffer-kb=N] [-- COMMAND...]:
 * record exactly the events a replay needs into a trace.dat, on any kernel trace-cmd runs on.
 *
 * Design: trace-cmd records, as a child; this command chooses its options and checks the result.
 *
 * - Why not libtracecmd's output API (tracecmd_output_*, tracecmd_create_recorder*)? It is
 *   declared only in trace-cmd's private headers, and using it means doing again, in trace-cmd's
 *   order, what its record command does (headers, event formats, kallsyms, cmdlines, per-CPU
 *   recorders, CPU stats, compression, buffer options), against an unversioned ABI. A mistake
 *   there gives a file that looks right and is not. trace-cmd itself is the reference writer,
 *   and its files are what every reader (trace-cmd report, this tool's tests) is checked on.
 * - Why it cannot hit trace-cmd's locked-down crash: the crash comes from the function tracer's
 *   files (set_ftrace_pid, set_ftrace_filter, ftrace_enabled), which lockdown makes answer EPERM.
 *   "-d" keeps trace-cmd away from the function tracer and "--no-filter" from the pid filters,
 *   so it records to the end. What is left is its cleanup: it dies with exit status 1 and
 *   "Operation not permitted / opening to '.../instances/NAME/set_ftrace_filter'" after the
 *   file is complete, before removing its instance. That exit is accepted only exactly so: status
 *   1, that message about our own instance, and a file that libtracecmd then reads to the end
 *   (the same reader and loss check a replay uses). Then the instance is removed here.
 * - "-B pagecheck-replay-PID": the events go to an instance of our own, so the top-level buffer
 *   and other tools' instances are never touched; -b sizes only that instance's buffer.
 * - This process is a child subreaper: if trace-cmd dies anyway, its per-CPU recorders become our
 *   children, and those still running (they would go on draining the instance) are killed by pid.
 * - trace-cmd gets no COMMAND and does not end the recording itself: it reads the per-CPU
 *   counters while its recorders still empty the buffer, which counts a sub-buffer twice now
 *   and then (enum rec_phase, issue 22). This process starts COMMAND once tracing is on, and at
 *   the end turns tracing off, lets the recorders empty the buffer and exit, and only then
 *   stops trace-cmd, whose counters are then exact: every CPU's entries 0, its read events
 *   equal to its records.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "pcr_formats.h"
#include "tracing.h"

static const char usage_text[] =
	"Usage: pagecheck-replay record [-o FILE] [OPTIONS] [-- COMMAND [ARGS...]]\n"
	"\n"
	"Record the page allocator events a replay needs (kmem:mm_page_alloc, mm_page_free,\n"
	"mm_page_free_batched, sched:sched_process_fork, _exec and _exit, compaction's\n"
	"mm_compaction_isolate_freepages and _fast_isolate_freepages, and kernel stacks\n"
	"with --stacks) into FILE, a trace.dat that\n"
	"trace-cmd and 'pagecheck-replay FILE' read. trace-cmd records, into a tracefs instance\n"
	"of its own (pagecheck-replay-PID), with options that work on a locked-down kernel; the\n"
	"file is then read back and the kernel's per-CPU counters checked for lost events.\n"
	"The recording lasts as long as COMMAND, or --duration, or until Ctrl-C (SIGINT) or\n"
	"SIGTERM. Needs root and trace-cmd (the TRACE_CMD environment variable names another).\n"
	"\n"
	"Options:\n"
	"  -o, --output=FILE       the trace.dat to write (default: trace.dat); replaced only\n"
	"                          once the new recording is complete\n"
	"  -T, --stacks            record the kernel stack of every event (trace-cmd -T)\n"
	"  --duration=SECONDS      record for this long (not with COMMAND)\n"
	"  -b, --buffer-kb=N       ring buffer per CPU in KiB (default: 16384, 65536 with\n"
	"                          --stacks, at most 1/16 of the available memory)\n"
	"  --tracefs=DIR           the tracefs mount to use (default: the mounted one)\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 complete recording, 2 usage error, the kernel cannot be traced or\n"
	"trace-cmd failed, 3 the kernel lost events (the recording is kept; a replay of it is\n"
	"inconclusive: record again with a larger --buffer-kb), 4 the recording is complete\n"
	"but COMMAND failed (its exit status or signal is printed; 3 comes first).\n";

enum {
	OPT_OUTPUT = 'o',
};

static const struct option long_options[] = {
	PCR_TRACING_LONG_OPTIONS,
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* trace-cmd's stderr, passed on line by line but for its own "trace-cmd: ..." error lines. */
struct relay {
	char line[4096];
	char held[4096];
	size_t len;
	size_t held_len;
	bool writer_error;	/* libtracecmd said it failed while writing the file */
};

struct record_ctx {
	struct pcr_tracing_opts tracing;
	struct relay relay;
	const char *output;
	char **command;
	const char *trace_cmd;
	char tmp[PATH_MAX];
	char instance[64];
	const char *tracefs;
	unsigned int buffer_kb;
	int nr_command;
	int command_status;	/* COMMAND's wait status, once it ended by itself */
	bool command_ended;
	bool command_stopped;	/* it ended by the signal passed on to it (Ctrl-C, SIGTERM) */
};

/* Returns -1 to go on, or the exit status. */
static int parse_options(struct record_ctx *ctx, int argc, char **argv)
{
	int c;

	optind = 1;
	/* "+": the first word that is not an option starts COMMAND, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+o:b:Th", long_options, NULL)) != -1) {
		switch (pcr_tracing_option(&ctx->tracing, c, optarg, "record")) {
		case 0:
			continue;
		case -1:
			return PCR_EXIT_ERROR;
		}
		switch (c) {
		case OPT_OUTPUT:
			ctx->output = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return PCR_EXIT_CLEAN;
		default:
			return pcr_usage_error("record ", "%s", "unknown option or missing value");
		}
	}
	ctx->command = argv + optind;
	ctx->nr_command = argc - optind;
	/* As trace-cmd record and perf record: the file their report reads by default. */
	if (!ctx->output)
		ctx->output = "trace.dat";
	if (!ctx->output[0])
		return pcr_usage_error("record ", "%s", "an empty -o: give -o FILE");
	if (ctx->nr_command && ctx->tracing.duration_ns)
		return pcr_usage_error("record ", "%s",
				       "--duration and a COMMAND exclude each other: the recording lasts as long as the COMMAND");
	return -1;
}

/* An executable regular file, as execvp() would run it. */
static bool executable(const char *file)
{
	struct stat st;

	return !stat(file, &st) && S_ISREG(st.st_mode) && !access(file, X_OK);
}

/* The first executable @name on the PATH, in @buf; NULL when there is none. */
static const char *find_on_path(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");

		if (len && (size_t)snprintf(buf, size, "%.*s/%s", (int)len, path, name) < size &&
		    executable(buf))
			return buf;
		path += len;
		if (*path == ':')
			path++;
	}
	return NULL;
}

/* The trace-cmd to run: $TRACE_CMD, or the first trace-cmd on the PATH. */
static const char *find_trace_cmd(char *buf, size_t size)
{
	const char *env = getenv("TRACE_CMD");

	if (env && *env)
		return access(env, X_OK) ? NULL : env;
	return find_on_path("trace-cmd", buf, size);
}

/*
 * What would fail only once trace-cmd runs, checked before it starts: the directory the output
 * goes to, and COMMAND. Prints the error; returns 0 or PCR_EXIT_ERROR.
 */
static int check_before_tracing(const struct record_ctx *ctx)
{
	const char *slash = strrchr(ctx->output, '/');
	char dir[PATH_MAX], found[PATH_MAX];
	const char *why = NULL;
	struct stat st;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == ctx->output ? 1 :
			 (int)(slash - ctx->output), ctx->output);
	if (stat(dir, &st))
		why = errno == ENOENT ? "does not exist" : strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		why = "is not a directory";
	else if (access(dir, W_OK | X_OK))
		why = errno == EACCES ? "is not writable" : strerror(errno);
	if (why) {
		fprintf(stderr,
			"pagecheck-replay record: error: cannot write %s: directory %s %s; nothing recorded\n",
			ctx->output, dir, why);
		return PCR_EXIT_ERROR;
	}
	if (!stat(ctx->output, &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"pagecheck-replay record: error: %s is a directory; give -o a file name\n",
			ctx->output);
		return PCR_EXIT_ERROR;
	}
	if (!ctx->nr_command)
		return 0;
	if (strchr(ctx->command[0], '/') ? executable(ctx->command[0]) :
	    find_on_path(ctx->command[0], found, sizeof(found)) != NULL)
		return 0;
	if (strchr(ctx->command[0], '/'))
		fprintf(stderr,
			"pagecheck-replay record: error: cannot run COMMAND %s: %s; nothing recorded\n",
			ctx->command[0], stat(ctx->command[0], &st) ? strerror(errno) :
			S_ISREG(st.st_mode) ? "not executable" : "not a regular file");
	else
		fprintf(stderr,
			"pagecheck-replay record: error: COMMAND %s not found on the PATH (%s); nothing recorded\n",
			ctx->command[0], getenv("PATH") ? getenv("PATH") : "unset");
	return PCR_EXIT_ERROR;
}

/* Lines of trace-cmd's die(): "trace-cmd: STRERROR", then "  MESSAGE". */
static bool is_trace_cmd_error(const char *line)
{
	return !strncmp(line, "trace-cmd: ", 11) || !strncmp(line, "  opening to '", 14);
}

static void relay_line(struct relay *r)
{
	r->line[r->len] = '\0';
	if (!strcmp(r->line, "Hit Ctrl^C to stop recording")) {
		/* Without COMMAND: true, but --duration or a signal to us stops it too. */
	} else if (is_trace_cmd_error(r->line)) {
		if (r->held_len + r->len + 2 < sizeof(r->held)) {
			memcpy(r->held + r->held_len, r->line, r->len);
			r->held_len += r->len;
			r->held[r->held_len++] = '\n';
			r->held[r->held_len] = '\0';
		}
	} else {
		if (!strncmp(r->line, "libtracecmd: ", 13))
			r->writer_error = true;
		fprintf(stderr, "%s\n", r->line);
	}
	r->len = 0;
}

static void relay_bytes(struct relay *r, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n' || r->len == sizeof(r->line) - 1)
			relay_line(r);
		if (buf[i] != '\n')
			r->line[r->len++] = buf[i];
	}
}

/* Reads what the pipe holds now; false at its end. */
static bool relay_read(struct relay *r, int fd)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			relay_bytes(r, buf, (size_t)n);
			continue;
		}
		return n < 0 && (errno == EAGAIN || errno == EINTR);
	}
}

/* The exit trace-cmd 3.1 makes on a locked-down kernel once the file is complete. */
static bool locked_down_exit(const struct record_ctx *ctx, int status)
{
	char path[128];

	snprintf(path, sizeof(path), "/instances/%s/set_ftrace_filter'", ctx->instance);
	return WIFEXITED(status) && WEXITSTATUS(status) == 1 &&
	       strstr(ctx->relay.held, "trace-cmd: Operation not permitted\n") &&
	       strstr(ctx->relay.held, path);
}

/* Whether the running kernel defines the event "SYSTEM:NAME" in tracefs at @dir. */
static bool kernel_has_event(const char *dir, const char *event)
{
	const char *colon = strchr(event, ':');
	char path[PATH_MAX];

	if (!colon)
		return false;
	snprintf(path, sizeof(path), "%s/events/%.*s/%s", dir, (int)(colon - event), event,
		 colon + 1);
	return access(path, F_OK) == 0;
}

static void exec_trace_cmd(const struct record_ctx *ctx, int err_fd)
{
	static const char *const isolate_events[] = {
		"compaction:mm_compaction_isolate_freepages",
		"compaction:mm_compaction_fast_isolate_freepages",
	};
	size_t i;
	char kb[32];
	const char *args[32 + 1];
	char **argv;
	int n = 0;

	snprintf(kb, sizeof(kb), "%u", ctx->buffer_kb);
	args[n++] = ctx->trace_cmd;
	args[n++] = "record";
	args[n++] = "-q";
	args[n++] = "-d";
	args[n++] = "--no-filter";
	args[n++] = "-o";
	args[n++] = ctx->tmp;
	args[n++] = "-B";
	args[n++] = ctx->instance;
	args[n++] = "-b";
	args[n++] = kb;
	if (ctx->tracing.stacks)
		args[n++] = "-T";
	args[n++] = "-e";
	args[n++] = "kmem:mm_page_alloc";
	args[n++] = "-e";
	args[n++] = "kmem:mm_page_free";
	args[n++] = "-e";
	args[n++] = "kmem:mm_page_free_batched";
	/* A double alloc of a page directory is judged by when its process ended (pcr_classify). */
	args[n++] = "-e";
	args[n++] = "sched:sched_process_fork";
	args[n++] = "-e";
	args[n++] = "sched:sched_process_exec";
	args[n++] = "-e";
	args[n++] = "sched:sched_process_exit";
	/*
	 * Compaction takes free pages without mm_page_alloc; its isolation events name their
	 * ranges, which decide the double frees of those pages (pcr_classify()).
	 */
	for (i = 0; i < sizeof(isolate_events) / sizeof(isolate_events[0]); i++) {
		if (!kernel_has_event(ctx->tracefs, isolate_events[i]))
			continue;
		args[n++] = "-e";
		args[n++] = isolate_events[i];
	}
	args[n] = NULL;
	argv = (char **)args;
	/* What this process ignores or catches, trace-cmd gets back as usual. */
	signal(SIGPIPE, SIG_DFL);
	/*
	 * A process group of its own: Ctrl-C at a terminal reaches this process and COMMAND, never
	 * trace-cmd, which stops only when run_trace_cmd() says so. If this process dies, it stops.
	 */
	if (setpgid(0, 0) || prctl(PR_SET_PDEATHSIG, SIGINT, 0, 0, 0) ||
	    dup2(err_fd, STDERR_FILENO) < 0 || dup2(err_fd, STDOUT_FILENO) < 0)
		_exit(127);
	close(err_fd);
	execv(ctx->trace_cmd, argv);
	fprintf(stderr, "pagecheck-replay record: cannot run %s: %s\n", ctx->trace_cmd,
		strerror(errno));
	_exit(127);
}

/* Children of @pid whose name is (or is not) trace-cmd, from /proc/PID/task/TID/children. */
static size_t children_of(pid_t pid, bool trace_cmd, pid_t *out, size_t max)
{
	char path[64], comm[32];
	size_t n = 0;
	FILE *f;
	int child;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (n < max && fscanf(f, "%d", &child) == 1) {
		FILE *c;
		bool is_tc = false;

		snprintf(path, sizeof(path), "/proc/%d/comm", child);
		c = fopen(path, "r");
		if (c) {
			is_tc = fgets(comm, sizeof(comm), c) && !strcmp(comm, "trace-cmd\n");
			fclose(c);
		}
		if (is_tc == trace_cmd)
			out[n++] = child;
	}
	fclose(f);
	return n;
}

/* The state letter of /proc/PID/stat ('Z' for a zombie), or 0 when @pid is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "PID (COMM) S ...": COMM may hold spaces and parentheses, the last ')' ends it. */
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

/* trace-cmd's per-CPU recorders (its children of that name) that have not exited yet. */
static size_t running_recorders(pid_t tc, pid_t *out, size_t max)
{
	pid_t rec[256];
	size_t i, n = 0, nr = children_of(tc, true, rec, 256);

	for (i = 0; i < nr && n < max; i++) {
		char state = proc_state(rec[i]);

		if (state && state != 'Z' && state != 'X')
			out[n++] = rec[i];
	}
	return n;
}

/* Whether @pid has a handler for SIGUSR1 (SigCgt in /proc/PID/status). */
static bool catches_sigusr1(pid_t pid)
{
	unsigned long long caught = 0;
	char path[64], line[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "SigCgt: %llx", &caught) == 1;
	fclose(f);
	return found && (caught & (1ull << (SIGUSR1 - 1)));
}

/*
 * Whether trace-cmd records: its recorders are forked and catch SIGUSR1 (which ends them
 * cleanly; before their handler is in place it would kill them), and the instance's tracing_on
 * is 1. trace-cmd writes 0 there before it enables the events and forks the recorders, and 1
 * only after them (tracecmd_enable_tracing()), so all this at once means the recording has
 * begun.
 */
static bool recording_started(const struct record_ctx *ctx, pid_t tc)
{
	pid_t rec[256];
	size_t i, nr = running_recorders(tc, rec, 256);

	for (i = 0; i < nr; i++)
		if (!catches_sigusr1(rec[i]))
			return false;
	return nr && pcr_instance_tracing_on(ctx->instance) == 1;
}

/* Starts COMMAND, a child of this process; returns its pid, or -1. */
static pid_t start_command(const struct record_ctx *ctx)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pagecheck-replay record: error: fork: %s\n", strerror(errno));
		return -1;
	}
	if (!pid) {
		signal(SIGPIPE, SIG_DFL);
		execvp(ctx->command[0], ctx->command);
		fprintf(stderr, "pagecheck-replay record: cannot run %s: %s\n", ctx->command[0],
			strerror(errno));
		_exit(127);
	}
	return pid;
}

static uint64_t since_ns(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - start->tv_sec) * 1000000000ull +
	       (uint64_t)now.tv_nsec - (uint64_t)start->tv_nsec;
}

/* How long the recorders may take to empty the buffer before trace-cmd is stopped anyway. */
#define PCR_RECORD_DRAIN_NS (300 * 1000000000ull)

/*
 * The phases of a recording. trace-cmd 3.1 ends a recording by turning tracing off, telling
 * its recorders to read what is left (SIGUSR1) and reading the per-CPU counters
 * (per_cpu/cpuN/stats) at once, while they read. The kernel computes a CPU's "entries" and its
 * "read events" at two moments without a lock, so a sub-buffer read in between is counted in
 * both: the counters saved in the file then show one or two sub-buffers more than the kernel
 * ever recorded, and the loss check reports them as lost (README, "Recording completely").
 * So this command turns tracing off and lets the recorders empty the buffer and exit first
 * (REC_DRAINING); trace-cmd then reads counters that nothing changes any more.
 */
enum rec_phase {
	REC_STARTING,	/* trace-cmd sets up the instance; COMMAND waits */
	REC_RUNNING,	/* tracing is on; COMMAND runs, or the duration or a signal is awaited */
	REC_DRAINING,	/* tracing is off; the recorders read what is left and exit */
	REC_STOPPING,	/* trace-cmd was told to stop (SIGINT): counters, then the file */
};

/* Ends REC_RUNNING: tracing off in the instance, then SIGUSR1 to each recorder. */
static enum rec_phase start_draining(const struct record_ctx *ctx, pid_t tc)
{
	pid_t rec[256];
	size_t i, nr;

	if (pcr_instance_tracing_off(ctx->instance)) {
		fprintf(stderr,
			"pagecheck-replay record: warning: cannot turn tracing off in instance %s (%s); trace-cmd stops it itself, and its counters may count a sub-buffer twice\n",
			ctx->instance, strerror(errno));
		kill(tc, SIGINT);
		return REC_STOPPING;
	}
	nr = running_recorders(tc, rec, 256);
	for (i = 0; i < nr; i++)
		kill(rec[i], SIGUSR1);
	return REC_DRAINING;
}

/*
 * Runs trace-cmd to its end: COMMAND, the duration or a signal ends the recording, through
 * the phases of enum rec_phase. Returns trace-cmd's wait status, or -1 when it could not be
 * started.
 */
static int run_trace_cmd(struct record_ctx *ctx)
{
	const volatile sig_atomic_t *stop = pcr_tracing_stop();
	bool done = false, passed_on = false;
	enum rec_phase phase = REC_STARTING;
	struct timespec start, drain;
	pid_t pid, command = -1;
	int fds[2], status = 0;

	if (pipe2(fds, O_CLOEXEC)) {
		fprintf(stderr, "pagecheck-replay record: error: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pagecheck-replay record: error: fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid) {
		close(fds[0]);
		exec_trace_cmd(ctx, fds[1]);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &start);
	drain = start;
	while (!done) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		pid_t rec[1];

		if (poll(&pfd, 1, phase == REC_RUNNING ? 100 : 10) > 0)
			relay_read(&ctx->relay, fds[0]);
		switch (phase) {
		case REC_STARTING:
			if (*stop) {
				kill(pid, SIGINT);
				phase = REC_STOPPING;
			} else if (recording_started(ctx, pid)) {
				clock_gettime(CLOCK_MONOTONIC, &start);
				phase = REC_RUNNING;
				if (ctx->nr_command) {
					command = start_command(ctx);
					drain = start;
					if (command < 0)
						phase = start_draining(ctx, pid);
				}
			}
			break;
		case REC_RUNNING:
			if (command > 0 &&
			    waitpid(command, &ctx->command_status, WNOHANG) == command) {
				command = 0;
				ctx->command_ended = true;
				ctx->command_stopped = passed_on &&
					WIFSIGNALED(ctx->command_status) &&
					WTERMSIG(ctx->command_status) == *stop;
			}
			if (command > 0) {
				/* COMMAND ends the recording; a signal is passed on to it. */
				if (*stop && !passed_on) {
					kill(command, *stop);
					passed_on = true;
				}
				break;
			}
			if (!command || *stop ||
			    (ctx->tracing.duration_ns && since_ns(&start) >= ctx->tracing.duration_ns)) {
				clock_gettime(CLOCK_MONOTONIC, &drain);
				phase = start_draining(ctx, pid);
			}
			break;
		case REC_DRAINING:
			if (!running_recorders(pid, rec, 1) || since_ns(&drain) >= PCR_RECORD_DRAIN_NS) {
				kill(pid, SIGINT);
				phase = REC_STOPPING;
			}
			break;
		case REC_STOPPING:
			break;
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			done = true;
	}
	if (command > 0) {
		/* trace-cmd died while COMMAND ran: COMMAND is not recorded any more. */
		kill(command, SIGTERM);
		waitpid(command, NULL, 0);
	}
	/* What trace-cmd wrote last; COMMAND's leftovers may keep the pipe open, so no EOF wait. */
	relay_read(&ctx->relay, fds[0]);
	if (ctx->relay.len)
		relay_line(&ctx->relay);
	close(fds[0]);
	return status;
}

/* trace-cmd's per-CPU recorders, if it died before them, are ours now: end them. */
static void reap_recorders(void)
{
	pid_t left[256];
	size_t i, nr = children_of(getpid(), true, left, 256);

	for (i = 0; i < nr; i++) {
		fprintf(stderr, "pagecheck-replay record: killing leftover trace-cmd recorder %d\n",
			(int)left[i]);
		kill(left[i], SIGKILL);
		waitpid(left[i], NULL, 0);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void remove_temporaries(const struct record_ctx *ctx, int cpus)
{
	char path[PATH_MAX + 128];
	int cpu;

	unlink(ctx->tmp);
	for (cpu = 0; cpu < cpus; cpu++) {
		snprintf(path, sizeof(path), "%s.cpu%d", ctx->tmp, cpu);
		unlink(path);
		snprintf(path, sizeof(path), "%s.%s.cpu%d", ctx->tmp, ctx->instance, cpu);
		unlink(path);
	}
}

/* What the verification replay counts. */
struct tally {
	uint64_t kinds[PCR_EV_NR];
	uint64_t lost;
	uint64_t lost_unknown;
};

static int count_event(const struct pcr_event *ev, void *payload)
{
	struct tally *t = payload;

	t->kinds[ev->kind < PCR_EV_NR ? ev->kind : PCR_EV_OTHER]++;
	if (ev->kind == PCR_EV_LOST) {
		t->lost += ev->lost;
		t->lost_unknown += !ev->lost;
	}
	return 0;
}

/* Reads the recording back as a replay would: complete, and what the kernel lost. */
static int verify(struct record_ctx *ctx)
{
	struct pcr_source_options so = { .buffer = ctx->instance };
	char errmsg[PCR_ERRMSG_LEN] = "";
	const struct pcr_source_info *info;
	struct pcr_source *src = NULL;
	struct tally t;
	int ret;

	memset(&t, 0, sizeof(t));
	ret = pcr_depot_new(&so.depot);
	if (!ret)
		ret = pcr_tracedat_open(&src, ctx->tmp, &so, errmsg);
	if (!ret)
		ret = pcr_source_replay(src, count_event, &t, errmsg);
	if (ret == -PCR_ERR_NO_EVENTS) {
		fprintf(stderr,
			"pagecheck-replay record: error: the recording holds no page events: nothing allocated or freed a page while it ran; record for longer\n");
	} else if (ret) {
		fprintf(stderr,
			"pagecheck-replay record: error: trace-cmd's recording cannot be read back%s: %s\n",
			ctx->relay.writer_error ?
			" (libtracecmd failed while writing it, see above: it copies saved_cmdlines twice and fails when the kernel changes it in between; record again)" : "",
			errmsg[0] ? errmsg : pcr_strerror(ret));
	}
	if (ret) {
		pcr_source_close(src);
		pcr_depot_free(so.depot);
		return PCR_EXIT_ERROR;
	}
	info = pcr_source_info(src);
	if (rename(ctx->tmp, ctx->output)) {
		fprintf(stderr, "pagecheck-replay record: error: cannot rename %s to %s: %s\n",
			ctx->tmp, ctx->output, strerror(errno));
		pcr_source_close(src);
		pcr_depot_free(so.depot);
		return PCR_EXIT_ERROR;
	}
	fprintf(stderr,
		"pagecheck-replay record: %s: %s, %d CPUs, buffer %s: %" PRIu64 " mm_page_alloc, %" PRIu64 " mm_page_free, %" PRIu64 " mm_page_free_batched",
		ctx->output, info->format, info->cpus, ctx->instance, t.kinds[PCR_EV_ALLOC],
		t.kinds[PCR_EV_FREE], t.kinds[PCR_EV_FREE_BATCHED]);
	if (ctx->tracing.stacks)
		fprintf(stderr, ", %" PRIu64 " kernel stacks", info->stacks.records);
	fprintf(stderr, "; replay it with: pagecheck-replay %s\n", ctx->output);
	pcr_source_close(src);
	pcr_depot_free(so.depot);
	if (t.lost || t.lost_unknown) {
		fprintf(stderr,
			"pagecheck-replay record: warning: the kernel's per-CPU counters show %" PRIu64 " events%s lost from the recording: a replay of %s is inconclusive (exit 3) unless --allow-lost; record again with a larger --buffer-kb (this run: %u KiB per CPU)\n",
			t.lost, t.lost_unknown ? " (and more, uncounted)" : "", ctx->output,
			ctx->buffer_kb);
		return PCR_EXIT_INCONCLUSIVE;
	}
	return PCR_EXIT_CLEAN;
}

static int make_tmp_name(struct record_ctx *ctx)
{
	const char *slash = strrchr(ctx->output, '/');
	int dir_len = slash ? (int)(slash - ctx->output + 1) : 0;
	int n;

	n = snprintf(ctx->tmp, sizeof(ctx->tmp), "%.*s.%s.%s.tmp", dir_len, ctx->output,
		     slash ? slash + 1 : ctx->output, ctx->instance);
	if (n < 0 || (size_t)n >= sizeof(ctx->tmp)) {
		fprintf(stderr, "pagecheck-replay record: error: %s: path too long\n", ctx->output);
		return -1;
	}
	return 0;
}

/*
 * How COMMAND ended, when not as it should: as perf record does for its workload, the recording
 * is kept and the failure named; the exit status tells a script that the run it recorded failed.
 */
static int report_command(const struct record_ctx *ctx, int status)
{
	int ws = ctx->command_status;

	if (!ctx->command_ended || ctx->command_stopped || (WIFEXITED(ws) && !WEXITSTATUS(ws)))
		return status;
	if (WIFEXITED(ws))
		fprintf(stderr,
			"pagecheck-replay record: COMMAND %s failed with exit status %d; the recording covers its run\n",
			ctx->command[0], WEXITSTATUS(ws));
	else
		fprintf(stderr,
			"pagecheck-replay record: COMMAND %s was killed by signal %d (%s); the recording covers its run\n",
			ctx->command[0], WTERMSIG(ws), strsignal(WTERMSIG(ws)));
	return status == PCR_EXIT_CLEAN ? PCR_EXIT_COMMAND_FAILED : status;
}

int cmd_record(int argc, char **argv)
{
	struct record_ctx ctx = { .tracing = PCR_TRACING_OPTS_INIT };
	struct pcr_kernel_check kc;
	char trace_cmd[PATH_MAX];
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	int status, wstatus;
	bool ok;

	status = parse_options(&ctx, argc, argv);
	if (status >= 0)
		return status;
	ctx.trace_cmd = find_trace_cmd(trace_cmd, sizeof(trace_cmd));
	if (!ctx.trace_cmd) {
		fprintf(stderr,
			"pagecheck-replay record: error: trace-cmd not found (%s); install it (apt-get install trace-cmd) or name it with TRACE_CMD=PATH\n",
			getenv("TRACE_CMD") ? getenv("TRACE_CMD") : "not on the PATH");
		return PCR_EXIT_ERROR;
	}
	snprintf(ctx.instance, sizeof(ctx.instance), PCR_INSTANCE_PREFIX "%d", (int)getpid());
	if (make_tmp_name(&ctx))
		return PCR_EXIT_ERROR;
	/* Before the instance exists: from here on a signal ends the recording, not the process. */
	if (pcr_tracing_catch_signals() || prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) {
		fprintf(stderr,
			"pagecheck-replay record: error: cannot set up signal handling: %s\n",
			strerror(errno));
		return PCR_EXIT_ERROR;
	}
	status = pcr_tracing_check(&kc, &ctx.tracing, "record");
	if (status)
		return status;
	status = check_before_tracing(&ctx);
	if (status)
		return status;
	ctx.tracefs = kc.tracefs;
	if (pcr_instance_exists(ctx.instance)) {
		fprintf(stderr,
			"pagecheck-replay record: error: tracefs instance %s already exists; remove it with 'rmdir %s/instances/%s' if no one uses it\n",
			ctx.instance, kc.tracefs, ctx.instance);
		return PCR_EXIT_ERROR;
	}
	ctx.buffer_kb = ctx.tracing.buffer_kb ? ctx.tracing.buffer_kb :
			pcr_live_default_buffer_kb(ctx.tracing.stacks);
	fprintf(stderr,
		"pagecheck-replay record: recording into %s (instance %s, %u KiB per CPU)%s\n",
		ctx.output, ctx.instance, ctx.buffer_kb,
		ctx.nr_command ? "" : ctx.tracing.duration_ns ? "" : "; Ctrl-C stops");

	wstatus = run_trace_cmd(&ctx);
	reap_recorders();
	if (pcr_instance_exists(ctx.instance) && pcr_instance_remove(ctx.instance))
		fprintf(stderr,
			"pagecheck-replay record: warning: cannot remove tracefs instance %s (%s); remove it with 'rmdir %s/instances/%s'\n",
			ctx.instance, strerror(errno), kc.tracefs, ctx.instance);

	ok = wstatus >= 0 && ((WIFEXITED(wstatus) && !WEXITSTATUS(wstatus)) ||
			      locked_down_exit(&ctx, wstatus));
	if (!ok) {
		if (ctx.relay.held_len)
			fputs(ctx.relay.held, stderr);
		if (wstatus < 0)
			fprintf(stderr,
				"pagecheck-replay record: error: trace-cmd did not start\n");
		else if (WIFSIGNALED(wstatus))
			fprintf(stderr,
				"pagecheck-replay record: error: trace-cmd was killed by %s; nothing recorded\n",
				strsignal(WTERMSIG(wstatus)));
		else
			fprintf(stderr,
				"pagecheck-replay record: error: trace-cmd record failed with exit status %d; nothing recorded\n",
				WEXITSTATUS(wstatus));
		remove_temporaries(&ctx, cpus > 0 ? (int)cpus : 1);
		return PCR_EXIT_ERROR;
	}
	if (WEXITSTATUS(wstatus))
		fprintf(stderr,
			"pagecheck-replay record: trace-cmd exited with status 1 after writing the file (it cannot open set_ftrace_filter on a locked-down kernel); checking the file\n");
	status = verify(&ctx);
	if (status == PCR_EXIT_ERROR)
		remove_temporaries(&ctx, cpus > 0 ? (int)cpus : 1);
	else
		status = report_command(&ctx, status);
	return status;
}
