/*
 * A timerfd given to epoll_ctl() is used, not handed over: epoll drops it
 * when it is closed, and closing it stays the caller's duty. So a timerfd
 * added to an epoll set and then left is still missing-stop, and one
 * closed twice around an epoll_ctl() is use-after-release.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int watch_and_leave(int ep)
{
    struct epoll_event ev = {.events = EPOLLIN};
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */

    if (fd < 0)
        return -1;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
        return -1;
    return 0;
}

int watch_or_close_twice(int ep)
{
    struct epoll_event ev = {.events = EPOLLIN};
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

    if (fd < 0)
        return -1;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        close(fd);
        goto fail;
    }
    close(fd);
    return 0;
fail:
    close(fd); /* expect: use-after-release */
    return -1;
}

int watch_and_keep(int ep, int *out)
{
    struct epoll_event ev = {.events = EPOLLIN};
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

    if (fd < 0)
        return -1;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        close(fd);
        return -1;
    }
    *out = fd;
    return 0;
}
