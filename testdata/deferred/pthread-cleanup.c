/*
 * pthread_cleanup_push(routine, arg) ... pthread_cleanup_pop(execute):
 * with pop(1) the routine runs at the pop on the normal path (a deferred
 * release); with pop(0) it runs only if the thread is cancelled inside the
 * region, so on the normal path it releases nothing. A pop(1) whose routine
 * releases a handle that a still-running worker uses is stop-too-late,
 * reported on the pthread_cleanup_pop(1) line. (The cancellation path, where
 * glibc runs the routine from inside the push, is not checked here.)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

extern int configure(void);
extern void handle_tick(int overrun);

/* Cleanup routines: release (or join) what arg points to, on every path. */
static void timer_release(void *arg) { timer_delete(*(timer_t *)arg); }
static void fd_release(void *arg) { close(*(int *)arg); }
static void join_release(void *arg) { pthread_join(*(pthread_t *)arg, NULL); }

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

/* bad: pop(1) deletes the timer; the worker using it is joined only after */
int bad_pop1_before_join(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) { /* note[stop-too-late]: thread 'th' created here by pthread_create() */ /* note[stop-too-late]: taking the false branch: 'pthread_create(&th, NULL, ticker_once, &t) != 0' is false */
        timer_delete(t);
        return -1;
    }
    pthread_cleanup_push(timer_release, &t);
    configure();
    pthread_cleanup_pop(1); /* expect: stop-too-late */ /* note[stop-too-late]: 't' released here by deferred cleanup (pthread_cleanup_pop()) while thread 'th' running ticker_once() still runs */
    pthread_join(th, NULL);
    return 0;
}

/* bad: the never-ending reader is detached; pop(1) closes its fd */
int bad_pop1_detached_reader(void)
{
    pthread_t th;
    int fd;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    pthread_cleanup_push(fd_release, &fd);
    if (pthread_create(&th, NULL, tfd_forever, &fd) == 0) /* note[stop-too-late]: thread 'th' created here by pthread_create() */ /* note[stop-too-late]: taking the true branch: 'pthread_create(&th, NULL, tfd_forever, &fd) == 0' is true */
        pthread_detach(th); /* note[stop-too-late]: detached here by pthread_detach() */
    configure();
    pthread_cleanup_pop(1); /* expect: stop-too-late */ /* note[stop-too-late]: 'fd' released here by deferred cleanup (pthread_cleanup_pop()) while thread 'th' running tfd_forever() still runs */
    return 0;
}

/* bad: the inner region releases the timer; the outer one, which joins, is popped after */
int bad_nested_release_inside_join(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    pthread_cleanup_push(join_release, &th);
    pthread_cleanup_push(timer_release, &t);
    configure();
    pthread_cleanup_pop(1); /* expect: stop-too-late */ /* note[stop-too-late]: 't' released here by deferred cleanup (pthread_cleanup_pop()) while thread 'th' running ticker_once() still runs */
    pthread_cleanup_pop(1);
    return 0;
}

/* bad: pop(0) does not run the routine, and nothing else deletes the timer */
int bad_pop0_leaks_timer(void)
{
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by timer_create() */
        return -1;
    pthread_cleanup_push(timer_release, &t);
    configure();
    pthread_cleanup_pop(0);
    return 0; /* note[missing-stop]: returning here without timer_delete() */
}

/* bad: after pop(0) the timer is deleted by hand, but before the worker is joined */
int bad_pop0_then_early_delete(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    pthread_cleanup_push(timer_release, &t);
    configure();
    pthread_cleanup_pop(0);
    timer_delete(t); /* expect: stop-too-late */ /* note[stop-too-late]: 't' released here by timer_delete() while thread 'th' running ticker_once() still runs */
    pthread_join(th, NULL);
    return 0;
}

/* good: the worker is joined inside the region, so pop(1) deletes an unused timer */
int good_pop1_after_join(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    pthread_cleanup_push(timer_release, &t);
    if (pthread_create(&th, NULL, ticker_once, &t) == 0) {
        configure();
        pthread_join(th, NULL);
    }
    pthread_cleanup_pop(1);
    return 0;
}

/* good: the inner region joins the worker; the outer pop(1) then deletes the timer */
int good_nested_join_inside_release(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    pthread_cleanup_push(timer_release, &t);
    if (pthread_create(&th, NULL, ticker_once, &t) == 0) {
        pthread_cleanup_push(join_release, &th);
        configure();
        pthread_cleanup_pop(1);
    }
    pthread_cleanup_pop(1);
    return 0;
}

/* good: pop(0), then join, then delete by hand */
int good_pop0_released_after_join(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) {
        timer_delete(t);
        return -1;
    }
    pthread_cleanup_push(timer_release, &t);
    configure();
    pthread_cleanup_pop(0);
    pthread_join(th, NULL);
    timer_delete(t);
    return 0;
}

/* good: pop(1) without any worker: a plain deferred delete */
int good_pop1_without_worker(void)
{
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    pthread_cleanup_push(timer_release, &t);
    configure();
    pthread_cleanup_pop(1);
    return 0;
}
