/*
 * latency_watch.c - samples request latency on a ticker while a burst of
 * traffic runs.
 *
 * The shape of the Go incident behind timerlint:
 *
 *     ticker := time.NewTicker(d)
 *     defer ticker.Stop()
 *     go func() { for range ticker.C { sample() } }()
 *
 * The ticker's stop is deferred to the end of the function, but the worker
 * reading it was started inside the function and never ends: every call
 * leaves one thread spinning on a closed descriptor (or, once the number
 * is reused, on somebody else's).
 */
#include "demo.h"

#include <stdio.h>
#include <sys/timerfd.h>
#include <unistd.h>

static void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_close_ __attribute__((cleanup(closep)))

static atomic_ulong samples;

/* Reads the ticker forever: there is no way out of this loop. */
static void *sample_loop(void *arg)
{
	int fd = *(int *)arg;
	uint64_t ticks;

	for (;;) {
		if (read(fd, &ticks, sizeof ticks) == sizeof ticks)
			atomic_fetch_add(&samples, ticks);
	}
	return NULL;
}

unsigned long latency_watch_burst(struct worker_pool *pool, struct request *reqs,
				  size_t n, unsigned period_ms)
{
	/* BUG: the ticker is closed when this function returns (the cleanup
	 * attribute is Go's defer), while sample_loop, started below with the
	 * ticker and never stopped, keeps reading it. Stop the sampler and
	 * join it before the ticker goes out of scope. */
	_cleanup_close_ int ticker = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: stop-too-late */
	struct itimerspec its;
	pthread_t sampler;

	if (ticker < 0)
		return 0;
	its.it_value = ms_to_ts(period_ms);
	its.it_interval = its.it_value;
	if (timerfd_settime(ticker, 0, &its, NULL) < 0)
		return 0;
	if (pthread_create(&sampler, NULL, sample_loop, &ticker) != 0)
		return 0;
	pthread_detach(sampler);

	worker_pool_submit_batch(pool, reqs, n);
	return atomic_load(&samples);
}
