/* close(), read() and epoll_ctl() take any file descriptor: they act on a
 * timerfd only where one is followed. A descriptor of unknown origin (a
 * parameter, a field nothing in this file puts a timerfd into) closed
 * twice or read after close is a socket's or a pipe's business, not a
 * timer's: no finding. The same calls on a descriptor that a timerfd call
 * names in the function, or on a field this file creates a timerfd into,
 * are the timer's lifecycle. */
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

struct peer {
    int sock;
    char buf[128];
};

/* good: no timerfd here; a socket closed twice is out of scope */
void peer_drop(struct peer *p)
{
    close(p->sock);
    if (p->buf[0])
        close(p->sock);
}

/* good: a pipe's end read after close: not a timer */
ssize_t drain_after_close(int fd, char *buf, size_t n)
{
    close(fd);
    return read(fd, buf, n);
}

struct ticker {
    int tfd;
    int epfd;
    uint64_t fired;
};

int ticker_open(struct ticker *t, int ms)
{
    struct itimerspec its = {{0, 0}, {ms / 1000, (ms % 1000) * 1000000L}};
    t->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    if (t->tfd < 0)
        return -1;
    if (timerfd_settime(t->tfd, 0, &its, NULL) < 0) {
        close(t->tfd);
        return -1;
    }
    return 0;
}

/* bad: this file keeps a timerfd in t->tfd: reading it after the close */
void ticker_close(struct ticker *t)
{
    close(t->tfd);
    read(t->tfd, &t->fired, sizeof t->fired); /* expect: use-after-release */
}

/* bad: the descriptor is a timer here (timerfd_settime names it) */
void rearm_and_close(int fd, const struct itimerspec *its)
{
    timerfd_settime(fd, 0, its, NULL);
    close(fd);
    close(fd); /* expect: use-after-release */
}

/* good: the epoll set's descriptor is no timer, the ticker's is closed once */
void ticker_shutdown(struct ticker *t)
{
    epoll_ctl(t->epfd, EPOLL_CTL_DEL, t->tfd, NULL);
    close(t->tfd);
    close(t->epfd);
    close(t->epfd);
}
