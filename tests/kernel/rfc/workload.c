// SPDX-License-Identifier: GPL-2.0
/*
 * workload - the fixed workloads of the reference-kernel runs (run-rfc.sh), one per argument,
 * built statically into the guest's initramfs. Each exercises one way the kernel allocates and
 * frees pages, sized to run in seconds under qemu's software emulation.
 *
 *   forkexec N		N times fork + exec of /bin/true
 *   thp-compact MB	MB of THP-backed memory, MB of 4 KiB pages with every other page freed,
 *			then /proc/sys/vm/compact_memory (compaction migrates into free pages)
 *   vmalloc N		N rounds of 32 threads (vmap'ed kernel stacks: alloc_pages_bulk)
 *   mlock MB		mlock'ed anonymous memory, touched, munlock'ed and unmapped, 4 rounds
 *   memcg-oom MB	a child in a cgroup limited to MB/4 allocates MB: the memcg OOM kills it
 *   pagecache FILE MB	read MB of block device FILE, drop caches, 3 rounds; write and remove
 *			MB in tmpfs
 *   net MB		MB through a TCP connection over loopback
 *   tmpfs-churn MB	MB written into one tmpfs file, truncated and written again, a fork + exec
 *			of /bin/true after each round, 40 rounds (the e2e tests' churn, where the
 *			6.18 host frees pages after frees through mlock_drain_local)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

/* The guest's /tmp is tmpfs; on a host, -DCHURN_PATH= names a file in /dev/shm. */
#ifndef CHURN_PATH
#define CHURN_PATH "/tmp/churn"
#endif

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "workload: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += PAGE)
		p[i] = (char)i;
}

static int forkexec(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (!pid) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
	return 0;
}

static int thp_compact(long mb)
{
	size_t len = (size_t)mb << 20, i;
	char *thp = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *small = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (thp == MAP_FAILED || small == MAP_FAILED)
		return -1;
	/* MADV_NOHUGEPAGE did not keep THP=always off the small pages: disable THP for the mm */
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
		return -1;
	touch(small, len);
	prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	madvise(thp, len, MADV_HUGEPAGE);
	touch(thp, len);
	/* every other page back: free memory in holes, movable pages around them */
	for (i = 0; i < len; i += 2 * PAGE)
		madvise(small + i, PAGE, MADV_DONTNEED);
	write_file("/proc/sys/vm/compact_memory", "1");
	touch(thp, len);
	munmap(small, len);
	munmap(thp, len);
	return 0;
}

static void *idle_thread(void *arg)
{
	return arg;
}

static int vmalloc_threads(long rounds)
{
	pthread_t t[32];
	long r;
	int i;

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < 32; i++)
			if (pthread_create(&t[i], NULL, idle_thread, NULL))
				return -1;
		for (i = 0; i < 32; i++)
			pthread_join(t[i], NULL);
	}
	return 0;
}

static int mlock_churn(long mb)
{
	size_t len = (size_t)mb << 20;
	int r;

	for (r = 0; r < 4; r++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || mlock(p, len))
			return -1;
		touch(p, len);
		munlock(p, len);
		munmap(p, len);
	}
	return 0;
}

static int memcg_oom(long mb)
{
	char limit[32];
	pid_t pid;
	int status;

	mkdir("/sys/fs/cgroup/pcr-oom", 0755);
	snprintf(limit, sizeof(limit), "%ld", (mb << 20) / 4);
	if (write_file("/sys/fs/cgroup/pcr-oom/memory.max", limit))
		return -1;
	/* absent without swap accounting: then there is no swap to fall back on anyway */
	write_file("/sys/fs/cgroup/pcr-oom/memory.swap.max", "0");
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		size_t len = (size_t)mb << 20;
		char *p;

		if (write_file("/sys/fs/cgroup/pcr-oom/cgroup.procs", "0"))
			_exit(2);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(3);
		touch(p, len);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	fprintf(stderr, "workload: memcg-oom child %s %d\n",
		WIFSIGNALED(status) ? "killed by signal" : "exited with",
		WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	rmdir("/sys/fs/cgroup/pcr-oom");
	return 0;
}

/* Creates or truncates @path and writes @mb MiB of zeros into it. */
static int write_zeros(const char *path, long mb)
{
	static char zeros[1 << 16];
	long done;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	for (done = 0; done < (mb << 20); done += sizeof(zeros))
		if (write(fd, zeros, sizeof(zeros)) != sizeof(zeros))
			break;
	close(fd);
	return 0;
}

static int pagecache(const char *dev, long mb)
{
	static char buf[1 << 16];
	long done;
	int r, fd;

	for (r = 0; r < 3; r++) {
		fd = open(dev, O_RDONLY);
		if (fd < 0)
			return -1;
		for (done = 0; done < (mb << 20); done += sizeof(buf))
			if (read(fd, buf, sizeof(buf)) <= 0)
				break;
		close(fd);
		write_file("/proc/sys/vm/drop_caches", "1");
	}
	if (write_zeros("/tmp/pagecache", mb))
		return -1;
	unlink("/tmp/pagecache");
	return 0;
}

static int tmpfs_churn(long mb)
{
	long r;

	for (r = 0; r < 40; r++) {
		/* O_TRUNC frees the previous round's pages (shmem_undo_range). */
		if (write_zeros(CHURN_PATH, mb) || forkexec(1))
			return -1;
	}
	unlink(CHURN_PATH);
	return 0;
}

static int net_loopback(long mb)
{
	static char buf[1 << 16];
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(addr);
	int srv = socket(AF_INET, SOCK_STREAM, 0), cli, conn;
	long done;
	pid_t pid;

	if (srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) || listen(srv, 1) ||
	    getsockname(srv, (struct sockaddr *)&addr, &alen))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		cli = socket(AF_INET, SOCK_STREAM, 0);
		if (cli < 0 || connect(cli, (struct sockaddr *)&addr, sizeof(addr)))
			_exit(2);
		for (done = 0; done < (mb << 20); done += sizeof(buf))
			if (write(cli, buf, sizeof(buf)) != sizeof(buf))
				_exit(3);
		_exit(0);
	}
	conn = accept(srv, NULL, NULL);
	if (conn < 0)
		return -1;
	while (read(conn, buf, sizeof(buf)) > 0)
		;
	close(conn);
	close(srv);
	waitpid(pid, NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[argc - 1], NULL, 0) : 0;
	int ret = -1;

	if (argc < 3) {
		fprintf(stderr, "usage: workload forkexec|thp-compact|vmalloc|mlock|memcg-oom|net|tmpfs-churn N\n"
				"       workload pagecache DEVICE MB\n");
		return 2;
	}
	if (!strcmp(argv[1], "forkexec"))
		ret = forkexec(n);
	else if (!strcmp(argv[1], "thp-compact"))
		ret = thp_compact(n);
	else if (!strcmp(argv[1], "vmalloc"))
		ret = vmalloc_threads(n);
	else if (!strcmp(argv[1], "mlock"))
		ret = mlock_churn(n);
	else if (!strcmp(argv[1], "memcg-oom"))
		ret = memcg_oom(n);
	else if (!strcmp(argv[1], "pagecache") && argc == 4)
		ret = pagecache(argv[2], n);
	else if (!strcmp(argv[1], "net"))
		ret = net_loopback(n);
	else if (!strcmp(argv[1], "tmpfs-churn"))
		ret = tmpfs_churn(n);
	if (ret)
		fprintf(stderr, "workload %s failed: %s\n", argv[1], strerror(errno));
	return ret ? 1 : 0;
}
