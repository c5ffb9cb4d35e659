/*
 * disarmed-not-released (timerfd): timerfd_settime() with an all-zero
 * it_value (a struct itimerspec initialised {0} and never assigned) disarms
 * the timer; the function then reaches its exit without close(). Reported on
 * the timerfd_create line.
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

struct conn {
    const char *peer;
    int idle_fd;
    int idle_ms;
    int last_error;
};

static void ms_to_its(struct itimerspec *its, int ms)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    its->it_interval.tv_sec = 0;
    its->it_interval.tv_nsec = 0;
}

/* Only disarms its parameter: a disarm at the call, not a release. */
static void cancel_timeout(int fd)
{
    struct itimerspec zero = {0};

    (void)timerfd_settime(fd, 0, &zero, NULL);
}

/* Disarms and closes its parameter on every path: a release at the call. */
static void cancel_and_close(int fd)
{
    struct itimerspec zero = {0};

    (void)timerfd_settime(fd, 0, &zero, NULL);
    close(fd);
}

/* bad: the timeout is cancelled after the reply arrives, but the fd is never closed */
int bad_disarm_then_return(struct conn *c)
{
    struct itimerspec its;
    struct itimerspec zero = {0};
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: disarmed-not-released */
    if (fd < 0)
        return -1;
    ms_to_its(&its, c->idle_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        c->last_error = errno;
        close(fd);
        return -1;
    }
    fprintf(stderr, "reply from %s\n", c->peer);
    timerfd_settime(fd, 0, &zero, NULL);
    return 0;
}

/* bad: a same-file helper only disarms the fd, then the caller returns */
int bad_helper_only_disarms(struct conn *c)
{
    struct itimerspec its;
    int fd;

    if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK)) < 0) /* expect: disarmed-not-released */
        return -1;
    ms_to_its(&its, c->idle_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        close(fd);
        return -1;
    }
    cancel_timeout(fd);
    return 0;
}

/* bad: the shared exit label disarms the timeout but forgets close */
int bad_disarm_in_exit_label(struct conn *c, const char *msg)
{
    struct itimerspec its;
    struct itimerspec zero = {0};
    int ret = -1;
    int fd;

    fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC); /* expect: disarmed-not-released */
    if (fd < 0)
        return -1;
    ms_to_its(&its, c->idle_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        goto out;
    if (msg == NULL)
        goto out;
    fprintf(stderr, "%s -> %s\n", msg, c->peer);
    ret = 0;
out:
    timerfd_settime(fd, 0, &zero, NULL);
    return ret;
}

/* good: disarmed, then closed */
int good_disarm_then_close(struct conn *c)
{
    struct itimerspec its;
    struct itimerspec zero = {0};
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    ms_to_its(&its, c->idle_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        close(fd);
        return -1;
    }
    timerfd_settime(fd, 0, &zero, NULL);
    close(fd);
    return 0;
}

/* good: a same-file helper disarms and closes the fd */
int good_helper_disarms_and_closes(struct conn *c)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    ms_to_its(&its, c->idle_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        c->last_error = errno;
    cancel_and_close(fd);
    return c->last_error ? -1 : 0;
}

/* good: the disarmed fd is returned to the caller for reuse */
int good_disarmed_fd_returned(void)
{
    struct itimerspec zero = {0};
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    timerfd_settime(fd, 0, &zero, NULL);
    return fd;
}
