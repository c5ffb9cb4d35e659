/*
 * missing-stop (timerfd), negatives: every function here is correct and must
 * produce no finding (status checks of the returned fd, fd returned or
 * escaped, closed on every path, exit paths, flag tested twice).
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

struct reactor;

struct ticker {
    const char *name;
    int tfd;
    int period_ms;
    unsigned long long ticks;
};

/* Body not in this file and not in the rules: passing the fd to it is an escape. */
extern int reactor_watch_fd(struct reactor *r, int fd, void (*cb)(int fd, void *arg), void *arg);

static void on_tick(int fd, void *arg)
{
    (void)fd;
    (void)arg;
}

static void ms_to_its(struct itimerspec *its, int ms)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    its->it_interval = its->it_value;
}

/* good: `if ((fd = timerfd_create(...)) < 0) return -1;` - no fd on that return */
int good_assign_in_condition(struct ticker *tk)
{
    struct itimerspec its;
    int fd;

    if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)) < 0)
        return -1;
    ms_to_its(&its, tk->period_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* good: `int fd = timerfd_create(...); if (fd == -1) return;` in a void function */
void good_eq_minus_one_void(struct ticker *tk)
{
    struct itimerspec its;
    unsigned long long exp;
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);

    if (fd == -1)
        return;
    ms_to_its(&its, tk->period_ms);
    if (timerfd_settime(fd, 0, &its, NULL) == 0 &&
        read(fd, &exp, sizeof(exp)) == (ssize_t)sizeof(exp))
        tk->ticks += exp;
    close(fd);
}

/* good: the armed fd is returned to the caller */
int good_returned_fd(int period_ms)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    ms_to_its(&its, period_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

/* good: a goto ladder closes the fd on every later error and on success */
int good_close_every_path(struct ticker *tk, char **desc)
{
    struct itimerspec its, cur;
    char *buf;
    int fd;

    fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC);
    if (fd < 0)
        goto err;
    buf = malloc(48);
    if (!buf)
        goto err_close;
    ms_to_its(&its, tk->period_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        goto err_free;
    if (timerfd_gettime(fd, &cur) < 0)
        goto err_free;
    snprintf(buf, 48, "%s: %lds", tk->name, (long)cur.it_value.tv_sec);
    close(fd);
    *desc = buf;
    return 0;

err_free:
    free(buf);
err_close:
    close(fd);
err:
    return -1;
}

/* good: the fd is stored into tk->tfd, a field reached through a pointer parameter */
int good_stored_in_param_struct(struct ticker *tk)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    tk->tfd = fd;
    ms_to_its(&its, tk->period_ms);
    if (timerfd_settime(tk->tfd, 0, &its, NULL) < 0)
        return -1;
    return 0;
}

/* good: the fd is registered with an extern reactor (escape) */
int good_passed_to_extern(struct reactor *r, struct ticker *tk)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    ms_to_its(&its, tk->period_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        close(fd);
        return -1;
    }
    return reactor_watch_fd(r, fd, on_tick, tk);
}

/* good: the only path that skips the close ends in exit() */
int good_exit_on_failure(struct ticker *tk)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (fd < 0)
        return -1;
    ms_to_its(&its, tk->period_ms);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) {
        fprintf(stderr, "%s: fatal: %s\n", tk->name, strerror(errno));
        exit(EXIT_FAILURE);
    }
    close(fd);
    return 0;
}

/* good: the same flag guards creation and close */
int good_flag_tested_twice(struct ticker *tk, bool with_deadline)
{
    struct itimerspec its;
    int fd = -1;

    if (with_deadline) {
        fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        if (fd < 0)
            return -1;
        ms_to_its(&its, tk->period_ms * 4);
        timerfd_settime(fd, 0, &its, NULL);
    }

    for (int i = 0; i < tk->period_ms; i++)
        tk->ticks++;

    if (with_deadline)
        close(fd);
    return 0;
}
