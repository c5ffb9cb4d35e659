/*
 * missing-stop (timerfd): a timer fd from timerfd_create() is not closed on
 * some path that leaves the function. Reported on the timerfd_create line.
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

enum hb_mode { HB_ONESHOT, HB_PERIODIC };

struct heartbeat {
    const char *name;
    int period_ms;
    unsigned long long beats;
    int last_error;
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

/* Same-file helper that only reads the fd: neither a release nor an escape. */
static int drain_expirations(int fd, unsigned long long *count)
{
    unsigned long long n;

    if (read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
        return -1;
    *count += n;
    return 0;
}

/* bad: the timerfd_settime error path returns without close */
int bad_settime_error_returns(struct heartbeat *hb)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */ /* note[missing-stop]: timer 'fd' created here by timerfd_create() */
    if (fd < 0) /* note[missing-stop]: taking the false branch: 'fd < 0' is false */
        return -errno;
    ms_to_its(&its, hb->period_ms, true);
    if (timerfd_settime(fd, 0, &its, NULL) < 0) { /* note[missing-stop]: taking the true branch: 'timerfd_settime(fd, 0, &its, NULL) < 0' is true */
        hb->last_error = errno;
        perror("timerfd_settime");
        return -1; /* note[missing-stop]: returning here without close() */
    }
    drain_expirations(fd, &hb->beats);
    close(fd);
    return 0;
}

/* bad: the label-name check jumps to out, past the out_close label */
int bad_goto_skips_close(struct heartbeat *hb, char **label)
{
    struct itimerspec its;
    char *buf = NULL;
    int ret = -1;
    int fd;

    fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC); /* expect: missing-stop */
    if (fd < 0) /* note[missing-stop]: taking the false branch: 'fd < 0' is false */
        goto out;
    if (hb->name == NULL) /* note[missing-stop]: taking the true branch: 'hb->name == NULL' is true */
        goto out;

    ms_to_its(&its, hb->period_ms, false);
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        goto out_close;

    buf = malloc(64);
    if (buf == NULL)
        goto out_close;
    snprintf(buf, 64, "hb:%s", hb->name);
    *label = buf;
    ret = 0;

out_close:
    close(fd);
out:
    return ret; /* note[missing-stop]: returning here without close() */
}

/* bad: a short read() returns -1 with the fd still open */
int bad_short_read_returns(struct heartbeat *hb)
{
    struct itimerspec its;
    unsigned long long exp;
    ssize_t n;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */
    if (fd == -1) /* note[missing-stop]: taking the false branch: 'fd == -1' is false */
        return -1;
    ms_to_its(&its, hb->period_ms, false);
    if (timerfd_settime(fd, 0, &its, NULL) == -1) { /* note[missing-stop]: taking the false branch: 'timerfd_settime(fd, 0, &its, NULL) == -1' is false */
        close(fd);
        return -1;
    }
    n = read(fd, &exp, sizeof(exp));
    if (n != (ssize_t)sizeof(exp)) { /* note[missing-stop]: taking the true branch: 'n != (ssize_t)sizeof(exp)' is true */
        hb->last_error = n < 0 ? errno : EIO;
        return -1; /* note[missing-stop]: returning here without close() */
    }
    hb->beats += exp;
    close(fd);
    return 0;
}

/* bad: an unknown mode is rejected in the default case without closing the fd */
int bad_switch_default(struct heartbeat *hb, enum hb_mode mode)
{
    struct itimerspec its;
    int fd;

    if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK)) < 0) /* expect: missing-stop */ /* note[missing-stop]: taking the false branch: '(fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK)) < 0' is false */
        return -1;

    switch (mode) {
    case HB_ONESHOT:
        ms_to_its(&its, hb->period_ms, false);
        break;
    case HB_PERIODIC:
        ms_to_its(&its, hb->period_ms, true);
        break;
    default:
        fprintf(stderr, "%s: bad mode %d\n", hb->name, (int)mode);
        return -EINVAL; /* note[missing-stop]: returning here without close() */
    }
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        hb->last_error = errno;
    close(fd);
    return hb->last_error ? -1 : 0;
}

/* bad: in `(fd = create) < 0 || settime < 0` a failing settime returns with an open fd */
int bad_short_circuit_or(struct heartbeat *hb)
{
    struct itimerspec its;
    int fd;

    ms_to_its(&its, hb->period_ms, true);
    if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)) < 0 || /* expect: missing-stop */ /* note[missing-stop]: taking the false branch: '(fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)) < 0' is false */
        timerfd_settime(fd, 0, &its, NULL) < 0) { /* note[missing-stop]: taking the true branch: 'timerfd_settime(fd, 0, &its, NULL) < 0' is true */
        hb->last_error = errno;
        return -1;
    }
    drain_expirations(fd, &hb->beats);
    close(fd);
    return 0;
}

/* bad: the fd is overwritten by a second timerfd_create while the first is still open */
int bad_overwritten_fd(struct heartbeat *hb, bool need_wallclock)
{
    struct itimerspec its;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */
    if (fd < 0)
        return -1;
    if (need_wallclock) {
        fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC); /* note[missing-stop]: 'fd' overwritten here: the previous timer is lost */
        if (fd < 0)
            return -1;
    }
    ms_to_its(&its, hb->period_ms, false);
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        hb->last_error = errno;
    close(fd);
    return 0;
}

/* bad: the fd is only handed to a same-file helper that reads it, never closed */
unsigned long long bad_helper_only_reads(struct heartbeat *hb)
{
    struct itimerspec its;
    unsigned long long total = 0;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */
    if (fd < 0)
        return 0;
    ms_to_its(&its, hb->period_ms, false);
    if (timerfd_settime(fd, 0, &its, NULL) == 0)
        drain_expirations(fd, &total);
    return total; /* note[missing-stop]: returning here without close() */
}
