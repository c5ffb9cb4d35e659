/*
 * watchdog.c - process liveness watchdog built on POSIX per-process timers.
 *
 * A watchdog owns one CLOCK_MONOTONIC timer that notifies through
 * SIGEV_THREAD.  Clients call watchdog_kick() at least once per timeout;
 * when the timer expires first, the expiry callback runs on a helper
 * thread with the number of consecutive misses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef void (*watchdog_expiry_fn)(void *cookie, unsigned misses);

struct watchdog {
    timer_t timer;
    clockid_t clock;
    long timeout_ms;
    watchdog_expiry_fn on_expiry;
    void *cookie;
    pthread_mutex_t lock;
    unsigned misses;
    int armed;
};

static const struct itimerspec watchdog_disarm_spec = { { 0, 0 }, { 0, 0 } };

static volatile sig_atomic_t selftest_hits;

static void ms_to_timespec(long ms, struct timespec *ts)
{
    ts->tv_sec = ms / 1000;
    ts->tv_nsec = (ms % 1000) * 1000000L;
}

static void watchdog_fire(union sigval sv)
{
    struct watchdog *w = sv.sival_ptr;
    unsigned misses;

    pthread_mutex_lock(&w->lock);
    misses = ++w->misses;
    pthread_mutex_unlock(&w->lock);
    if (w->on_expiry)
        w->on_expiry(w->cookie, misses);
}

static void watchdog_fill_sigevent(struct sigevent *sev, struct watchdog *w)
{
    memset(sev, 0, sizeof *sev);
    sev->sigev_notify = SIGEV_THREAD;
    sev->sigev_notify_function = watchdog_fire;
    sev->sigev_value.sival_ptr = w;
}

int watchdog_new(clockid_t clock, long timeout_ms, watchdog_expiry_fn fn,
                 void *cookie, struct watchdog **out)
{
    struct watchdog *w;
    struct sigevent sev;
    int err;

    *out = NULL;
    w = calloc(1, sizeof *w);
    if (!w)
        return -ENOMEM;
    w->clock = clock;
    w->timeout_ms = timeout_ms;
    w->on_expiry = fn;
    w->cookie = cookie;
    pthread_mutex_init(&w->lock, NULL);

    watchdog_fill_sigevent(&sev, w);
    if (timer_create(clock, &sev, &w->timer) != 0) {
        err = errno;
        pthread_mutex_destroy(&w->lock);
        free(w);
        return -err;
    }
    *out = w;
    return 0;
}

int watchdog_kick(struct watchdog *w)
{
    struct itimerspec its;

    memset(&its, 0, sizeof its);
    ms_to_timespec(w->timeout_ms, &its.it_value);

    pthread_mutex_lock(&w->lock);
    w->misses = 0;
    w->armed = 1;
    pthread_mutex_unlock(&w->lock);
    return timer_settime(w->timer, 0, &its, NULL);
}

int watchdog_pause(struct watchdog *w)
{
    pthread_mutex_lock(&w->lock);
    w->armed = 0;
    pthread_mutex_unlock(&w->lock);
    return timer_settime(w->timer, 0, &(struct itimerspec){ { 0, 0 }, { 0, 0 } }, NULL);
}

/* Moves the watchdog onto another clock (e.g. CLOCK_BOOTTIME once the
 * platform reports suspend support).  The old timer is only dropped once the
 * new one exists, so a failure leaves the watchdog untouched. */
int watchdog_rebind_clock(struct watchdog *w, clockid_t clock)
{
    struct sigevent sev;
    timer_t fresh;
    int was_armed;

    watchdog_fill_sigevent(&sev, w);
    if (timer_create(clock, &sev, &fresh) != 0)
        return -errno;

    pthread_mutex_lock(&w->lock);
    was_armed = w->armed;
    timer_delete(w->timer);
    w->timer = fresh;
    w->clock = clock;
    pthread_mutex_unlock(&w->lock);

    return was_armed ? watchdog_kick(w) : 0;
}

void watchdog_free(struct watchdog *w)
{
    struct itimerspec off;

    if (!w)
        return;
    memset(&off, 0, sizeof off);
    timer_settime(w->timer, 0, &off, NULL);
    timer_delete(w->timer);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

static void selftest_fire(union sigval sv)
{
    (void)sv;
    selftest_hits++;
}

/* Checks that SIGEV_THREAD delivery works at the needed resolution before
 * the service starts relying on it. */
int watchdog_selftest(void)
{
    timer_t probe;
    struct sigevent sev;
    struct itimerspec its;
    int waited;

    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = selftest_fire;
    if (timer_create(CLOCK_MONOTONIC, &sev, &probe) != 0) /* expect: disarmed-not-released */
        return -1;

    memset(&its, 0, sizeof its);
    its.it_value.tv_nsec = 5 * 1000000L;
    its.it_interval.tv_nsec = 5 * 1000000L;
    selftest_hits = 0;
    if (timer_settime(probe, 0, &its, NULL) != 0) {
        timer_delete(probe);
        return -1;
    }

    for (waited = 0; waited < 100 && selftest_hits < 3; waited++)
        usleep(1000);

    timer_settime(probe, 0, &watchdog_disarm_spec, NULL);
    return selftest_hits >= 3 ? 0 : -1;
}

/* Gives in-flight requests grace_ms to drain during shutdown; if draining
 * takes longer, the watchdog's expiry callback reports it once. */
int watchdog_grace_period(struct watchdog *w, long grace_ms,
                          int (*drain)(void *), void *ctx)
{
    timer_t grace;
    struct sigevent sev;
    struct itimerspec its = { { 0, 0 }, { 0, 0 } };
    int rc;

    watchdog_fill_sigevent(&sev, w);
    ms_to_timespec(grace_ms, &its.it_value);

    if (timer_create(w->clock, &sev, &grace) != 0 || /* expect: missing-stop */
        timer_settime(grace, 0, &its, NULL) != 0)
        return -1;

    rc = drain(ctx);

    timer_settime(grace, 0, &(struct itimerspec){ { 0, 0 }, { 0, 0 } }, NULL);
    timer_delete(grace);
    return rc;
}
