/*
 * Disarm by value (#12 class 1): timer_settime() disarms when the new
 * it_value is zero, however the code made it zero: memset(), a static
 * const never given a value, `= {0}`, field by field, a same-file helper
 * that fills it, a compound literal. A disarmed timer the function then
 * leaves without timer_delete() is disarmed-not-released; a timer armed
 * with a non-zero value and left is missing-stop. Only it_value decides
 * (POSIX: it_interval is ignored when it_value is zero), and only what
 * the value is on the path to the call: a spec armed first and cleared
 * later disarms at the second call. Where the value cannot be known (a
 * caller's number, a helper without a body here), the call is an arm, as
 * before.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <time.h>

extern void spec_from_config(struct itimerspec *its);

static const struct itimerspec no_time;

static void fill_spec(struct itimerspec *its, long sec)
{
    its->it_value.tv_sec = sec;
    its->it_value.tv_nsec = 0;
    its->it_interval.tv_sec = sec;
    its->it_interval.tv_nsec = 0;
}

static void clear_spec(struct itimerspec *its)
{
    memset(its, 0, sizeof *its);
}

void memset_then_left(void)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: disarmed-not-released */
        return;
    memset(&its, 0, sizeof its);
    timer_settime(t, 0, &its, NULL);
}

void memset_then_deleted(void)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return;
    memset(&its, 0, sizeof its);
    timer_settime(t, 0, &its, NULL);
    timer_delete(t);
}

void static_zero_left(void)
{
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: disarmed-not-released */
        return;
    timer_settime(t, 0, &no_time, NULL);
}

void fields_zero_left(void)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: disarmed-not-released */
        return;
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 0;
    timer_settime(t, 0, &its, NULL);
}

void helper_zero_left(void)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: disarmed-not-released */
        return;
    fill_spec(&its, 0);
    timer_settime(t, 0, &its, NULL);
}

void helper_clear_left(void)
{
    timer_t t;
    struct itimerspec its = {{1, 0}, {1, 0}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: disarmed-not-released */
        return;
    clear_spec(&its);
    timer_settime(t, 0, &its, NULL);
}

void helper_armed_left(void)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: missing-stop */
        return;
    fill_spec(&its, 5);
    timer_settime(t, 0, &its, NULL);
}

void armed_then_cleared_left(void)
{
    timer_t t;
    struct itimerspec its = {{0, 0}, {0, 500000000}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: disarmed-not-released */
        return;
    its.it_value.tv_nsec = 500000000;
    timer_settime(t, 0, &its, NULL);
    its.it_value.tv_nsec = 0;
    timer_settime(t, 0, &its, NULL);
}

void interval_only_left(void)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: disarmed-not-released */
        return;
    memset(&its, 0, sizeof its);
    its.it_interval.tv_sec = 1;
    timer_settime(t, 0, &its, NULL);
}

void compound_zero_deleted(void)
{
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return;
    timer_settime(t, 0, &(struct itimerspec){0}, NULL);
    timer_delete(t);
}

void caller_value_left(long sec)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: missing-stop */
        return;
    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = sec;
    timer_settime(t, 0, &its, NULL);
}

void unknown_helper_left(void)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: missing-stop */
        return;
    memset(&its, 0, sizeof its);
    spec_from_config(&its);
    timer_settime(t, 0, &its, NULL);
}

void one_branch_zero_left(int stop)
{
    timer_t t;
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: missing-stop */
        return;
    memset(&its, 0, sizeof its);
    if (!stop)
        its.it_value.tv_sec = 2;
    timer_settime(t, 0, &its, NULL);
}
