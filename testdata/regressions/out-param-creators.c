/*
 * #12 class 5: a same-file helper that creates a timer or thread and hands
 * it back through an out-parameter, returning a constant that says whether
 * it did, is a creator: its caller owns what it made (reported at the
 * caller's call of the helper), and the helper's failure result means no
 * object. A helper whose result is not such a constant is not followed.
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

extern void *work_main(void *arg);
extern int check_ready(void);
extern int g_status;

static int mk_timer(timer_t *out, long ms)
{
    timer_t t;
    struct itimerspec its = {{0, 0}, {ms / 1000, (ms % 1000) * 1000000L}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    *out = t;
    return 0;
}

static bool spawn(pthread_t *out, void *arg)
{
    pthread_t th;

    if (pthread_create(&th, NULL, work_main, arg) != 0)
        return false;
    *out = th;
    return true;
}

static int mk_timer_status(timer_t *out)
{
    timer_t t;
    int rc = timer_create(CLOCK_MONOTONIC, NULL, &t);

    if (rc == 0)
        *out = t;
    return rc;
}

/* bad: the probe timer is never deleted */
int probe(long ms)
{
    timer_t t;

    if (mk_timer(&t, ms) != 0) /* expect: missing-stop */
        return -1;
    return check_ready();
}

/* bad: a bool creator, and the thread is never joined */
bool run_async(void *arg)
{
    pthread_t th;

    if (!spawn(&th, arg)) /* expect: missing-join */
        return false;
    g_status = 1;
    return true;
}

/* good: deleted on the success path; the failure path made nothing */
int probe_clean(long ms)
{
    timer_t t;
    int ready;

    if (mk_timer(&t, ms) < 0)
        return -1;
    ready = check_ready();
    timer_delete(t);
    return ready;
}

/* good: joined */
bool run_sync(void *arg)
{
    pthread_t th;

    if (!spawn(&th, arg))
        return false;
    pthread_join(th, NULL);
    return true;
}

/* good: the helper's result is a variable, not a constant: not followed */
int probe_status(void)
{
    timer_t t;

    if (mk_timer_status(&t) != 0)
        return -1;
    return 0;
}
