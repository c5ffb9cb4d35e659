/*
 * stop-too-late with __attribute__((cleanup(fn))) variables: the cleanup
 * releases the timer when the variable's scope ends (every return, end of
 * block, end of each loop iteration), and a worker thread that was started
 * with the timer may still be running then. The finding is reported on the
 * line declaring the cleanup variable. The first case is the Go incident:
 *   t := time.NewTicker(d); defer t.Stop(); go func() { for range t.C {...} }()
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static void timer_deletep(timer_t *t) { timer_delete(*t); }
static void closep(int *fd) { if (*fd >= 0) close(*fd); }

struct ticker {
    timer_t timer;
    volatile int stop;
};

static void ticker_releasep(struct ticker *tk) { timer_delete(tk->timer); }

extern int configure(void);
extern void handle_tick(int overrun);
extern void opaque_release(timer_t *t);

/* Never ends: the loop has no break and no return. */
static void *ticker_forever(void *arg) /* note[stop-too-late]: ticker_forever() never returns: no path leaves it */
{
    timer_t *t = arg;

    for (;;) {
        handle_tick(timer_getoverrun(*t));
        pause();
    }
}

/* Never ends: reads the timerfd forever. */
static void *tfd_forever(void *arg)
{
    int *fd = arg;
    unsigned long long n;

    while (1) {
        if (read(*fd, &n, sizeof n) == sizeof n)
            handle_tick((int)n);
    }
}

/* Ends after one look at the timer. */
static void *ticker_once(void *arg)
{
    timer_t *t = arg;

    handle_tick(timer_getoverrun(*t));
    return NULL;
}

/* Ends when its owner sets tk->stop. */
static void *ticker_until_stopped(void *arg)
{
    struct ticker *tk = arg;

    while (!tk->stop) {
        handle_tick(timer_getoverrun(tk->timer));
        usleep(1000);
    }
    return NULL;
}

/* Never ends, but uses only a timer of its own: it ignores its argument. */
static void *own_timer_forever(void *arg)
{
    timer_t own;

    (void)arg;
    if (timer_create(CLOCK_MONOTONIC, NULL, &own) != 0)
        return NULL;
    for (;;) {
        handle_tick(timer_getoverrun(own));
        pause();
    }
}

/* bad: the Go incident: the cleanup deletes t at return, the never-ending worker still uses it */
int bad_go_incident(void)
{
    _cleanup_(timer_deletep) timer_t t; /* expect: stop-too-late */
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_forever, &t) != 0) /* expect: missing-join */ /* note[missing-join]: thread 'th' created here by pthread_create() */ /* note[missing-join]: taking the false branch: 'pthread_create(&th, NULL, ticker_forever, &t) != 0' is false */
        return -1;
    return configure(); /* note[missing-join]: returning here: the thread is neither joined nor detached */ /* note[stop-too-late]: 't' released here by deferred cleanup (timer_deletep() as 't' goes out of scope) while thread 'th' running ticker_forever() still runs */
}

/* bad: detaching does not stop the worker; the cleanup deletes the timer under it */
int bad_go_incident_detached(void)
{
    _cleanup_(timer_deletep) timer_t t; /* expect: stop-too-late */
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_forever, &t) != 0) /* note[stop-too-late]: thread 'th' created here by pthread_create() */
        return -1;
    pthread_detach(th); /* note[stop-too-late]: detached here by pthread_detach() */
    return 0; /* note[stop-too-late]: 't' released here by deferred cleanup (timer_deletep() as 't' goes out of scope) while thread 'th' running ticker_forever() still runs */
}

/* bad: a worker created detached may still be running when the cleanup closes its fd */
int bad_created_detached_timerfd(void)
{
    _cleanup_(closep) int fd = -1; /* expect: stop-too-late */
    pthread_attr_t attr;
    pthread_t th;
    int rc;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&th, &attr, tfd_forever, &fd); /* note[stop-too-late]: thread 'th' created here by pthread_create() */
    pthread_attr_destroy(&attr);
    return rc ? -1 : 0; /* note[stop-too-late]: 'fd' released here by deferred cleanup (closep() as 'fd' goes out of scope) while thread 'th' running tfd_forever() still runs */
}

/* bad: the error return skips the join; the cleanup deletes t while the worker runs */
int bad_join_skipped_on_error(void)
{
    _cleanup_(timer_deletep) timer_t t; /* expect: stop-too-late */
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0) /* expect: missing-join */
        return -1;
    if (configure() < 0)
        return -1;
    pthread_join(th, NULL);
    return 0;
}

/* bad: the inner block ends (and deletes t) before the join after it */
int bad_inner_scope_ends_before_join(void)
{
    pthread_t th;

    {
        _cleanup_(timer_deletep) timer_t t; /* expect: stop-too-late */

        if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
            return -1;
        if (pthread_create(&th, NULL, ticker_once, &t) != 0)
            return -1;
    }
    pthread_join(th, NULL);
    return 0;
}

/* bad: the flag is set but nobody waits for the worker to see it */
int bad_flag_set_without_join(void)
{
    _cleanup_(ticker_releasep) struct ticker tk = { .stop = 0 }; /* expect: stop-too-late */
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &tk.timer) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_until_stopped, &tk) != 0) /* expect: missing-join */
        return -1;
    tk.stop = 1;
    return 0;
}

/* bad: each iteration's cleanup deletes its timer while that iteration's detached worker runs */
int bad_per_iteration_detached(int n)
{
    for (int i = 0; i < n; i++) {
        _cleanup_(timer_deletep) timer_t t; /* expect: stop-too-late */
        pthread_t th;

        if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
            return -1;
        if (pthread_create(&th, NULL, ticker_once, &t) == 0)
            pthread_detach(th);
    }
    return 0;
}

/* bad: `continue` ends the iteration (running the cleanup) before the join */
int bad_continue_skips_join(int n)
{
    for (int i = 0; i < n; i++) {
        _cleanup_(timer_deletep) timer_t t; /* expect: stop-too-late */
        pthread_t th;

        if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
            continue;
        if (pthread_create(&th, NULL, ticker_once, &t) != 0) /* expect: created-in-loop */
            continue;
        if (configure() < 0)
            continue;
        pthread_join(th, NULL);
    }
    return 0;
}

/* good: the worker is joined on every path before the scope ends */
int good_joined_before_scope_end(void)
{
    _cleanup_(timer_deletep) timer_t t;
    pthread_t th;
    int rc;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_once, &t) != 0)
        return -1;
    rc = configure();
    pthread_join(th, NULL);
    return rc;
}

/* good: a cleanup variable and no worker at all */
int good_cleanup_without_worker(void)
{
    _cleanup_(timer_deletep) timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    return configure();
}

/* good: the detached never-ending worker gets NULL and uses only its own timer */
int good_detached_worker_own_timer(void)
{
    _cleanup_(timer_deletep) timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, own_timer_forever, NULL) != 0)
        return -1;
    pthread_detach(th);
    return configure();
}

/* good: each iteration joins its worker before the cleanup runs at the iteration's end */
int good_per_iteration_join(int n)
{
    for (int i = 0; i < n; i++) {
        _cleanup_(timer_deletep) timer_t t;
        pthread_t th;

        if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
            return -1;
        if (pthread_create(&th, NULL, ticker_once, &t) != 0)
            return -1;
        pthread_join(th, NULL);
    }
    return 0;
}

/* good: the worker exits on the flag, which is set and waited for before the cleanup */
int good_flag_then_join(void)
{
    _cleanup_(ticker_releasep) struct ticker tk = { .stop = 0 };
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &tk.timer) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_until_stopped, &tk) != 0)
        return -1;
    configure();
    tk.stop = 1;
    pthread_join(th, NULL);
    return 0;
}

/* good: the cleanup function has no body here (unknown code): nothing is known to be released */
int good_unknown_cleanup_function(void)
{
    _cleanup_(opaque_release) timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (pthread_create(&th, NULL, ticker_forever, &t) != 0)
        return -1;
    pthread_detach(th);
    return 0;
}
