/*
 * stop-too-late with the `goto out;` cleanup-label idiom: the release under
 * the label runs on every path that reaches it (by goto or by falling
 * through), and a worker started with the handle may not have been joined
 * on some of those paths. The finding is reported on the release call under
 * the label; a thread never joined on a path is also missing-join at its
 * pthread_create. Early returns that skip the label are checked as usual.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

extern int configure(void);
extern int do_work(void);
extern void handle_tick(int overrun);

struct session {
    timer_t timer;
    int fd;
};

/* Ends after one look at the timer. */
static void *ticker_once(void *arg)
{
    timer_t *t = arg;

    handle_tick(timer_getoverrun(*t));
    return NULL;
}

/* Never ends: reads the timerfd forever. */
static void *tfd_forever(void *arg)
{
    int *fd = arg;
    unsigned long long n;

    for (;;) {
        if (read(*fd, &n, sizeof n) == sizeof n)
            handle_tick((int)n);
    }
}

/* Ends after one round on both handles of the session. */
static void *session_once(void *arg)
{
    struct session *s = arg;
    unsigned long long n;

    handle_tick(timer_getoverrun(s->timer));
    if (read(s->fd, &n, sizeof n) == sizeof n)
        handle_tick((int)n);
    return NULL;
}

/* bad: no path joins the worker; the label deletes the timer under it */
int bad_never_joined_before_label(void)
{
    timer_t t;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) /* expect: missing-join */
        goto out;
    if (configure() < 0)
        goto out;
    rc = 0;
out:
    timer_delete(t); /* expect: stop-too-late */
    return rc;
}

/* bad: the fall-through path joins, but the goto from the failed configure() does not */
int bad_goto_skips_join(void)
{
    timer_t t;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) /* expect: missing-join */
        goto out;
    if (configure() < 0)
        goto out;
    pthread_join(th, NULL);
    rc = 0;
out:
    timer_delete(t); /* expect: stop-too-late */
    return rc;
}

/* bad: the label releases first and joins after */
int bad_label_releases_before_join(void)
{
    timer_t t;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    if (configure() < 0)
        goto out;
    rc = do_work();
out:
    timer_delete(t); /* expect: stop-too-late */
    pthread_join(th, NULL);
    return rc;
}

/* bad: the detached reader never ends; the label closes its fd */
int bad_detached_reader_label(void)
{
    pthread_t th;
    int fd, rc = -1;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (pthread_create(&th, NULL, tfd_forever, &fd) != 0)
        goto out;
    pthread_detach(th);
    rc = configure();
out:
    close(fd); /* expect: stop-too-late */
    return rc;
}

/* bad: the early return (before any worker) skips the label, so the timer leaks on it */
int bad_early_return_skips_label(int fast)
{
    timer_t t;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: missing-stop */
        return -1;
    if (fast)
        return 1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0)
        goto out;
    pthread_join(th, NULL);
    rc = 0;
out:
    timer_delete(t);
    return rc;
}

/* bad: two labels; the goto to close_fd comes after the worker (using both) started */
int bad_second_label_before_join(void)
{
    struct session s;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &s.timer) != 0)
        return -1;
    s.fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (s.fd < 0)
        goto del_timer;
    if (pthread_create(&th, NULL, session_once, &s) != 0) /* expect: missing-join */
        goto close_fd;
    if (configure() < 0)
        goto close_fd;
    pthread_join(th, NULL);
    rc = 0;
close_fd:
    close(s.fd); /* expect: stop-too-late */
del_timer:
    timer_delete(s.timer); /* expect: stop-too-late */
    return rc;
}

/* good: every path that reaches the label after the create has joined */
int good_joined_before_label_every_path(void)
{
    timer_t t;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0)
        goto out;
    if (configure() < 0) {
        pthread_join(th, NULL);
        goto out;
    }
    rc = do_work();
    pthread_join(th, NULL);
out:
    timer_delete(t);
    return rc;
}

/* good: the label joins the worker before it releases the timer */
int good_join_then_release_under_label(void)
{
    timer_t t;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    if (configure() < 0)
        goto out;
    rc = do_work();
out:
    pthread_join(th, NULL);
    timer_delete(t);
    return rc;
}

/* good: the early return skips the label but joins, then deletes, by itself */
int good_early_return_releases_in_order(int fast)
{
    timer_t t;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0)
        goto out;
    if (fast) {
        pthread_join(th, NULL);
        timer_delete(t);
        return 1;
    }
    rc = configure();
    pthread_join(th, NULL);
out:
    timer_delete(t);
    return rc;
}

/* good: labels in reverse order of acquisition; join_worker comes first */
int good_label_ladder(void)
{
    struct session s;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &s.timer) != 0)
        return -1;
    s.fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (s.fd < 0)
        goto del_timer;
    if (pthread_create(&th, NULL, session_once, &s) != 0)
        goto close_fd;
    if (configure() < 0)
        goto join_worker;
    rc = do_work();
join_worker:
    pthread_join(th, NULL);
close_fd:
    close(s.fd);
del_timer:
    timer_delete(s.timer);
    return rc;
}

/* good: `mine` is deleted while the worker runs, but the worker was given `theirs` */
int good_label_releases_other_timer(void)
{
    timer_t mine, theirs;
    pthread_t th;
    int rc = -1;

    if (timer_create(CLOCK_MONOTONIC, NULL, &mine) != 0)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &theirs) != 0) {
        timer_delete(mine);
        return -1;
    }
    if (pthread_create(&th, NULL, ticker_once, &theirs) != 0)
        goto out;
    rc = configure();
    timer_delete(mine);
    pthread_join(th, NULL);
    timer_delete(theirs);
    return rc;
out:
    timer_delete(mine);
    timer_delete(theirs);
    return rc;
}
