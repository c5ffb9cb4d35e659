/*
 * created-in-loop (timerfd): a timer fd created in a loop body that is still
 * open (not closed, not escaped) when the iteration ends. Reported on the
 * timerfd_create line inside the loop. A leak only by break is missing-stop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_TASKS 32

struct task {
    const char *name;
    int delay_ms;
    bool periodic;
};

struct task_table {
    struct task tasks[MAX_TASKS];
    int fds[MAX_TASKS];
    int ntasks;
    int errors;
};

static void ms_to_its(struct itimerspec *its, int ms, bool periodic)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    if (periodic)
        its->it_interval = its->it_value;
    else
        its->it_interval.tv_sec = its->it_interval.tv_nsec = 0;
}

/* bad: a timerfd is opened for each task and never closed */
int bad_for_body_never_closes(struct task_table *tt)
{
    struct itimerspec its;

    for (int i = 0; i < tt->ntasks; i++) {
        int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: created-in-loop */
        if (fd < 0) {
            tt->errors++;
            continue;
        }
        ms_to_its(&its, tt->tasks[i].delay_ms, tt->tasks[i].periodic);
        if (timerfd_settime(fd, 0, &its, NULL) < 0)
            tt->errors++;
    }
    return tt->errors ? -1 : 0;
}

/* bad: the continue taken on a short read skips the close at the end of the body */
int bad_continue_skips_close(struct task_table *tt)
{
    struct itimerspec its;
    unsigned long long exp;
    int fd;

    for (int i = 0; i < tt->ntasks; i++) {
        if ((fd = timerfd_create(CLOCK_MONOTONIC, 0)) < 0) /* expect: created-in-loop */
            continue;
        ms_to_its(&its, tt->tasks[i].delay_ms, false);
        if (timerfd_settime(fd, 0, &its, NULL) < 0) {
            close(fd);
            continue;
        }
        if (read(fd, &exp, sizeof(exp)) != (ssize_t)sizeof(exp)) {
            fprintf(stderr, "%s: short read\n", tt->tasks[i].name);
            tt->errors++;
            continue;
        }
        close(fd);
    }
    return tt->errors;
}

/* bad: the while loop closes the fd only on its error branch */
int bad_while_close_only_on_error(struct task_table *tt, int rounds)
{
    struct itimerspec its;
    int armed = 0;

    ms_to_its(&its, 500, false);
    while (rounds-- > 0) {
        int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK); /* expect: created-in-loop */
        if (fd < 0)
            return -1;
        if (timerfd_settime(fd, 0, &its, NULL) < 0) {
            tt->errors++;
            close(fd);
            return -1;
        }
        armed++;
    }
    return armed;
}

/* bad (missing-stop, not created-in-loop): the fd leaks only by break-ing out */
int bad_break_is_missing_stop(struct task_table *tt)
{
    struct itimerspec its;
    int done = 0;

    for (int i = 0; i < tt->ntasks; i++) {
        int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */
        if (fd < 0)
            return -1;
        ms_to_its(&its, tt->tasks[i].delay_ms, false);
        if (timerfd_settime(fd, 0, &its, NULL) < 0) {
            tt->errors++;
            break;
        }
        done++;
        close(fd);
    }
    return done;
}

/* good: the fd is closed at the end of each iteration, also before continue */
int good_close_each_iteration(struct task_table *tt)
{
    struct itimerspec its;
    unsigned long long exp;

    for (int i = 0; i < tt->ntasks; i++) {
        int fd = timerfd_create(CLOCK_MONOTONIC, 0);
        if (fd < 0) {
            tt->errors++;
            continue;
        }
        ms_to_its(&its, tt->tasks[i].delay_ms, false);
        if (timerfd_settime(fd, 0, &its, NULL) < 0) {
            tt->errors++;
            close(fd);
            continue;
        }
        if (read(fd, &exp, sizeof(exp)) != (ssize_t)sizeof(exp))
            tt->errors++;
        close(fd);
    }
    return tt->errors;
}

/* good: the fds are kept in a local array and all closed after the loop */
int good_array_closed_after_loop(const struct task_table *tt)
{
    struct itimerspec its;
    int fds[MAX_TASKS];
    int n = 0;

    for (int i = 0; i < tt->ntasks && i < MAX_TASKS; i++) {
        fds[n] = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        if (fds[n] < 0)
            break;
        ms_to_its(&its, tt->tasks[i].delay_ms, tt->tasks[i].periodic);
        timerfd_settime(fds[n], 0, &its, NULL);
        n++;
    }

    for (int i = 0; i < n; i++)
        close(fds[i]);
    return n;
}

/* good: one fd created before the loop, re-armed in it, closed after */
int good_create_before_loop(struct task_table *tt)
{
    struct itimerspec its;
    unsigned long long exp;
    int fd;

    if ((fd = timerfd_create(CLOCK_MONOTONIC, 0)) < 0)
        return -1;
    for (int i = 0; i < tt->ntasks; i++) {
        ms_to_its(&its, tt->tasks[i].delay_ms, false);
        if (timerfd_settime(fd, 0, &its, NULL) < 0 ||
            read(fd, &exp, sizeof(exp)) != (ssize_t)sizeof(exp))
            tt->errors++;
    }
    close(fd);
    return tt->errors;
}

/* good: each fd is stored into tt->fds[i], reached through a pointer (escape) */
int good_stored_into_table(struct task_table *tt)
{
    struct itimerspec its;
    int fd;

    for (int i = 0; i < tt->ntasks; i++) {
        fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (fd < 0)
            return -1;
        ms_to_its(&its, tt->tasks[i].delay_ms, tt->tasks[i].periodic);
        timerfd_settime(fd, 0, &its, NULL);
        tt->fds[i] = fd;
    }
    return 0;
}
