/*
 * use-after-release (posix-timer): timer_settime/gettime/getoverrun/delete on
 * a timer that was already deleted on that path. Reported on the offending
 * call (the second delete, the settime after the delete, ...).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rate_limiter {
    const char *name;
    int window_ms;
    long dropped;
    int last_error;
};

static void ms_to_its(struct itimerspec *its, int ms)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    its->it_interval = its->it_value;
}

/* Deletes its parameter on every path. */
static void release_timer(const char *who, timer_t t)
{
    if (timer_delete(t) != 0)
        fprintf(stderr, "%s: timer_delete: %s\n", who, strerror(errno));
}

/* bad: the error branch deletes the timer and the common exit deletes it again */
int bad_double_delete_error_path(struct rate_limiter *rl)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    int ret = 0;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, rl->window_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        rl->last_error = errno;
        timer_delete(t);
        ret = -1;
        goto out;
    }
    rl->dropped = 0;
out:
    timer_delete(t); /* expect: use-after-release */
    return ret;
}

/* bad: straight-line double delete during shutdown */
void bad_double_delete_straight(struct rate_limiter *rl)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) {
        rl->last_error = errno;
        return;
    }
    rl->dropped += timer_getoverrun(t);
    timer_delete(t);
    fprintf(stderr, "%s: limiter stopped\n", rl->name);
    timer_delete(t); /* expect: use-after-release */
}

/* bad: the over-limit branch deletes the timer and then tries to restart the window with it */
int bad_settime_after_delete(struct rate_limiter *rl, long limit)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    rl->dropped += timer_getoverrun(t);
    if (rl->dropped > limit) {
        timer_delete(t);
        rl->dropped = 0;
        ms_to_its(&its, rl->window_ms);
        if (timer_settime(t, 0, &its, NULL) != 0) /* expect: use-after-release */
            rl->last_error = errno;
        return 1;
    }
    timer_delete(t);
    return 0;
}

/* bad: the remaining time is queried after the timer was deleted */
long bad_gettime_after_delete(struct rate_limiter *rl)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its, cur;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, rl->window_ms);
    timer_settime(t, 0, &its, NULL);
    timer_delete(t);
    if (timer_gettime(t, &cur) != 0) /* expect: use-after-release */
        return -1;
    return cur.it_value.tv_sec;
}

/* bad: overruns are collected for the statistics after the delete */
int bad_getoverrun_after_delete(struct rate_limiter *rl)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, rl->window_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    timer_delete(t);
    rl->dropped += timer_getoverrun(t); /* expect: use-after-release */
    return 0;
}

/* bad: a same-file helper deletes the timer, then the caller re-arms it */
int bad_use_after_helper_delete(struct rate_limiter *rl)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    release_timer(rl->name, t);
    ms_to_its(&its, rl->window_ms);
    timer_settime(t, 0, &its, NULL); /* expect: use-after-release */
    return 0;
}

/* bad: deleting a copy releases the timer; using the original afterwards is a use after release */
int bad_use_original_after_copy_deleted(struct rate_limiter *rl)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    timer_t t, victim;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    victim = t;
    timer_delete(victim);
    rl->dropped = timer_getoverrun(t); /* expect: use-after-release */
    return 0;
}

/* good: deleted, re-created into the same variable, then used and deleted */
int good_recreate_after_delete(struct rate_limiter *rl)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_REALTIME, &sev, &t) != 0)
        return -1;
    timer_delete(t);

    /* wall-clock jumps confuse the limiter: switch to the monotonic clock */
    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, rl->window_ms);
    if (timer_settime(t, 0, &its, NULL) != 0)
        rl->last_error = errno;
    timer_delete(t);
    return 0;
}

/* good: deleted on one branch, used (and then deleted) on the other */
int good_delete_one_branch_use_other(struct rate_limiter *rl, bool cancel)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    if (cancel) {
        timer_delete(t);
        return 0;
    }
    ms_to_its(&its, rl->window_ms);
    timer_settime(t, 0, &its, NULL);
    rl->dropped += timer_getoverrun(t);
    timer_delete(t);
    return 1;
}

/* good: each iteration creates, uses and deletes its own timer */
int good_create_use_delete_per_iteration(struct rate_limiter *rl, int windows)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    ms_to_its(&its, rl->window_ms);
    for (int i = 0; i < windows; i++) {
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
            return -1;
        timer_settime(t, 0, &its, NULL);
        rl->dropped += timer_getoverrun(t);
        timer_delete(t);
    }
    return 0;
}

/* good: the if/else deletes exactly once on each path */
int good_single_delete_each_branch(struct rate_limiter *rl)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its, cur;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, rl->window_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        rl->last_error = errno;
        timer_delete(t);
    } else {
        if (timer_gettime(t, &cur) == 0)
            rl->dropped = cur.it_value.tv_sec;
        release_timer(rl->name, t);
    }
    return rl->last_error ? -1 : 0;
}
