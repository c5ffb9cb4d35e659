/*
 * conn_reaper.c - idle-connection reaping for a TCP server.  Each connection
 * has a POSIX timer raising CONN_IDLE_SIGNAL (payload: the connection) after
 * idle_ms of silence; a reaper thread collects the signals and closes them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONN_IDLE_SIGNAL  (SIGRTMIN + 1)
#define SERVER_MAX_CONNS  1024

struct conn {
    int fd;
    timer_t idle_timer;
    struct conn *next;
};

struct server {
    pthread_mutex_t lock;
    pthread_cond_t idle_cond;
    struct conn *conns;
    size_t nconns;
    pthread_t reaper;
    long idle_ms;
    volatile sig_atomic_t stopping;
    volatile sig_atomic_t drain_timed_out;
};

static void idle_spec(struct itimerspec *its, long ms)
{
    memset(its, 0, sizeof *its);
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (ms % 1000) * 1000000L;
}

static void idle_spec_off(struct itimerspec *its)
{
    memset(its, 0, sizeof *its);
}

/* Caller holds srv->lock. */
static int server_unlink(struct server *srv, struct conn *c)
{
    struct conn **pp;

    for (pp = &srv->conns; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            srv->nconns--;
            if (srv->nconns == 0)
                pthread_cond_broadcast(&srv->idle_cond);
            return 0;
        }
    }
    return -1;
}

static void server_reap(struct server *srv, struct conn *c)
{
    int found;
    pthread_mutex_lock(&srv->lock);
    found = server_unlink(srv, c) == 0;
    pthread_mutex_unlock(&srv->lock);
    if (!found)
        return;
    timer_delete(c->idle_timer);
    close(c->fd);
    free(c);
}

static void *reaper_main(void *arg)
{
    struct server *srv = arg;
    sigset_t set;
    siginfo_t si;

    sigemptyset(&set);
    sigaddset(&set, CONN_IDLE_SIGNAL);
    while (!srv->stopping) {
        struct timespec to = { 1, 0 };

        if (sigtimedwait(&set, &si, &to) < 0)
            continue;
        if (si.si_value.sival_ptr)
            server_reap(srv, si.si_value.sival_ptr);
    }
    return NULL;
}

int server_start(struct server *srv, long idle_ms)
{
    sigset_t set;
    int rc;

    memset(srv, 0, sizeof *srv);
    pthread_mutex_init(&srv->lock, NULL);
    pthread_cond_init(&srv->idle_cond, NULL);
    srv->idle_ms = idle_ms;

    sigemptyset(&set); /* only the reaper's sigtimedwait() takes it */
    sigaddset(&set, CONN_IDLE_SIGNAL);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    rc = pthread_create(&srv->reaper, NULL, reaper_main, srv);
    if (rc != 0) {
        pthread_cond_destroy(&srv->idle_cond);
        pthread_mutex_destroy(&srv->lock);
        return -rc;
    }
    return 0;
}

struct conn *conn_open(struct server *srv, int fd)
{
    struct conn *c;
    struct sigevent sev;
    struct itimerspec its;

    c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;

    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = CONN_IDLE_SIGNAL;
    sev.sigev_value.sival_ptr = c;
    if (timer_create(CLOCK_MONOTONIC, &sev, &c->idle_timer) != 0) { /* expect: missing-stop */
        free(c);
        return NULL;
    }
    idle_spec(&its, srv->idle_ms);
    if (timer_settime(c->idle_timer, 0, &its, NULL) != 0) {
        timer_delete(c->idle_timer);
        free(c);
        return NULL;
    }

    pthread_mutex_lock(&srv->lock);
    if (srv->stopping || srv->nconns >= SERVER_MAX_CONNS) {
        pthread_mutex_unlock(&srv->lock);
        free(c);
        return NULL;
    }
    c->next = srv->conns;
    srv->conns = c;
    srv->nconns++;
    pthread_mutex_unlock(&srv->lock);
    return c;
}

static void *lingering_close_main(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[512];

    shutdown(fd, SHUT_WR);
    while (read(fd, buf, sizeof buf) > 0)
        ;
    close(fd);
    return NULL;
}

/* Closes a socket in the background after draining what the peer still
 * sends, so the peer does not see a reset. */
int conn_close_async(int fd)
{
    pthread_attr_t attr;
    pthread_t th;
    int rc;

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&th, &attr, lingering_close_main, (void *)(intptr_t)fd);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        close(fd);
        return -rc;
    }
    return 0;
}

/* Called on every read/write: pushes the idle deadline out again. */
int conn_touch(struct server *srv, struct conn *c)
{
    struct itimerspec its;
    idle_spec(&its, srv->idle_ms);
    return timer_settime(c->idle_timer, 0, &its, NULL);
}

/* Keeps a connection open across a long request: stops its idle timer
 * until conn_touch() is called again. */
int conn_hold(struct conn *c)
{
    struct itimerspec its;

    idle_spec_off(&its);
    return timer_settime(c->idle_timer, 0, &its, NULL);
}

/* Gives every connection a short linger window after shutdown(SHUT_WR) so
 * the peer can read the tail of the stream. */
int server_linger_all(struct server *srv, long linger_ms)
{
    struct conn *c;
    struct sigevent sev;
    struct itimerspec its;
    timer_t linger;
    int n = 0;

    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = CONN_IDLE_SIGNAL;
    idle_spec(&its, linger_ms);

    pthread_mutex_lock(&srv->lock);
    for (c = srv->conns; c; c = c->next) {
        shutdown(c->fd, SHUT_WR);
        sev.sigev_value.sival_ptr = c;
        if (timer_create(CLOCK_MONOTONIC, &sev, &linger) != 0) /* expect: created-in-loop */
            continue;
        timer_settime(linger, 0, &its, NULL);
        n++;
    }
    pthread_mutex_unlock(&srv->lock);
    return n;
}

static void drain_expired(union sigval sv)
{
    struct server *srv = sv.sival_ptr;

    pthread_mutex_lock(&srv->lock);
    srv->drain_timed_out = 1;
    pthread_cond_broadcast(&srv->idle_cond);
    pthread_mutex_unlock(&srv->lock);
}

/* Waits until every connection is gone or grace_ms has passed. */
int server_drain(struct server *srv, long grace_ms)
{
    timer_t deadline;
    struct sigevent sev;
    struct itimerspec its;
    size_t remaining;

    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = drain_expired;
    sev.sigev_value.sival_ptr = srv;
    srv->drain_timed_out = 0;
    if (timer_create(CLOCK_MONOTONIC, &sev, &deadline) != 0) /* expect: disarmed-not-released */
        return -1;
    idle_spec(&its, grace_ms);
    if (timer_settime(deadline, 0, &its, NULL) != 0) {
        timer_delete(deadline);
        return -1;
    }

    pthread_mutex_lock(&srv->lock);
    while (srv->nconns > 0 && !srv->drain_timed_out)
        pthread_cond_wait(&srv->idle_cond, &srv->lock);
    remaining = srv->nconns;
    pthread_mutex_unlock(&srv->lock);

    idle_spec_off(&its);
    timer_settime(deadline, 0, &its, NULL);
    return remaining == 0 ? 0 : -1;
}

void server_shutdown(struct server *srv)
{
    struct conn *c, *next;

    srv->stopping = 1;
    pthread_join(srv->reaper, NULL);

    pthread_mutex_lock(&srv->lock);
    c = srv->conns;
    srv->conns = NULL;
    srv->nconns = 0;
    pthread_mutex_unlock(&srv->lock);
    for (; c; c = next) {
        next = c->next;
        timer_delete(c->idle_timer);
        close(c->fd);
        free(c);
    }
    pthread_cond_destroy(&srv->idle_cond);
    pthread_mutex_destroy(&srv->lock);
}
