/*
 * timerfd_sched.c - single-threaded job scheduler driven by timerfds and
 * epoll.  Each scheduled job owns one timerfd registered with the
 * scheduler's epoll instance; sched_run() dispatches expirations.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define SCHED_MAX_ENTRIES 64
#define SCHED_MAX_EVENTS  16

typedef void (*sched_cb)(void *arg, uint64_t expirations);

struct sched_entry {
    int fd;
    sched_cb cb;
    void *arg;
    int periodic;
};

struct sched {
    int epfd;
    clockid_t clock;
    size_t n;
    struct sched_entry entries[SCHED_MAX_ENTRIES];
    volatile int stop;
};

/* Background counter used to estimate how many expirations the dispatch
 * loop would miss under load. */
struct tick_probe {
    int tfd;
    pthread_t thread;
    volatile int running;
    uint64_t ticks;
};

static void ns_to_timespec(long long ns, struct timespec *ts)
{
    ts->tv_sec = (time_t)(ns / 1000000000LL);
    ts->tv_nsec = (long)(ns % 1000000000LL);
}

static long long timespec_diff_ns(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

static clockid_t sched_pick_clock(void)
{
    /* CLOCK_BOOTTIME keeps counting across suspend; older kernels reject it. */
    if (timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC) < 0) /* expect: handle-discarded */
        return CLOCK_MONOTONIC;
    return CLOCK_BOOTTIME;
}

int sched_init(struct sched *s)
{
    memset(s, 0, sizeof *s);
    s->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (s->epfd < 0)
        return -1;
    s->clock = sched_pick_clock();
    return 0;
}

/* Takes ownership of fd (which may be a failed create result). */
static int sched_adopt(struct sched *s, int fd, sched_cb cb, void *arg, int periodic)
{
    struct sched_entry *e;
    struct epoll_event ev;

    if (fd < 0)
        return -1;
    if (s->n == SCHED_MAX_ENTRIES) {
        close(fd);
        return -1;
    }
    e = &s->entries[s->n];
    e->fd = fd;
    e->cb = cb;
    e->arg = arg;
    e->periodic = periodic;

    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.ptr = e;
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        close(fd);
        e->fd = -1;
        return -1;
    }
    s->n++;
    return (int)(s->n - 1);
}

int sched_add_oneshot(struct sched *s, long long delay_ns, sched_cb cb, void *arg)
{
    struct itimerspec its = { { 0, 0 }, { 0, 0 } };
    int idx;

    idx = sched_adopt(s, timerfd_create(s->clock, TFD_NONBLOCK | TFD_CLOEXEC), cb, arg, 0);
    if (idx < 0)
        return -1;
    ns_to_timespec(delay_ns, &its.it_value);
    if (timerfd_settime(s->entries[idx].fd, 0, &its, NULL) < 0)
        return -1;
    return idx;
}

int sched_add_periodic(struct sched *s, long long period_ns, sched_cb cb, void *arg)
{
    struct itimerspec its;
    struct epoll_event ev;
    struct sched_entry *e;
    int fd, rc = -1;

    if (s->n == SCHED_MAX_ENTRIES)
        return -1;
    fd = timerfd_create(s->clock, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0)
        return -1;

    ns_to_timespec(period_ns, &its.it_value);
    its.it_interval = its.it_value;
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        goto out;

    e = &s->entries[s->n];
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.ptr = e;
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
        goto out;

    e->fd = fd;
    e->cb = cb;
    e->arg = arg;
    e->periodic = 1;
    s->n++;
    fd = -1;
    rc = (int)(s->n - 1);
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

static void *tick_probe_main(void *arg)
{
    struct tick_probe *p = arg;
    uint64_t n;

    while (p->running) {
        if (read(p->tfd, &n, sizeof n) == (ssize_t)sizeof n)
            p->ticks += n;
    }
    return NULL;
}

/* Starts a background thread counting expirations of a period_ns timer;
 * sched_calibrate_finish() stops it and returns the count. */
int sched_calibrate_start(struct sched *s, struct tick_probe *p, long long period_ns)
{
    struct itimerspec its;
    int fd, rc = -1;

    fd = timerfd_create(s->clock, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    ns_to_timespec(period_ns, &its.it_value);
    its.it_interval = its.it_value;
    if (timerfd_settime(fd, 0, &its, NULL) < 0)
        goto out;

    p->tfd = fd;
    p->ticks = 0;
    p->running = 1;
    if (pthread_create(&p->thread, NULL, tick_probe_main, p) != 0) {
        p->running = 0;
        goto out;
    }
    rc = 0;
out:
    close(fd); /* expect: stop-too-late */
    return rc;
}

uint64_t sched_calibrate_finish(struct tick_probe *p)
{
    p->running = 0;
    pthread_join(p->thread, NULL);
    return p->ticks;
}

/* Measures the worst wake-up latency of a 1 ms one-shot over several rounds. */
long long sched_measure_jitter(struct sched *s, int rounds)
{
    long long worst = 0, late;
    int i;

    for (i = 0; i < rounds; i++) {
        struct itimerspec its = { { 0, 0 }, { 0, 1000000L } };
        struct timespec t0, t1;
        uint64_t n;
        int fd;

        fd = timerfd_create(s->clock, TFD_CLOEXEC); /* expect: missing-stop */
        if (fd < 0)
            return -1;
        clock_gettime(s->clock, &t0);
        if (timerfd_settime(fd, 0, &its, NULL) < 0)
            goto fail;
        if (read(fd, &n, sizeof n) != (ssize_t)sizeof n) {
            close(fd);
            goto fail;
        }
        clock_gettime(s->clock, &t1);
        close(fd);

        late = timespec_diff_ns(&t0, &t1) - 1000000LL;
        if (late > worst)
            worst = late;
    }
    return worst;
fail:
    fprintf(stderr, "sched: jitter probe failed: %s\n", strerror(errno));
    return -1;
}

int sched_run(struct sched *s)
{
    struct epoll_event evs[SCHED_MAX_EVENTS];
    int i, n;

    while (!s->stop) {
        n = epoll_wait(s->epfd, evs, SCHED_MAX_EVENTS, 1000);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (i = 0; i < n; i++) {
            struct sched_entry *e = evs[i].data.ptr;
            uint64_t exp;

            if (read(e->fd, &exp, sizeof exp) != (ssize_t)sizeof exp)
                continue;
            e->cb(e->arg, exp);
        }
    }
    return 0;
}

void sched_destroy(struct sched *s)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (s->entries[i].fd >= 0)
            close(s->entries[i].fd);
    }
    s->n = 0;
    close(s->epfd);
}
