/*
 * metrics_reporter.c - periodic metrics reporting.
 *
 * A POSIX timer (SIGEV_THREAD) samples the request counters every
 * interval_ms; a separate thread runs a timerfd loop that flushes the
 * collected samples every flush_interval_ms.  metrics_sample_burst() takes
 * a short high-rate series of samples on the calling thread, driven by a
 * SIGEV_SIGNAL timer and sigwait().
 */
#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

static void record_sample(struct metrics_reporter *r, unsigned long value)
{
	pthread_mutex_lock(&r->lock);
	if (r->nsamples == METRICS_MAX_SAMPLES) {
		memmove(r->samples, r->samples + 1,
			(METRICS_MAX_SAMPLES - 1) * sizeof r->samples[0]);
		r->nsamples--;
	}
	r->samples[r->nsamples++] = value;
	pthread_mutex_unlock(&r->lock);
}

/* SIGEV_THREAD callback of the report timer. */
static void report_tick(union sigval sv)
{
	struct metrics_reporter *r = sv.sival_ptr;
	unsigned long now = atomic_load(&g_stats.requests);
	int missed = timer_getoverrun(r->timer);

	record_sample(r, now - r->last_requests);
	r->last_requests = now;
	atomic_fetch_add(&r->ticks, 1);
	if (r->verbose && missed > 0)
		fprintf(stderr, "metrics: %d report ticks overrun\n", missed);
}

static void metrics_flush(struct metrics_reporter *r, uint64_t expirations)
{
	unsigned long sum = 0;
	size_t i, n;

	pthread_mutex_lock(&r->lock);
	n = r->nsamples;
	for (i = 0; i < n; i++)
		sum += r->samples[i];
	r->nsamples = 0;
	pthread_mutex_unlock(&r->lock);

	atomic_fetch_add(&r->flushes, 1);
	if (r->verbose)
		printf("metrics: flush #%lu: %zu samples, %lu requests (%llu expirations)\n",
		       atomic_load(&r->flushes), n, sum, (unsigned long long)expirations);
}

/* Flush loop: owns its timerfd and closes it on every way out. */
static void *flush_loop(void *arg)
{
	struct metrics_reporter *r = arg;
	struct itimerspec its;
	uint64_t expirations;
	int fd;

	if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)) < 0) {
		perror("timerfd_create(flush)");
		return NULL;
	}
	its.it_value = ms_to_ts(r->flush_interval_ms);
	its.it_interval = its.it_value;
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		perror("timerfd_settime(flush)");
		close(fd);
		return NULL;
	}

	while (atomic_load(&r->running)) {
		ssize_t n = read(fd, &expirations, sizeof expirations);

		if (n != (ssize_t)sizeof expirations) {
			if (n < 0 && errno == EINTR)
				continue;
			perror("read(flush timerfd)");
			break;
		}
		metrics_flush(r, expirations);
	}
	close(fd);
	return NULL;
}

int metrics_reporter_init(struct metrics_reporter *r, unsigned interval_ms,
			  unsigned flush_interval_ms, int verbose)
{
	if (interval_ms == 0 || flush_interval_ms == 0)
		return -1;
	memset(r, 0, sizeof *r);
	r->interval_ms = interval_ms;
	r->flush_interval_ms = flush_interval_ms;
	r->verbose = verbose;
	return pthread_mutex_init(&r->lock, NULL) == 0 ? 0 : -1;
}

int metrics_reporter_start(struct metrics_reporter *r)
{
	struct sigevent sev;
	struct itimerspec its;
	timer_t t;

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = report_tick;
	sev.sigev_value.sival_ptr = r;

	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) { /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by timer_create() */ /* note[missing-stop]: taking the false branch: 'timer_create(CLOCK_MONOTONIC, &sev, &t) != 0' is false */
		perror("timer_create(report)");
		return -1;
	}

	its.it_value = ms_to_ts(r->interval_ms);
	its.it_interval = its.it_value;
	if (timer_settime(t, 0, &its, NULL) != 0) { /* note[missing-stop]: taking the true branch: 'timer_settime(t, 0, &its, NULL) != 0' is true */
		/* BUG: the timer created above is not deleted on this error path;
		 * needs timer_delete(t) before returning. */
		perror("timer_settime(report)");
		return -1; /* note[missing-stop]: returning here without timer_delete() */
	}
	r->timer = t;

	atomic_store(&r->running, 1);
	if (pthread_create(&r->flush_thread, NULL, flush_loop, r) != 0) {
		atomic_store(&r->running, 0);
		timer_delete(r->timer);
		return -1;
	}
	return 0;
}

/*
 * Take `count` samples, one every `period_ms`, on the calling thread.
 * SIGRTMIN must be blocked in every thread of the process (main() does it).
 */
int metrics_sample_burst(struct metrics_reporter *r, unsigned count, unsigned period_ms)
{
	struct sigevent sev;
	struct itimerspec its;
	struct itimerspec off = {0};
	sigset_t set;
	unsigned long prev = atomic_load(&g_stats.requests);
	unsigned i;
	timer_t t;
	int sig;

	if (period_ms == 0)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: disarmed-not-released */ /* note[disarmed-not-released]: timer 't' created here by timer_create() */
		return -1;

	its.it_value = ms_to_ts(period_ms);
	its.it_interval = its.it_value;
	if (timer_settime(t, 0, &its, NULL) != 0) { /* note[disarmed-not-released]: taking the false branch: 'timer_settime(t, 0, &its, NULL) != 0' is false */
		timer_delete(t);
		return -1;
	}

	for (i = 0; i < count; i++) {
		unsigned long now;

		if (sigwait(&set, &sig) != 0)
			break;
		now = atomic_load(&g_stats.requests);
		record_sample(r, now - prev);
		prev = now;
	}

	/* BUG: disarming only stops the ticks; the timer itself is never
	 * deleted, so every burst leaks a kernel timer. Use timer_delete(t). */
	timer_settime(t, 0, &off, NULL); /* note[disarmed-not-released]: disarmed here by timer_settime() */
	return (int)i; /* note[disarmed-not-released]: returning here without timer_delete() */
}

void metrics_reporter_stop(struct metrics_reporter *r)
{
	int missed;

	atomic_store(&r->running, 0);
	pthread_join(r->flush_thread, NULL);

	timer_delete(r->timer); /* note[use-after-release]: released here by timer_delete() */
	/* BUG: reads the overrun count of the timer deleted on the line above;
	 * the id is no longer valid. Query it before timer_delete(). */
	missed = timer_getoverrun(r->timer); /* expect: use-after-release */ /* note[use-after-release]: timer_getoverrun() here */
	if (missed > 0)
		fprintf(stderr, "metrics: %d ticks lost in the last interval\n", missed);

	metrics_flush(r, 0);
	pthread_mutex_destroy(&r->lock);
}
