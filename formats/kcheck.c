// SPDX-License-Identifier: GPL-2.0
/*
 * What the running kernel's tracefs offers a recording of page events, checked before a live
 * check or a recording starts: tracefs itself, the permission to use it, the kmem events and
 * their formats, kernel stacks, and the things that decide what a recording cannot see (lockdown,
 * the function tracer, kprobes).
 *
 * Nothing here changes the system for longer than the check: tracefs is never mounted (libtracefs
 * would mount it when asked to find it, so it is pointed at the mount found here first), and the
 * one write, a kprobe to see whether kprobe_events takes one, is undone at once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "kmem.h"
#include "pcr_live.h"

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

#define LOCKDOWN_FILE "/sys/kernel/security/lockdown"

static const char mount_hint[] =
	"mount it with 'mount -t tracefs nodev /sys/kernel/tracing' (as root), or name its mount with --tracefs=DIR";

int pcr_kind_by_name(const char *name)
{
	int kind;

	if (!strncmp(name, "kmem:", 5))
		name += 5;
	for (kind = PCR_EV_ALLOC; kind <= PCR_EV_PCPU_DRAIN; kind++)
		if (!strcmp(name, pcr_kmem_event_name(kind)))
			return kind;
	return -1;
}

static bool is_tracefs(const char *dir)
{
	struct statfs st;

	return !statfs(dir, &st) && st.f_type == TRACEFS_MAGIC;
}

/* The first tracefs mount of /proc/mounts, when it is not at one of the usual places. */
static bool mounted_tracefs(char *dir, size_t size)
{
	char path[512], type[64];
	bool found = false;
	FILE *f = fopen("/proc/mounts", "r");

	if (!f)
		return false;
	while (!found && fscanf(f, "%*s %511s %63s %*[^\n]", path, type) == 2)
		if (!strcmp(type, "tracefs") && strlen(path) < size && is_tracefs(path)) {
			snprintf(dir, size, "%s", path);
			found = true;
		}
	fclose(f);
	return found;
}

static int find_tracefs(struct pcr_kernel_check *kc, const char *want, char *errmsg)
{
	static const char *const usual[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	struct statfs st;
	size_t i;

	if (want) {
		if (strlen(want) >= sizeof(kc->tracefs))
			return pcr_errmsg(errmsg, -PCR_ERR_IO, "--tracefs: path too long: %s",
					  want);
		if (statfs(want, &st))
			return pcr_errmsg(errmsg, -PCR_ERR_IO,
					  "%s: %s; tracefs is not mounted there: %s", want,
					  strerror(errno), mount_hint);
		if (st.f_type != TRACEFS_MAGIC)
			return pcr_errmsg(errmsg, -PCR_ERR_IO,
					  "%s is not a tracefs mount; tracefs is not mounted there: %s",
					  want, mount_hint);
		snprintf(kc->tracefs, sizeof(kc->tracefs), "%s", want);
		return 0;
	}
	for (i = 0; i < sizeof(usual) / sizeof(usual[0]); i++)
		if (is_tracefs(usual[i])) {
			snprintf(kc->tracefs, sizeof(kc->tracefs), "%s", usual[i]);
			return 0;
		}
	if (mounted_tracefs(kc->tracefs, sizeof(kc->tracefs)))
		return 0;
	return pcr_errmsg(errmsg, -PCR_ERR_IO, "tracefs is not mounted: %s", mount_hint);
}

static bool exists(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !access(path, F_OK);
}

static void parse_system(struct tep_handle *tep, const char *dir, const char *system)
{
	char **events = tracefs_system_events(dir, system);
	char path[1024], *text;
	size_t len;
	int i;

	for (i = 0; events && events[i]; i++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/format", dir, system, events[i]);
		if (!pcr_read_file(path, &text, &len, NULL))
			tep_parse_event(tep, text, len, system);
		free(text);
	}
	tracefs_list_free(events);
}

struct tep_handle *pcr_tracefs_formats(const char *tracing_dir, const char *const *systems)
{
	const char *dir = tracing_dir ? tracing_dir : tracefs_tracing_dir();
	enum tep_endian host = tep_is_bigendian() ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN;
	struct tep_handle *tep;
	char path[512], *text;
	size_t len;
	int i;

	if (!dir) {
		errno = ENOENT;
		return NULL;
	}
	tep = tep_alloc();
	if (!tep) {
		errno = ENOMEM;
		return NULL;
	}
	/* The running kernel's own layout, as libtracefs sets it. */
	tep_set_file_bigendian(tep, host);
	tep_set_local_bigendian(tep, host);
	tep_set_long_size(tep, (int)sizeof(long));
	tep_set_page_size(tep, (int)sysconf(_SC_PAGESIZE));
	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	if (pcr_read_file(path, &text, &len, NULL) ||
	    tep_parse_header_page(tep, text, (unsigned long)len, (int)sizeof(long))) {
		free(text);
		tep_free(tep);
		errno = errno ? errno : EINVAL;
		return NULL;
	}
	free(text);
	for (i = 0; systems[i]; i++)
		parse_system(tep, dir, systems[i]);
	return tep;
}

/* Tracefs files are root's unless it was mounted with gid=; lockdown answers EPERM. */
static int check_access(struct pcr_kernel_check *kc, char *errmsg)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/instances", kc->tracefs);
	if (faccessat(AT_FDCWD, kc->tracefs, R_OK | X_OK, AT_EACCESS) ||
	    faccessat(AT_FDCWD, path, W_OK | X_OK, AT_EACCESS)) {
		if (errno == ENOENT)
			return pcr_errmsg(errmsg, -PCR_ERR_IO,
					  "%s has no instances directory (a kernel before 4.1?); instances are needed, use a newer kernel",
					  kc->tracefs);
		return pcr_errmsg(errmsg, -PCR_ERR_IO,
				  "no permission to create a tracing instance in %s (%s): run as root, e.g. 'sudo pagecheck-replay ...'",
				  kc->tracefs, strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/tracing_on", kc->tracefs);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO,
				  "%s: %s%s", path, strerror(errno),
				  errno == EPERM ?
				  "; the kernel's lockdown (confidentiality) forbids tracing: boot with lockdown=integrity or none" :
				  "; run as root");
	close(fd);
	return 0;
}

static int check_events(struct pcr_kernel_check *kc, unsigned int kinds, bool stacks,
			char *errmsg)
{
	static const char *const systems[] = { "kmem", "ftrace", NULL };
	struct pcr_kmem_layout layout[PCR_EV_NR];
	struct pcr_stack_layout sl;
	struct tep_handle *tep;
	char name[128];
	int kind, ret;

	for (kind = PCR_EV_ALLOC; kind <= PCR_EV_PCPU_DRAIN; kind++) {
		snprintf(name, sizeof(name), "events/kmem/%s/format", pcr_kmem_event_name(kind));
		kc->events[kind] = exists(kc->tracefs, name);
		if (!kc->events[kind] && (kinds & (1u << kind)))
			return pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
					  "this kernel has no kmem:%s tracepoint (no %s/%s); it needs CONFIG_TRACEPOINTS%s",
					  pcr_kmem_event_name(kind), kc->tracefs, name,
					  kind == PCR_EV_ALLOC || kind == PCR_EV_FREE ? "" :
					  ", or leave it out of --events");
	}
	kc->stacktrace = exists(kc->tracefs, "options/stacktrace");
	if (stacks && !kc->stacktrace)
		return pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				  "this kernel cannot record a kernel stack with each event (no %s/options/stacktrace: CONFIG_STACKTRACE); run without --stacks",
				  kc->tracefs);

	tep = pcr_tracefs_formats(kc->tracefs, systems);
	if (!tep)
		return pcr_errmsg(errmsg, -PCR_ERR_LAYOUT,
				  "cannot read the event formats under %s/events; run as root", kc->tracefs);
	ret = pcr_kmem_find_layouts(layout, tep, "this kernel", errmsg);
	if (ret >= 0) {
		for (kind = PCR_EV_ALLOC; kind <= PCR_EV_PCPU_DRAIN; kind++)
			if ((kinds & (1u << kind)) && layout[kind].id < 0)
				ret = pcr_errmsg(errmsg, -PCR_ERR_LAYOUT,
						 "%s/events/kmem/%s/format cannot be parsed; please report it with the file",
						 kc->tracefs, pcr_kmem_event_name(kind));
	}
	if (ret >= 0 && stacks && !pcr_kmem_stack_layout(tep, &sl))
		ret = pcr_errmsg(errmsg, -PCR_ERR_LAYOUT,
				 "%s/events/ftrace/kernel_stack/format is not one this tool reads; run without --stacks",
				 kc->tracefs);
	tep_free(tep);
	return ret < 0 ? ret : 0;
}

static void check_lockdown(struct pcr_kernel_check *kc)
{
	char text[128], path[512];
	char *open_br, *close_br;
	size_t n;
	FILE *f;
	int fd;

	f = fopen(LOCKDOWN_FILE, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		text[n] = '\0';
		fclose(f);
		open_br = strchr(text, '[');
		close_br = open_br ? strchr(open_br, ']') : NULL;
		if (close_br && (size_t)(close_br - open_br - 1) < sizeof(kc->lockdown))
			snprintf(kc->lockdown, sizeof(kc->lockdown), "%.*s",
				 (int)(close_br - open_br - 1), open_br + 1);
	}
	snprintf(path, sizeof(path), "%s/set_ftrace_filter", kc->tracefs);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	else
		kc->function_tracer_eperm = errno == EPERM;
}

/*
 * kprobe_events opened with O_TRUNC would remove every kprobe of the system: it is opened for
 * appending only, a probe on vfs_read (never enabled) is added and removed at once.
 */
static void check_kprobes(struct pcr_kernel_check *kc)
{
	char path[512], probe[128];
	int fd, len;

	snprintf(path, sizeof(path), "%s/kprobe_events", kc->tracefs);
	kc->kprobes = !access(path, F_OK);
	if (!kc->kprobes)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		kc->kprobes_errno = errno;
		return;
	}
	len = snprintf(probe, sizeof(probe), "p:pagecheck_replay_%d/check vfs_read\n",
		       (int)getpid());
	if (write(fd, probe, (size_t)len) == len) {
		kc->kprobes_writable = true;
		len = snprintf(probe, sizeof(probe), "-:pagecheck_replay_%d/check\n",
			       (int)getpid());
		if (write(fd, probe, (size_t)len) != len)
			fprintf(stderr,
				"pagecheck-replay: warning: cannot remove the test kprobe pagecheck_replay_%d/check (%s); remove it with: echo '-:pagecheck_replay_%d/check' >> %s\n",
				(int)getpid(), strerror(errno), (int)getpid(), path);
	} else {
		kc->kprobes_errno = errno;
	}
	close(fd);
}

/* An instance of a pagecheck-replay that is gone (killed before it could remove it). */
static void find_stale(struct pcr_kernel_check *kc)
{
	size_t len = strlen(PCR_INSTANCE_PREFIX);
	char path[512];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/instances", kc->tracefs);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir)) && !kc->stale[0]) {
		char *end;
		long pid;

		if (strncmp(de->d_name, PCR_INSTANCE_PREFIX, len))
			continue;
		pid = strtol(de->d_name + len, &end, 10);
		if (*end || pid <= 0 || !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		snprintf(kc->stale, sizeof(kc->stale), PCR_INSTANCE_PREFIX "%ld", pid);
	}
	closedir(dir);
}

bool pcr_instance_exists(const char *name)
{
	return tracefs_instance_exists(name);
}

int pcr_instance_remove(const char *name)
{
	const struct timespec wait = { .tv_nsec = 50000000 };
	struct tracefs_instance *inst;
	int tries, saved;

	inst = tracefs_instance_alloc(NULL, name);
	if (!inst)
		return -PCR_ERR_IO;
	/* rmdir fails (EBUSY) while a file of the instance is still open somewhere. */
	for (tries = 0; tracefs_instance_exists(name) && tries < 20; tries++) {
		if (!tracefs_instance_destroy(inst))
			break;
		nanosleep(&wait, NULL);
	}
	saved = errno;
	tracefs_instance_free(inst);
	errno = saved;
	return tracefs_instance_exists(name) ? -PCR_ERR_IO : 0;
}

int pcr_kernel_check(struct pcr_kernel_check *kc, const char *tracefs, unsigned int kinds,
		     bool stacks, char *errmsg)
{
	int ret;

	memset(kc, 0, sizeof(*kc));
	ret = find_tracefs(kc, tracefs, errmsg);
	if (ret)
		return ret;
	/* From here on, libtracefs looks nowhere else (and mounts nothing). */
	if (tracefs_set_tracing_dir(kc->tracefs))
		return pcr_errmsg(errmsg, -PCR_ERR_NOMEM, "%s", pcr_strerror(-PCR_ERR_NOMEM));
	tracefs_set_loglevel(TEP_LOG_NONE);
	ret = check_access(kc, errmsg);
	if (!ret)
		ret = check_events(kc, kinds, stacks, errmsg);
	if (ret)
		return ret;
	check_lockdown(kc);
	check_kprobes(kc);
	find_stale(kc);
	return 0;
}

void pcr_kernel_check_print(FILE *out, const struct pcr_kernel_check *kc, const char *prefix)
{
	int kind;

	fprintf(out, "%stracefs: %s\n", prefix, kc->tracefs);
	if (kc->lockdown[0])
		fprintf(out, "%slockdown: %s%s\n", prefix, kc->lockdown,
			strcmp(kc->lockdown, "none") ?
			" (tracepoints work; the function tracer does not, so trace-cmd needs -d --no-filter)" :
			"");
	else
		fprintf(out, "%slockdown: unknown (no %s: securityfs not mounted)%s\n",
			prefix, LOCKDOWN_FILE, kc->function_tracer_eperm ?
			"; the function tracer's files refuse access (EPERM), as under lockdown" : "");
	fprintf(out, "%sevents:", prefix);
	for (kind = PCR_EV_ALLOC; kind <= PCR_EV_PCPU_DRAIN; kind++)
		fprintf(out, " %s%s", pcr_kmem_event_name(kind),
			kc->events[kind] ? "" : " (missing)");
	fprintf(out, "; kernel stacks %s\n", kc->stacktrace ? "available" : "unavailable");
	if (!kc->kprobes)
		fprintf(out, "%skprobes: unavailable (no %s/kprobe_events)\n", prefix, kc->tracefs);
	else if (!kc->kprobes_writable)
		fprintf(out, "%skprobes: %s/kprobe_events refuses probes (%s)\n", prefix,
			kc->tracefs, strerror(kc->kprobes_errno));
	else
		fprintf(out, "%skprobes: available (not used by this version)\n", prefix);
	fprintf(out,
		"%sverdict: pages allocated without mm_page_alloc (alloc_pages_bulk for vmalloc and page_pool, compaction's isolate_freepages, alloc_contig_range for CMA) are invisible%s, so DOUBLE-FREE reports on vmalloc and compaction pages (compaction_free, vfree) and frees of unseen pages are expected; a DOUBLE-ALLOC is explained only for a page directory whose process had ended (pgd-last-mmdrop)\n",
		prefix, kc->kprobes_writable ? "" : " and cannot be probed here");
	if (!kc->events[PCR_EV_FREE_BATCHED])
		fprintf(out,
			"%snote: no kmem:mm_page_free_batched on this kernel: nothing is lost, it only repeats frees\n",
			prefix);
	if (kc->stale[0])
		fprintf(out,
			"%snote: instance %s is left from a pagecheck-replay that is gone; remove it with 'rmdir %s/instances/%s'\n",
			prefix, kc->stale, kc->tracefs, kc->stale);
}

int pcr_instance_tracing_on(const char *name)
{
	struct tracefs_instance *inst = tracefs_instance_alloc(NULL, name);
	int on;

	if (!inst)
		return -PCR_ERR_IO;
	on = tracefs_instance_exists(name) ? tracefs_trace_is_on(inst) : -1;
	tracefs_instance_free(inst);
	return on < 0 ? -PCR_ERR_IO : !!on;
}

int pcr_instance_tracing_off(const char *name)
{
	struct tracefs_instance *inst = tracefs_instance_alloc(NULL, name);
	int ret, saved;

	if (!inst)
		return -PCR_ERR_IO;
	ret = tracefs_trace_off(inst);
	saved = errno;
	tracefs_instance_free(inst);
	errno = saved;
	return ret ? -PCR_ERR_IO : 0;
}
