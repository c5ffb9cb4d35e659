/*
 * use-after-release (timerfd): read/timerfd_settime/timerfd_gettime/close on
 * a timer fd that was already closed on that path. Reported on the offending
 * call.
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

struct poller {
    const char *name;
    int interval_ms;
    unsigned long long expirations;
    int last_error;
};

static void ms_to_its(struct itimerspec *its, int ms)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    its->it_interval = its->it_value;
}

/* Closes its parameter on every path. */
static void shutdown_timerfd(const char *who, int fd)
{
    if (close(fd) < 0)
        fprintf(stderr, "%s: close: %s\n", who, strerror(errno));
}

/* bad: the error branch closes the fd and the common exit closes it again */
int bad_double_close_error_path(struct poller *p)
{
    struct itimerspec its;
    int ret = 0;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    ms_to_its(&its, p->interval_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        p->last_error = errno;
        close(fd);
        ret = -1;
        goto out;
    }
    p->expirations = 0;
out:
    close(fd); /* expect: use-after-release */
    return ret;
}

/* bad: straight-line double close during teardown */
void bad_double_close_straight(struct poller *p)
{
    unsigned long long exp;
    int fd;

    if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK)) < 0)
        return;
    if (read(fd, &exp, sizeof(exp)) == (ssize_t)sizeof(exp))
        p->expirations += exp;
    close(fd);
    fprintf(stderr, "%s: poller stopped\n", p->name);
    close(fd); /* expect: use-after-release */
}

/* bad: pending expirations are read after the fd was closed */
int bad_read_after_close(struct poller *p)
{
    struct itimerspec its;
    unsigned long long exp = 0;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    if (fd < 0)
        return -1;
    ms_to_its(&its, p->interval_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        close(fd);
        return -1;
    }
    close(fd);
    if (read(fd, &exp, sizeof(exp)) > 0) /* expect: use-after-release */
        p->expirations += exp;
    return 0;
}

/* bad: the over-limit branch closes the fd and then tries to re-arm it */
int bad_settime_after_close(struct poller *p, unsigned long long limit)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (p->expirations > limit) {
        close(fd);
        p->expirations = 0;
        ms_to_its(&its, p->interval_ms);
        if (timerfd_settime(fd, 0, &its, NULL) < 0) /* expect: use-after-release */
            p->last_error = errno;
        return 1;
    }
    close(fd);
    return 0;
}

/* bad: a same-file helper closes the fd, then the caller queries it */
long bad_gettime_after_helper_close(struct poller *p)
{
    struct itimerspec its, cur;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (fd < 0)
        return -1;
    ms_to_its(&its, p->interval_ms);
    timerfd_settime(fd, 0, &its, NULL);
    shutdown_timerfd(p->name, fd);
    if (timerfd_gettime(fd, &cur) < 0) /* expect: use-after-release */
        return -1;
    return cur.it_value.tv_sec;
}

/* good: closed, re-created into the same variable, then used and closed */
int good_recreate_after_close(struct poller *p)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    close(fd);

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    ms_to_its(&its, p->interval_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        p->last_error = errno;
    close(fd);
    return 0;
}

/* good: closed on one branch, read (and then closed) on the other */
int good_close_one_branch_use_other(struct poller *p, bool cancel)
{
    unsigned long long exp;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    if (fd < 0)
        return -1;
    if (cancel) {
        close(fd);
        return 0;
    }
    if (read(fd, &exp, sizeof(exp)) == (ssize_t)sizeof(exp))
        p->expirations += exp;
    close(fd);
    return 1;
}

/* good: each iteration creates, reads and closes its own fd */
int good_create_use_close_per_iteration(struct poller *p, int rounds)
{
    struct itimerspec its;
    unsigned long long exp;
    int fd;

    ms_to_its(&its, p->interval_ms);
    for (int i = 0; i < rounds; i++) {
        fd = timerfd_create(CLOCK_MONOTONIC, 0);
        if (fd < 0)
            return -1;
        if (timerfd_settime(fd, 0, &its, NULL) == 0 &&
            read(fd, &exp, sizeof(exp)) == (ssize_t)sizeof(exp))
            p->expirations += exp;
        close(fd);
    }
    return 0;
}
