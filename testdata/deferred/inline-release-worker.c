/*
 * stop-too-late with a plain release call: timer_delete/close of a handle
 * while a worker that was started with it (through &t, t itself, a struct
 * pointer, or a C11 thread argument) may still be running. Reported on the
 * release call. When the thread handle has gone to code whose body is not in
 * this file before the release, that code may have joined it: no finding.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

extern int configure(void);
extern void handle_tick(int overrun);
extern void stop_workers(void);
extern int worker_registry_add(pthread_t th);

struct session {
    timer_t timer;
    int fd;
};

struct pool {
    pthread_t worker;
    int running;
};

static pthread_t g_worker;

/* Ends after one look at the timer it was given by address. */
static void *ticker_once(void *arg)
{
    timer_t *t = arg;

    handle_tick(timer_getoverrun(*t));
    return NULL;
}

/* Ends after one look at the timer it was given by value (timer_t is a pointer type). */
static void *ticker_by_value(void *arg)
{
    timer_t t = arg;

    handle_tick(timer_getoverrun(t));
    return NULL;
}

/* Never ends: polls the timer and sleeps, forever. */
static void *ticker_forever(void *arg)
{
    timer_t *t = arg;

    for (;;) {
        handle_tick(timer_getoverrun(*t));
        pause();
    }
}

/* Ends after one round on the session's handles. */
static void *session_once(void *arg)
{
    struct session *s = arg;
    unsigned long long n;

    handle_tick(timer_getoverrun(s->timer));
    if (read(s->fd, &n, sizeof n) == sizeof n)
        handle_tick((int)n);
    return NULL;
}

/* C11 start routine: one read of the timerfd. */
static int tfd_read_once(void *arg)
{
    int *fd = arg;
    unsigned long long n;

    return read(*fd, &n, sizeof n) == sizeof n ? 0 : 1;
}

/* bad: deleted first, joined after */
int bad_delete_then_join(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    configure();
    timer_delete(t); /* expect: stop-too-late */
    pthread_join(th, NULL);
    return 0;
}

/* bad: the worker got the timer by value; it is deleted while the worker runs */
int bad_by_value_delete_then_join(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_by_value, t) != 0) {
        timer_delete(t);
        return -1;
    }
    timer_delete(t); /* expect: stop-too-late */
    pthread_join(th, NULL);
    return 0;
}

/* bad: the worker got s; s->timer and s->fd are released before it is joined */
int bad_struct_fields_released_while_running(void)
{
    struct session *s;
    pthread_t th;

    s = malloc(sizeof *s);
    if (s == NULL)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &s->timer) != 0) {
        free(s);
        return -1;
    }
    s->fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (s->fd < 0) {
        timer_delete(s->timer);
        free(s);
        return -1;
    }
    if (pthread_create(&th, NULL, session_once, s) == 0) {
        timer_delete(s->timer); /* expect: stop-too-late */
        close(s->fd); /* expect: stop-too-late */
        pthread_join(th, NULL);
    } else {
        timer_delete(s->timer);
        close(s->fd);
    }
    free(s);
    return 0;
}

/* bad: the never-ending worker is detached; deleting its timer is always too late */
int bad_detached_forever_then_delete(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_forever, &t) == 0)
        pthread_detach(th);
    configure();
    timer_delete(t); /* expect: stop-too-late */
    return 0;
}

/* bad: C11 threads: the fd is closed before thrd_join */
int bad_c11_close_then_join(void)
{
    thrd_t th;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (thrd_create(&th, tfd_read_once, &fd) != thrd_success) {
        close(fd);
        return -1;
    }
    close(fd); /* expect: stop-too-late */
    thrd_join(th, NULL);
    return 0;
}

/* bad: C11 threads: the reader is detached, then its fd closed */
int bad_c11_detached_then_close(void)
{
    thrd_t th;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (thrd_create(&th, tfd_read_once, &fd) == thrd_success)
        thrd_detach(th);
    close(fd); /* expect: stop-too-late */
    return 0;
}

/* bad: the handle went to a global, but nothing could have joined it before the delete */
int bad_stored_global_no_unknown_call(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    g_worker = th;
    timer_delete(t); /* expect: stop-too-late */
    return 0;
}

/* good: joined first, deleted after */
int good_join_then_delete(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    configure();
    pthread_join(th, NULL);
    timer_delete(t);
    return 0;
}

/* good: C11 threads, joined before the close */
int good_c11_join_then_close(void)
{
    thrd_t th;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (thrd_create(&th, tfd_read_once, &fd) == thrd_success)
        thrd_join(th, NULL);
    close(fd);
    return 0;
}

/* good: the never-ending worker is cancelled and joined before its timer goes */
int good_cancel_join_then_delete(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_forever, &t) == 0) {
        pthread_cancel(th);
        pthread_join(th, NULL);
    }
    timer_delete(t);
    return 0;
}

/* good: the timer deleted early is not the one the worker was given */
int good_delete_other_timer(void)
{
    timer_t mine, theirs;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &mine) != 0)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &theirs) != 0) {
        timer_delete(mine);
        return -1;
    }
    if (pthread_create(&th, NULL, ticker_once, &theirs) == 0) {
        timer_delete(mine);
        pthread_join(th, NULL);
    } else {
        timer_delete(mine);
    }
    timer_delete(theirs);
    return 0;
}

/* good: the handle went to a global and stop_workers() (no body here) may have joined it */
int good_global_then_unknown_call(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    g_worker = th;
    stop_workers();
    timer_delete(t);
    return 0;
}

/* good: the handle went into the pool and then to unknown code that may join it */
int good_pool_then_unknown_call(struct pool *p)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    p->worker = th;
    p->running = 1;
    worker_registry_add(th);
    timer_delete(t);
    return 0;
}
