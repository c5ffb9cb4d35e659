/*
 * handle-discarded (timerfd): timerfd_create returns the handle, and the
 * value is thrown away (expression statement, (void) cast, or only compared).
 * Reported on the timerfd_create line.
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

#define MAX_TIMERS 8

struct loop;

struct features {
    bool timerfd;
    bool boottime;
    bool alarm;
};

struct timer_set {
    int fds[MAX_TIMERS];
    int count;
    int wake_fd;
};

/* Body not in this file and not in the rules: passing the fd to it is an escape. */
extern int loop_add_timer_fd(struct loop *lp, int fd);

/* bad: a kernel-support probe calls timerfd_create as a plain statement */
bool bad_probe_statement(struct features *f)
{
    errno = 0;
    timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: handle-discarded */ /* note[handle-discarded]: timerfd_create() called here */
    f->timerfd = (errno != ENOSYS);
    return f->timerfd;
}

/* bad: the result is explicitly discarded with a (void) cast */
void bad_void_cast(struct features *f)
{
    if (!f->timerfd)
        return;
    (void)timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK | TFD_CLOEXEC); /* expect: handle-discarded */ /* note[handle-discarded]: timerfd_create() called here */
    f->boottime = true;
}

/* bad: the fd is only compared against 0 in the if condition */
int bad_only_compared_in_if(struct features *f)
{
    if (timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC) < 0) { /* expect: handle-discarded */ /* note[handle-discarded]: timerfd_create() called here */
        fprintf(stderr, "CLOCK_BOOTTIME timerfd unsupported: %s\n", strerror(errno));
        f->boottime = false;
        return -1;
    }
    f->boottime = true;
    return 0;
}

/* bad: `== -1 && errno == EPERM` compares the fd and drops it */
void bad_compared_with_errno(struct features *f)
{
    if (timerfd_create(CLOCK_BOOTTIME_ALARM, TFD_CLOEXEC) == -1 && errno == EPERM) /* expect: handle-discarded */
        f->alarm = false;
    else
        f->alarm = true;
}

/* bad: only the comparison result is kept in a flag */
bool bad_compared_into_flag(struct features *f)
{
    bool ok = (timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC) >= 0); /* expect: handle-discarded */

    f->timerfd = ok;
    if (!ok)
        fprintf(stderr, "timerfd disabled\n");
    return ok;
}

/* good: the fd is returned directly to the caller */
int good_returned_directly(bool nonblock)
{
    return timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | (nonblock ? TFD_NONBLOCK : 0));
}

/* good: the fd is kept, probed and closed */
bool good_probe_keeps_and_closes(struct features *f)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

    if (fd < 0) {
        f->timerfd = false;
        return false;
    }
    f->timerfd = true;
    close(fd);
    return true;
}

/* good: the fd is stored into set->wake_fd, reached through a pointer (escape) */
int good_stored_into_field(struct timer_set *set)
{
    set->wake_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    return set->wake_fd < 0 ? -1 : 0;
}

/* good: the fd is put into an array element (escape) */
int good_stored_into_array(struct timer_set *set)
{
    int fd;

    if (set->count >= MAX_TIMERS)
        return -ENOSPC;
    if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)) < 0)
        return -errno;
    set->fds[set->count++] = fd;
    return 0;
}

/* good: the fd is passed straight to an extern function (escape, not discarded) */
int good_passed_to_extern(struct loop *lp)
{
    return loop_add_timer_fd(lp, timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
}
