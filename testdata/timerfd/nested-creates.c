/*
 * Creates nested in expressions (#12 class 3): a create whose result goes
 * straight into another call. Given to a call that only arms or uses it
 * (timerfd_settime, a read), nothing keeps the descriptor: handle-discarded
 * at the create. Given to a release (close), it is created and closed:
 * nothing is left. Given to code with no body here, or stored by it, it
 * may be kept: no finding. A create thrown away inside a conditional or a
 * comma expression is discarded as a statement's would be.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

extern int loop_watch_fd(int fd, void (*cb)(int fd));

static int saved_fd = -1;

static void on_tick(int fd)
{
    uint64_t n;

    if (read(fd, &n, sizeof n) < 0)
        return;
}

static int keep(int fd)
{
    saved_fd = fd;
    return fd;
}

void arm_unnamed(void)
{
    struct itimerspec its = {{1, 0}, {1, 0}};

    timerfd_settime(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC), 0, &its, NULL); /* expect: handle-discarded */
}

void close_unnamed(void)
{
    close(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
}

int watch_unnamed(void)
{
    return loop_watch_fd(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC), on_tick);
}

int keep_unnamed(void)
{
    return keep(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
}

void probe_in_conditional(int want)
{
    want ? (void)timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) : (void)0; /* expect: handle-discarded */
}

int probe_in_comma(void)
{
    int ok = (timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC), 1); /* expect: handle-discarded */

    return ok;
}
