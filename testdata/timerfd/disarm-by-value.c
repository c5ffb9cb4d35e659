/*
 * Disarm by value for timerfd (#12 class 1): timerfd_settime() with a zero
 * it_value disarms, however it became zero. A disarmed descriptor left
 * open is disarmed-not-released; one left armed is missing-stop; closed,
 * neither.
 */
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct pacer {
    int fd;
    long period_ms;
};

static void spec_ms(struct itimerspec *its, long ms)
{
    memset(its, 0, sizeof *its);
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (ms % 1000) * 1000000;
}

int pause_and_leak(void)
{
    struct itimerspec its;
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: disarmed-not-released */

    if (fd < 0)
        return -1;
    memset(&its, 0, sizeof its);
    timerfd_settime(fd, 0, &its, NULL);
    return 0;
}

int pause_and_close(void)
{
    struct itimerspec its;
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

    if (fd < 0)
        return -1;
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 0;
    timerfd_settime(fd, 0, &its, NULL);
    close(fd);
    return 0;
}

int start_and_leak(long ms)
{
    struct itimerspec its;
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */

    if (fd < 0)
        return -1;
    spec_ms(&its, ms);
    timerfd_settime(fd, 0, &its, NULL);
    return 0;
}

int start_one_second_and_leak(void)
{
    struct itimerspec its;
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */

    if (fd < 0)
        return -1;
    spec_ms(&its, 1000);
    timerfd_settime(fd, 0, &its, NULL);
    return 0;
}
