/*
 * housekeeping.c - periodic cleanup on a C11 thread.
 *
 * The housekeeping thread waits on a timerfd and, on every tick, reaps the
 * sessions whose idle timer has fired.  housekeeping_compact() runs a
 * one-off compaction on a helper thread, in the background or waited for.
 */
#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* Prefer CLOCK_BOOTTIME so the cleanup period keeps counting across a
 * suspend; fall back to CLOCK_MONOTONIC on kernels without it. */
static int pick_clock(void)
{
	/* BUG: the probe's descriptor is only compared, never closed: one
	 * timerfd leaked per call. Keep the fd and close() it. */
	if (timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC) < 0) /* expect: handle-discarded */ /* note[handle-discarded]: timerfd_create() called here */
		return CLOCK_MONOTONIC;
	return CLOCK_BOOTTIME;
}

static int housekeeping_main(void *arg)
{
	struct housekeeping *hk = arg;
	struct itimerspec its;
	uint64_t ticks;
	int fd;

	if ((fd = timerfd_create(hk->clock, TFD_CLOEXEC)) < 0) { /* expect: missing-stop */ /* note[missing-stop]: timer 'fd' created here by timerfd_create() */ /* note[missing-stop]: taking the false branch: '(fd = timerfd_create(hk->clock, TFD_CLOEXEC)) < 0' is false */
		perror("timerfd_create(housekeeping)");
		return -1;
	}
	its.it_value = ms_to_ts(hk->period_ms);
	its.it_interval = its.it_value;
	if (timerfd_settime(fd, 0, &its, NULL) < 0) { /* note[missing-stop]: taking the true branch: 'timerfd_settime(fd, 0, &its, NULL) < 0' is true */
		/* BUG: fd is leaked on this error path; close(fd) first. */
		perror("timerfd_settime(housekeeping)");
		return -1; /* note[missing-stop]: returning here without close() */
	}

	while (!atomic_load(&hk->stop)) {
		ssize_t n = read(fd, &ticks, sizeof ticks);

		if (n != (ssize_t)sizeof ticks) {
			if (n < 0 && errno == EINTR)
				continue;
			perror("read(housekeeping timerfd)");
			break;
		}
		session_manager_reap(hk->sessions);
		atomic_fetch_add(&g_stats.cleanups, 1);
	}
	close(fd);
	return 0;
}

int housekeeping_start(struct housekeeping *hk, struct session_manager *sessions,
		       unsigned period_ms)
{
	if (period_ms == 0)
		return -1;
	atomic_init(&hk->stop, 0);
	atomic_init(&hk->compactions, 0);
	hk->sessions = sessions;
	hk->period_ms = period_ms;
	hk->clock = pick_clock();
	if (thrd_create(&hk->thread, housekeeping_main, hk) != thrd_success)
		return -1;
	return 0;
}

static int compact_main(void *arg)
{
	struct housekeeping *hk = arg;
	struct timespec pause = ms_to_ts(10);

	/* stand-in for real work: defragment the session table */
	thrd_sleep(&pause, NULL);
	atomic_fetch_add(&hk->compactions, 1);
	return 0;
}

/* Compact now; wait != 0 waits for the result, otherwise runs in background. */
int housekeeping_compact(struct housekeeping *hk, int wait)
{
	int res = 0;
	thrd_t t;

	if (thrd_create(&t, compact_main, hk) != 0) /* note[use-after-release]: thread 't' created here by thrd_create() */ /* note[use-after-release]: taking the false branch: 'thrd_create(&t, compact_main, hk) != 0' is false */
		return -1;
	if (!wait) { /* note[use-after-release]: taking the true branch: '!wait' is true */
		/* nobody waits for a background compaction */
		thrd_detach(t); /* note[use-after-release]: detached here by thrd_detach() */
		/* BUG: missing `return 0;` here: falls through and joins the
		 * thread it has just detached (undefined behaviour). */
	}
	thrd_join(t, &res); /* expect: use-after-release */ /* note[use-after-release]: thrd_join() here */
	return res;
}

void housekeeping_stop(struct housekeeping *hk)
{
	int res = 0;

	atomic_store(&hk->stop, 1);
	if (thrd_join(hk->thread, &res) != thrd_success || res != 0)
		fprintf(stderr, "housekeeping: thread ended with %d\n", res);
}
