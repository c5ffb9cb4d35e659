/*
 * aggd - a small metrics aggregator. Samples ("bucket:value") read from the
 * socket on stdin go to a pool of parser threads; a POSIX timer flushes the
 * aggregates; a timerfd-driven heartbeat thread refreshes a stamp file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define POOL_MAX          16
#define NCOUNTERS         64
#define COMPACT_BUDGET_S  2
#define SNAPSHOT_PATH     "/var/lib/aggd/last.snap"

struct aggd {
	int sock;
	unsigned nworkers;
	pthread_t workers[POOL_MAX];
	timer_t flush_timer;
	unsigned flush_ms;
	int hb_fd;
	clockid_t hb_clock;
	int stamp_fd;
	pthread_mutex_t stats_lock;
	uint64_t counters[NCOUNTERS];
	uint64_t samples;
};

static void *worker_main(void *arg)
{
	struct aggd *d = arg;
	unsigned long long val;
	unsigned bucket;
	char buf[512];
	ssize_t n;

	while ((n = recv(d->sock, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		if (sscanf(buf, "%u:%llu", &bucket, &val) != 2 || bucket >= NCOUNTERS)
			continue;
		pthread_mutex_lock(&d->stats_lock);
		d->counters[bucket] += val;
		d->samples++;
		pthread_mutex_unlock(&d->stats_lock);
	}
	return NULL;
}

static void pool_stop(struct aggd *d)
{
	shutdown(d->sock, SHUT_RD);	/* wakes every worker blocked in recv() */
	while (d->nworkers > 0)
		pthread_join(d->workers[--d->nworkers], NULL);
}

static int pool_start(struct aggd *d, unsigned n)
{
	for (d->nworkers = 0; d->nworkers < n && d->nworkers < POOL_MAX; d->nworkers++) {
		if (pthread_create(&d->workers[d->nworkers], NULL, worker_main, d) != 0) {
			pool_stop(d);
			return -1;
		}
	}
	return 0;
}

static void flush_notify(union sigval sv)
{
	struct aggd *d = sv.sival_ptr;
	pthread_mutex_lock(&d->stats_lock);
	for (unsigned i = 0; i < NCOUNTERS; i++)
		printf("bucket.%u %llu\n", i, (unsigned long long)d->counters[i]);
	memset(d->counters, 0, sizeof(d->counters));
	pthread_mutex_unlock(&d->stats_lock);
}

static void ms_to_its(unsigned ms, struct itimerspec *its)
{
	its->it_value.tv_sec = ms / 1000;
	its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	its->it_interval = its->it_value;
}

static int flush_timer_setup(struct aggd *d)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD, .sigev_value.sival_ptr = d };
	struct itimerspec its;

	sev.sigev_notify_function = flush_notify;
	if (timer_create(CLOCK_MONOTONIC, &sev, &d->flush_timer) != 0)
		return -1;
	ms_to_its(d->flush_ms, &its);
	if (timer_settime(d->flush_timer, 0, &its, NULL) != 0) {
		timer_delete(d->flush_timer);
		return -1;
	}
	return 0;
}

int aggd_set_flush_interval(struct aggd *d, unsigned ms)
{
	struct itimerspec its;

	/* drop the old schedule before installing the new one */
	timer_delete(d->flush_timer);
	d->flush_ms = ms;
	if (ms == 0)
		return 0;
	ms_to_its(ms, &its);
	if (timer_settime(d->flush_timer, 0, &its, NULL) != 0) /* expect: use-after-release */
		return -errno;
	return 0;
}

static clockid_t pick_heartbeat_clock(void)
{
	/* CLOCK_BOOTTIME keeps counting across suspend; older kernels reject it */
	if (timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC) < 0) /* expect: handle-discarded */
		return CLOCK_MONOTONIC;
	return CLOCK_BOOTTIME;
}

static void *heartbeat_loop(void *arg)
{
	struct aggd *d = arg;
	uint64_t ticks;
	char line[32];

	while (read(d->hb_fd, &ticks, sizeof(ticks)) == (ssize_t)sizeof(ticks)) {
		int n = snprintf(line, sizeof(line), "%lld\n", (long long)time(NULL));
		if (pwrite(d->stamp_fd, line, (size_t)n, 0) < 0)
			break;
	}
	return NULL;
}

static int heartbeat_start(struct aggd *d, const char *stamp_path)
{
	struct itimerspec its = { .it_interval = { 5, 0 }, .it_value = { 5, 0 } };
	pthread_attr_t attr;
	pthread_t tid;
	int fd, rc = -1;

	d->stamp_fd = open(stamp_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (d->stamp_fd < 0)
		return -1;
	d->hb_clock = pick_heartbeat_clock();
	if ((fd = timerfd_create(d->hb_clock, TFD_CLOEXEC)) < 0)
		return -1;
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		goto out;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	d->hb_fd = fd;
	if (pthread_create(&tid, &attr, heartbeat_loop, d) != 0) {
		d->hb_fd = -1;
		goto out_attr;
	}
	/* watchers should not have to wait a whole period for the first stamp */
	if (pwrite(d->stamp_fd, "0\n", 2, 0) < 0)
		goto out_attr;
	fd = -1;	/* d->hb_fd owns it now */
	rc = 0;
out_attr:
	pthread_attr_destroy(&attr);
out:
	if (fd >= 0)
		close(fd); /* expect: stop-too-late */
	return rc;
}

static void compaction_overrun(union sigval sv)
{
	struct aggd *d = sv.sival_ptr;
	fprintf(stderr, "aggd: compaction over budget (%llu samples)\n", (unsigned long long)d->samples);
}

int aggd_compact(struct aggd *d)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD };
	struct itimerspec budget = { .it_value = { COMPACT_BUDGET_S, 0 } };
	struct itimerspec off = { 0 };
	timer_t guard;

	sev.sigev_notify_function = compaction_overrun;
	sev.sigev_value.sival_ptr = d;
	if (timer_create(CLOCK_MONOTONIC, &sev, &guard) != 0) /* expect: disarmed-not-released */
		return -errno;
	timer_settime(guard, 0, &budget, NULL);
	pthread_mutex_lock(&d->stats_lock);
	for (unsigned i = 0; i < NCOUNTERS; i++)
		d->counters[i] >>= 1;
	pthread_mutex_unlock(&d->stats_lock);
	timer_settime(guard, 0, &off, NULL);
	return 0;
}

static void *snapshot_write_main(void *arg)
{
	uint64_t *snap = arg;
	FILE *f = fopen(SNAPSHOT_PATH ".tmp", "w");

	if (f) {
		for (unsigned i = 0; i < NCOUNTERS; i++)
			fprintf(f, "%u %llu\n", i, (unsigned long long)snap[i]);
		if (fclose(f) == 0)
			rename(SNAPSHOT_PATH ".tmp", SNAPSHOT_PATH);
	}
	free(snap);
	return NULL;
}

int aggd_dump_snapshot(struct aggd *d, bool wait)
{
	uint64_t *snap = malloc(sizeof(d->counters));
	pthread_t writer;

	if (!snap)
		return -1;
	pthread_mutex_lock(&d->stats_lock);
	memcpy(snap, d->counters, sizeof(d->counters));
	pthread_mutex_unlock(&d->stats_lock);

	if (pthread_create(&writer, NULL, snapshot_write_main, snap) != 0) { /* expect: missing-join */
		free(snap);
		return -1;
	}
	if (wait)
		return pthread_join(writer, NULL) == 0 ? 0 : -1;
	return 0;	/* the writer frees its copy when it is done */
}

static void aggd_shutdown(struct aggd *d)
{
	timer_delete(d->flush_timer);
	pool_stop(d);
}

static unsigned config_flush_ms(unsigned dflt)
{
	FILE *f = fopen("/etc/aggd/flush_ms", "r");
	unsigned ms;

	if (!f)
		return dflt;
	if (fscanf(f, "%u", &ms) != 1)
		ms = dflt;
	fclose(f);
	return ms;
}

int main(int argc, char **argv)
{
	static struct aggd d = {
		.sock = STDIN_FILENO,	/* systemd socket unit: StandardInput=socket */
		.stats_lock = PTHREAD_MUTEX_INITIALIZER,
		.hb_fd = -1, .stamp_fd = -1,
	};
	sigset_t set;
	int sig;

	sigemptyset(&set);
	for (const int *s = (const int[]){ SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, 0 }; *s; s++)
		sigaddset(&set, *s);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	d.flush_ms = config_flush_ms(10000);
	if (pool_start(&d, argc > 1 ? (unsigned)atoi(argv[1]) : 4) < 0 ||
	    flush_timer_setup(&d) < 0) {
		fprintf(stderr, "aggd: startup failed\n");
		return 1;
	}
	if (heartbeat_start(&d, "/run/aggd.stamp") < 0)
		fprintf(stderr, "aggd: running without heartbeat\n");

	while (sigwait(&set, &sig) == 0 && sig != SIGTERM && sig != SIGINT) {
		if (sig == SIGHUP)
			aggd_set_flush_interval(&d, config_flush_ms(d.flush_ms));
		else if (sig == SIGUSR1)
			aggd_compact(&d);
		else
			aggd_dump_snapshot(&d, false);
	}
	aggd_shutdown(&d);
	aggd_dump_snapshot(&d, true);
	return 0;
}
