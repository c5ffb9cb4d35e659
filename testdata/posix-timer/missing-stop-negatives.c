/*
 * missing-stop (posix-timer), negatives: every function here is correct and
 * must produce no finding. Handles escape (returned, stored through a pointer,
 * *out, global, extern callee), are deleted on every path (directly, through a
 * copy, through a local struct field, through a same-file helper), or the
 * leaking path is impossible (status checks, flag tested twice, exit/abort).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct svc {
    const char *name;
    timer_t watchdog;
    int interval_ms;
    int last_error;
};

struct poller {
    timer_t tick;
    int period_ms;
    long fired;
};

/* Body not in this file and not in the rules: passing a handle to it is an escape. */
extern int evloop_adopt_timer(const char *owner, timer_t t);

static timer_t g_reaper_timer;
static timer_t g_stats_timer;

static void ms_to_its(struct itimerspec *its, int ms)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    its->it_interval = its->it_value;
}

__attribute__((noreturn)) static void die(const char *what)
{
    perror(what);
    exit(EXIT_FAILURE);
}

/* Deletes its parameter on every path. */
static void destroy_timer(timer_t t)
{
    if (timer_delete(t) != 0)
        perror("timer_delete");
}

/* Deletes its parameter only on some paths: the caller's state becomes unknown. */
static void release_if_idle(timer_t t, int pending)
{
    if (pending == 0)
        timer_delete(t);
}

/* good: the handle is the return value, the caller owns it */
timer_t good_handle_returned(int ms)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return (timer_t)0;
    ms_to_its(&its, ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return (timer_t)0;
    }
    return t;
}

/* good: created straight into s->watchdog, a field reached through a pointer parameter */
int good_stored_in_param_struct(struct svc *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1 };
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, &sev, &s->watchdog) != 0) {
        s->last_error = errno;
        return -1;
    }
    ms_to_its(&its, s->interval_ms);
    if (timer_settime(s->watchdog, 0, &its, NULL) != 0) {
        s->last_error = errno;
        return -1;
    }
    return 0;
}

/* good: the local handle is published through the *out parameter */
int good_out_param(int ms, timer_t *out)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -errno;
    ms_to_its(&its, ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        int err = errno;
        timer_delete(t);
        return -err;
    }
    *out = t;
    return 0;
}

/* good: the handle is stored in a global and deleted at shutdown elsewhere */
int good_stored_in_global(int ms)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 2 };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_REALTIME, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    g_stats_timer = t;
    return 0;
}

/* good: the timer is created directly into a global */
int good_created_into_global(void)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGCHLD };

    if (timer_create(CLOCK_MONOTONIC, &sev, &g_reaper_timer) != 0) {
        perror("timer_create");
        return -1;
    }
    return 0;
}

/* good: a same-file helper that deletes on every path releases the timer on both exits */
int good_deleted_in_helper(const struct svc *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, s->interval_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        destroy_timer(t);
        return -1;
    }
    if (timer_getoverrun(t) > 0)
        fprintf(stderr, "%s: overrun\n", s->name);
    destroy_timer(t);
    return 0;
}

/* good: `if (timer_create(...) != 0) return -1;` - no timer exists on that return */
int good_status_check_return(struct svc *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec cur;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    if (timer_gettime(t, &cur) != 0)
        s->last_error = errno;
    timer_delete(t);
    return s->last_error ? -1 : 0;
}

/* good: `ret = timer_create(); if (ret) goto fail;` and fail only frees the buffer */
int good_ret_goto_fail(struct svc *s, char **msg)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    char *buf;
    timer_t t;
    int ret;

    buf = malloc(128);
    if (!buf)
        return -ENOMEM;

    ret = timer_create(CLOCK_MONOTONIC, &sev, &t);
    if (ret)
        goto fail;

    ms_to_its(&its, s->interval_ms);
    ret = timer_settime(t, 0, &its, NULL);
    timer_delete(t);
    if (ret)
        goto fail;

    snprintf(buf, 128, "%s: armed", s->name);
    *msg = buf;
    return 0;

fail:
    s->last_error = errno;
    free(buf);
    return -1;
}

/* good: the same flag guards the creation and the deletion */
int good_flag_tested_twice(const struct svc *s, bool verbose)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    long work = 0;
    timer_t t;

    if (verbose) {
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
            return -1;
        ms_to_its(&its, s->interval_ms);
        timer_settime(t, 0, &its, NULL);
    }

    for (int i = 0; i < s->interval_ms; i++)
        work += i;

    if (verbose) {
        int n = timer_getoverrun(t);
        fprintf(stderr, "%s: work=%ld overruns=%d\n", s->name, work, n);
        timer_delete(t);
    }
    return 0;
}

/* good: the paths that skip the delete end in exit() or abort() */
int good_exit_or_abort_on_error(const struct svc *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
    struct itimerspec its, cur;
    timer_t t;

    if (timer_create(CLOCK_REALTIME, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, s->interval_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        fprintf(stderr, "%s: cannot arm watchdog: %s\n", s->name, strerror(errno));
        exit(EXIT_FAILURE);
    }
    if (timer_gettime(t, &cur) != 0) {
        fprintf(stderr, "%s: watchdog vanished\n", s->name);
        abort();
    }
    timer_delete(t);
    return 0;
}

/* good: the error path calls a same-file __attribute__((noreturn)) function */
int good_noreturn_helper(const struct svc *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        die("timer_create");
    ms_to_its(&its, s->interval_ms);
    if (timer_settime(t, 0, &its, NULL) != 0)
        die("timer_settime");
    timer_delete(t);
    return 0;
}

/* good: the timer lives in a local struct and is deleted through p.tick */
long good_local_struct_field(int period_ms)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct poller p = { .period_ms = period_ms };
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, &sev, &p.tick) != 0)
        return -1;
    ms_to_its(&its, p.period_ms);
    if (timer_settime(p.tick, 0, &its, NULL) == 0)
        p.fired = timer_getoverrun(p.tick);
    timer_delete(p.tick);
    return p.fired;
}

/* good: the handle is copied (t2 = t) and the copy is deleted */
int good_copy_then_delete_copy(const struct svc *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t, active;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    active = t;
    ms_to_its(&its, s->interval_ms);
    if (timer_settime(active, 0, &its, NULL) != 0) {
        timer_delete(active);
        return -1;
    }
    timer_delete(active);
    return 0;
}

/* good: the handle is passed to an extern function without a body (escape) */
int good_passed_to_extern(const struct svc *s)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 3 };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, s->interval_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    return evloop_adopt_timer(s->name, t);
}

/* good: a classic goto cleanup ladder that deletes the timer on every later error */
int good_goto_cleanup_ladder(struct svc *s, char **report)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its, cur;
    char *buf;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        goto err;

    buf = malloc(64);
    if (buf == NULL)
        goto err_delete;

    ms_to_its(&its, s->interval_ms);
    if (timer_settime(t, 0, &its, NULL) != 0)
        goto err_free;
    if (timer_gettime(t, &cur) != 0)
        goto err_free;

    snprintf(buf, 64, "%lds left", (long)cur.it_value.tv_sec);
    timer_delete(t);
    *report = buf;
    return 0;

err_free:
    free(buf);
err_delete:
    timer_delete(t);
err:
    s->last_error = errno;
    return -1;
}

/* good: a helper that deletes only on some paths makes the state unknown */
int good_helper_releases_some_paths(const struct svc *s, int pending)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_its(&its, s->interval_ms);
    timer_settime(t, 0, &its, NULL);
    release_if_idle(t, pending);
    return pending;
}

/* good: `!enabled || create != 0` returns only when no timer was created */
int good_short_circuit_guard(const struct svc *s, bool enabled)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (!enabled || timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return 0;
    ms_to_its(&its, s->interval_ms);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    timer_delete(t);
    return 1;
}
