/*
 * created-in-loop (posix-timer): a timer created in a loop body that is still
 * alive (not deleted, not escaped) when the iteration ends (back edge or
 * continue). Reported on the timer_create line inside the loop. A timer that
 * leaks only by break-ing out of the loop is missing-stop instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_JOBS 16

struct job {
    const char *name;
    int timeout_ms;
    bool enabled;
};

struct scheduler {
    struct job jobs[MAX_JOBS];
    timer_t timers[MAX_JOBS];
    int njobs;
    int failures;
};

static void ms_to_its(struct itimerspec *its, int ms)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    its->it_interval.tv_sec = 0;
    its->it_interval.tv_nsec = 0;
}

/* bad: a timer is created for every job in the for loop and never deleted */
int bad_for_body_never_deletes(struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
    struct itimerspec its;
    timer_t t;

    for (int i = 0; i < sch->njobs; i++) {
        if (!sch->jobs[i].enabled)
            continue;
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) { /* expect: created-in-loop */
            sch->failures++;
            continue;
        }
        ms_to_its(&its, sch->jobs[i].timeout_ms);
        if (timer_settime(t, 0, &its, NULL) != 0)
            sch->failures++;
    }
    return sch->failures ? -1 : 0;
}

/* bad: the continue taken when arming fails skips the delete at the end of the body */
int bad_continue_skips_delete(struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its, cur;
    timer_t t;

    for (int i = 0; i < sch->njobs; i++) {
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) { /* expect: created-in-loop */
            sch->failures++;
            continue;
        }
        ms_to_its(&its, sch->jobs[i].timeout_ms);
        if (timer_settime(t, 0, &its, NULL) != 0) {
            fprintf(stderr, "%s: arm failed: %s\n", sch->jobs[i].name, strerror(errno));
            sch->failures++;
            continue;
        }
        if (timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec > 60)
            fprintf(stderr, "%s: long timeout\n", sch->jobs[i].name);
        timer_delete(t);
    }
    return 0;
}

/* bad: the while loop deletes the timer only on its error branch */
int bad_while_delete_only_on_error(struct scheduler *sch, int rounds)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    int armed = 0;
    timer_t t;

    ms_to_its(&its, 250);
    while (rounds-- > 0) {
        if (timer_create(CLOCK_REALTIME, &sev, &t) != 0) /* expect: created-in-loop */
            return -1;
        if (timer_settime(t, 0, &its, NULL) != 0) {
            sch->failures++;
            timer_delete(t);
            return -1;
        }
        armed++;
    }
    return armed;
}

/* bad: the do/while polling loop creates a fresh timer on each pass */
int bad_do_while_poll(struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its, cur;
    int pending;
    timer_t t;

    ms_to_its(&its, 100);
    do {
        pending = 0;
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: created-in-loop */
            return -1;
        timer_settime(t, 0, &its, NULL);
        for (int i = 0; i < sch->njobs; i++)
            if (sch->jobs[i].enabled)
                pending++;
        if (timer_gettime(t, &cur) != 0)
            sch->failures++;
    } while (pending > 0 && sch->failures < 3);
    return pending;
}

/* bad: a failed attempt goes round the inner retry loop with its timer alive; only the last is deleted */
int bad_nested_retry_loop(struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    for (int i = 0; i < sch->njobs; i++) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: created-in-loop */
                return -1;
            ms_to_its(&its, sch->jobs[i].timeout_ms << attempt);
            if (timer_settime(t, 0, &its, NULL) == 0)
                break;
        }
        timer_delete(t);
    }
    return 0;
}

/* bad (missing-stop, not created-in-loop): the timer leaks only by break-ing out */
int bad_break_is_missing_stop(struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    int done = 0;
    timer_t t;

    for (int i = 0; i < sch->njobs; i++) {
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: missing-stop */
            return -1;
        ms_to_its(&its, sch->jobs[i].timeout_ms);
        if (timer_settime(t, 0, &its, NULL) != 0) {
            sch->failures++;
            break;
        }
        done++;
        timer_delete(t);
    }
    return done;
}

/* good: the timer is deleted at the end of each iteration, also before continue */
int good_delete_each_iteration(struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    for (int i = 0; i < sch->njobs; i++) {
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) {
            sch->failures++;
            continue;
        }
        ms_to_its(&its, sch->jobs[i].timeout_ms);
        if (timer_settime(t, 0, &its, NULL) != 0) {
            sch->failures++;
            timer_delete(t);
            continue;
        }
        if (timer_getoverrun(t) > 0)
            sch->failures++;
        timer_delete(t);
    }
    return sch->failures;
}

/* good: timers are kept in a local array and all deleted after the loop */
int good_array_deleted_after_loop(const struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t timers[MAX_JOBS];
    int n = 0, overruns = 0;

    for (int i = 0; i < sch->njobs && i < MAX_JOBS; i++) {
        if (timer_create(CLOCK_MONOTONIC, &sev, &timers[n]) != 0)
            break;
        ms_to_its(&its, sch->jobs[i].timeout_ms);
        timer_settime(timers[n], 0, &its, NULL);
        n++;
    }

    for (int i = 0; i < n; i++) {
        overruns += timer_getoverrun(timers[i]);
        timer_delete(timers[i]);
    }
    return overruns;
}

/* good: one timer created before the loop, re-armed inside, deleted after */
int good_create_before_loop(struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    for (int i = 0; i < sch->njobs; i++) {
        ms_to_its(&its, sch->jobs[i].timeout_ms);
        if (timer_settime(t, 0, &its, NULL) != 0)
            sch->failures++;
    }
    timer_delete(t);
    return sch->failures;
}

/* good: each timer is stored into sch->timers[i], reached through a pointer (escape) */
int good_stored_into_scheduler(struct scheduler *sch)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 4 };
    struct itimerspec its;
    timer_t t;

    for (int i = 0; i < sch->njobs; i++) {
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
            return -1;
        ms_to_its(&its, sch->jobs[i].timeout_ms);
        timer_settime(t, 0, &its, NULL);
        sch->timers[i] = t;
    }
    return 0;
}

/* good: the first clock that works is handed out through *out from inside the loop */
int good_first_working_clock(timer_t *out)
{
    static const clockid_t clocks[] = { CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_REALTIME };
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    timer_t t;

    for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        if (timer_create(clocks[i], &sev, &t) == 0) {
            *out = t;
            return 0;
        }
    }
    return -1;
}
