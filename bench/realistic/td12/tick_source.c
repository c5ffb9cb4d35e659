/* tick_source.c - timerfd-driven tick sources for the sensor sampling library.
 *
 * A tick source owns a timerfd and a worker thread that turns expirations into
 * on_tick() callbacks.  tick_source_stop() joins the worker and closes the fd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

typedef void (*tick_fn)(void *ctx, uint64_t expirations);

struct tick_source {
	int tfd;
	pthread_t thr;
	int running;
	atomic_int stop;
	unsigned period_us;
	tick_fn on_tick;
	void *ctx;
	uint64_t total;
};

struct jitter_probe {
	int fd;
	unsigned samples;
	long period_ns;
	long worst_ns;
};

static void close_fdp(int *fdp)
{
	if (*fdp >= 0)
		close(*fdp);
}

#define AUTO_CLOSE __attribute__((cleanup(close_fdp)))

static void fill_spec(struct itimerspec *its, unsigned period_us, int periodic)
{
	memset(its, 0, sizeof(*its));
	its->it_value.tv_sec = period_us / 1000000u;
	its->it_value.tv_nsec = (long)(period_us % 1000000u) * 1000L;
	if (periodic)
		its->it_interval = its->it_value;
}

static long ts_diff_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

static void *tick_worker(void *arg)
{
	struct tick_source *src = arg;

	while (!atomic_load(&src->stop)) {
		uint64_t n;
		ssize_t r = read(src->tfd, &n, sizeof(n));

		if (r != (ssize_t)sizeof(n)) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		src->total += n;
		src->on_tick(src->ctx, n);
	}
	return NULL;
}

static void *oneshot_worker(void *arg)
{
	struct tick_source *src = arg;
	uint64_t n;

	if (read(src->tfd, &n, sizeof(n)) == (ssize_t)sizeof(n) && !atomic_load(&src->stop)) {
		src->total += n;
		src->on_tick(src->ctx, n);
	}
	return NULL;
}

static void *jitter_worker(void *arg)
{
	struct jitter_probe *p = arg;
	struct timespec prev, now;
	unsigned i;

	clock_gettime(CLOCK_MONOTONIC, &prev);
	for (i = 0; i < p->samples; i++) {
		uint64_t n;
		long late;

		if (read(p->fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		late = ts_diff_ns(&prev, &now) - p->period_ns * (long)n;
		if (late > p->worst_ns)
			p->worst_ns = late;
		prev = now;
	}
	return NULL;
}

int tick_source_init(struct tick_source *src, unsigned period_us, tick_fn fn, void *ctx)
{
	if (!src || !fn || period_us == 0)
		return -EINVAL;
	memset(src, 0, sizeof(*src));
	src->tfd = -1;
	atomic_init(&src->stop, 0);
	src->period_us = period_us;
	src->on_tick = fn;
	src->ctx = ctx;
	return 0;
}

void tick_source_stop(struct tick_source *src)
{
	if (!src->running)
		return;
	atomic_store(&src->stop, 1);
	pthread_join(src->thr, NULL);
	src->running = 0;
	if (src->tfd >= 0) {
		close(src->tfd);
		src->tfd = -1;
	}
}

int tick_source_start(struct tick_source *src)
{
	struct itimerspec its;
	AUTO_CLOSE int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: stop-too-late */

	if (fd < 0)
		return -errno;
	fill_spec(&its, src->period_us, 1);
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return -errno;
	src->tfd = fd;
	atomic_store(&src->stop, 0);
	if (pthread_create(&src->thr, NULL, tick_worker, src) != 0) {
		src->tfd = -1;
		return -EAGAIN;
	}
	src->running = 1;
	return 0;
}

int tick_source_start_rt(struct tick_source *src, int priority)
{
	struct itimerspec its;
	struct sched_param sp = { .sched_priority = priority };
	pthread_attr_t attr;
	AUTO_CLOSE int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	fill_spec(&its, src->period_us, 1);
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return -errno;
	if (pthread_attr_init(&attr) != 0)
		return -ENOMEM;
	pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
	pthread_attr_setschedparam(&attr, &sp);
	src->tfd = fd;
	fd = -1;		/* the source owns it from here on */
	atomic_store(&src->stop, 0);
	rc = pthread_create(&src->thr, &attr, tick_worker, src);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		close(src->tfd);
		src->tfd = -1;
		return -rc;
	}
	src->running = 1;
	return 0;
}

/* Deliver a single on_tick() delay_us from now, from a dedicated thread. */
int tick_source_arm_once(struct tick_source *src, unsigned delay_us)
{
	struct itimerspec its;
	int rc;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	fill_spec(&its, delay_us ? delay_us : 1, 0);
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		rc = -errno;
		goto out;
	}
	src->tfd = fd;
	atomic_store(&src->stop, 0);
	rc = pthread_create(&src->thr, NULL, oneshot_worker, src);
	if (rc != 0) {
		src->tfd = -1;
		rc = -rc;
		goto out;
	}
	src->running = 1;
	rc = 0;
out:
	close(fd); /* expect: stop-too-late */
	return rc;
}

/* Change the period of a running source: stop it, swap in a new timerfd, restart. */
int tick_source_retune(struct tick_source *src, unsigned period_us)
{
	struct itimerspec its;
	int rc;
	int fd;

	if (!src->running || period_us == 0)
		return -EINVAL;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	fill_spec(&its, period_us, 1);
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		rc = -errno;
		goto out;
	}
	tick_source_stop(src);
	src->period_us = period_us;
	src->tfd = fd;
	fd = -1;
	atomic_store(&src->stop, 0);
	rc = pthread_create(&src->thr, NULL, tick_worker, src);
	if (rc != 0) {
		close(src->tfd);
		src->tfd = -1;
		rc = -rc;
		goto out;
	}
	src->running = 1;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Worst lateness, in ns, over `samples` periods of period_us. */
long tick_measure_jitter(unsigned period_us, unsigned samples)
{
	struct jitter_probe probe = { .fd = -1, .samples = samples, .period_ns = (long)period_us * 1000L };
	struct itimerspec its;
	pthread_t thr;
	AUTO_CLOSE int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (period_us == 0 || samples == 0)
		return -EINVAL;
	fill_spec(&its, period_us, 1);
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return -errno;
	probe.fd = fd;
	if (pthread_create(&thr, NULL, jitter_worker, &probe) != 0)
		return -EAGAIN;
	pthread_join(thr, NULL);
	return probe.worst_ns;
}

/* Smallest one-shot delay the kernel actually honours, in ns. */
int tick_probe_resolution(long *out_ns)
{
	struct itimerspec its = { .it_value = { .tv_sec = 0, .tv_nsec = 1000 } };
	struct timespec t0, t1;
	uint64_t n;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */

	if (fd < 0)
		return -errno;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return -errno;
	if (read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n)) {
		close(fd);
		return -EIO;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(fd);
	*out_ns = ts_diff_ns(&t0, &t1);
	return 0;
}
