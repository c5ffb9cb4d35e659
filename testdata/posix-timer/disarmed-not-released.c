/*
 * disarmed-not-released (posix-timer): timer_settime() with an all-zero
 * it_value (a struct itimerspec initialised {0} and never assigned) disarms
 * the timer; the function then reaches its exit without timer_delete().
 * Reported on the timer_create line. A timer that leaks while still armed is
 * missing-stop instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct session {
    const char *peer;
    timer_t idle_timer;
    int idle_ms;
    long remaining_ms;
    int last_error;
};

/* Body not in this file and not in the rules: passing a handle to it is an escape. */
extern void timer_pool_put(timer_t t);

static void ms_to_its(struct itimerspec *its, int ms)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    its->it_interval.tv_sec = 0;
    its->it_interval.tv_nsec = 0;
}

/* Only disarms its parameter: a disarm at the call, not a release. */
static void pause_timer(timer_t t)
{
    struct itimerspec zero = {0};

    (void)timer_settime(t, 0, &zero, NULL);
}

/* Disarms and then deletes its parameter on every path: a release at the call. */
static void stop_and_destroy(timer_t t)
{
    struct itimerspec zero = {0};

    (void)timer_settime(t, 0, &zero, NULL);
    timer_delete(t);
}

static long its_to_ms(const struct itimerspec *its)
{
    return its->it_value.tv_sec * 1000L + its->it_value.tv_nsec / 1000000L;
}

/* bad: the idle timer is disarmed after the handshake but never deleted */
int bad_disarm_then_return(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
    struct itimerspec its;
    struct itimerspec zero = {0};
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: disarmed-not-released */
        return -1;
    ms_to_its(&its, s->idle_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        s->last_error = errno;
        timer_delete(t);
        return -1;
    }

    fprintf(stderr, "handshake with %s\n", s->peer);

    timer_settime(t, 0, &zero, NULL);
    return 0;
}

/* bad: the shared exit label disarms the timer but forgets timer_delete */
int bad_disarm_in_exit_label(struct session *s, const char *payload)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    struct itimerspec zero = {0};
    int ret = -1;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: disarmed-not-released */
        return -1;

    ms_to_its(&its, s->idle_ms);
    if (timer_settime(t, 0, &its, NULL) != 0)
        goto out;
    if (payload == NULL || strlen(payload) == 0)
        goto out;

    fprintf(stderr, "%s <- %s\n", s->peer, payload);
    ret = 0;
out:
    timer_settime(t, 0, &zero, NULL);
    return ret;
}

/* bad: a same-file helper only disarms the timer, then the caller returns */
int bad_helper_only_disarms(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its, cur;
    timer_t t;

    if (timer_create(CLOCK_REALTIME, &sev, &t) != 0) /* expect: disarmed-not-released */
        return -1;
    ms_to_its(&its, s->idle_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    if (timer_gettime(t, &cur) == 0)
        s->remaining_ms = its_to_ms(&cur);
    pause_timer(t);
    return 0;
}

/* bad: the disarm saves the old value (remaining time) and the timer is kept, unreleased */
long bad_disarm_save_old_value(const struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its, old;
    struct itimerspec zero = {0};
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: disarmed-not-released */
        return -1;
    ms_to_its(&its, s->idle_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    timer_settime(t, 0, &zero, &old);
    return its_to_ms(&old);
}

/* bad: a freshly created timer is "reset" with a zero value instead of deleted on the cancel path */
int bad_disarm_on_cancel(struct session *s, bool cancelled)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    struct itimerspec zero = {0};
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: disarmed-not-released */
        return -1;
    if (cancelled) {
        timer_settime(t, 0, &zero, NULL);
        return 0;
    }
    ms_to_its(&its, s->idle_ms);
    if (timer_settime(t, 0, &its, NULL) != 0)
        s->last_error = errno;
    timer_delete(t);
    return s->last_error ? -1 : 1;
}

/* bad (missing-stop): the {0} value is assigned afterwards, so it arms; the armed timer leaks */
int bad_assigned_value_is_not_disarm(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its = {0};
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: missing-stop */
        return -1;
    its.it_value.tv_sec = s->idle_ms / 1000 + 1;
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    return 0;
}

/* bad (missing-stop): the timer is disarmed, then re-armed, then leaked while armed */
int bad_rearmed_after_disarm(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    struct itimerspec zero = {0};
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: missing-stop */
        return -1;
    timer_settime(t, 0, &zero, NULL);
    ms_to_its(&its, s->idle_ms * 2);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    return 0;
}

/* good: disarmed, then deleted */
int good_disarm_then_delete(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    struct itimerspec zero = {0};
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, s->idle_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    fprintf(stderr, "session %s active\n", s->peer);
    timer_settime(t, 0, &zero, NULL);
    timer_delete(t);
    return 0;
}

/* good: armed with a non-zero value and deleted on every path */
int good_arm_nonzero_then_delete(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its = {
        .it_value = { .tv_sec = 5 },
        .it_interval = { .tv_sec = 5 },
    };
    struct itimerspec cur;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    if (timer_settime(t, 0, &its, NULL) != 0) {
        s->last_error = errno;
        timer_delete(t);
        return -1;
    }
    if (timer_gettime(t, &cur) == 0)
        s->remaining_ms = its_to_ms(&cur);
    timer_delete(t);
    return 0;
}

/* good: a same-file helper disarms and deletes the timer */
int good_helper_disarms_and_deletes(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, s->idle_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        stop_and_destroy(t);
        return -1;
    }
    s->remaining_ms = s->idle_ms;
    stop_and_destroy(t);
    return 0;
}

/* good: the disarmed timer lives in s->idle_timer, reached through a pointer (escape) */
int good_disarm_field_through_pointer(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec zero = {0};

    if (timer_create(CLOCK_MONOTONIC, &sev, &s->idle_timer) != 0)
        return -1;
    /* created idle: make sure nothing is pending until the first packet arrives */
    timer_settime(s->idle_timer, 0, &zero, NULL);
    return 0;
}

/* good: the disarmed timer is handed back to a pool through an extern function (escape) */
int good_disarm_then_pool(struct session *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    struct itimerspec zero = {0};
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, s->idle_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    timer_settime(t, 0, &zero, NULL);
    timer_pool_put(t);
    return 0;
}
