// scan: --link
/* field-never-stopped (link phase over the scanned code): a timer kept in a
 * struct field or a global is started, and no function stops it. Reported
 * where it is armed (else where it is created). Stops count from any
 * function: a teardown, a helper that releases its parameter, a copy of the
 * field, code whose effect on it is unknown. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

extern void hand_over(timer_t t);

struct session {
    timer_t idle;       /* armed, deleted in session_free */
    timer_t keepalive;  /* armed, never deleted: bad */
    timer_t retry;      /* deleted through a copy */
    timer_t probe;      /* deleted by a helper */
    timer_t audit;      /* handed to unknown code */
    int tick_fd;        /* timerfd armed, never closed: bad */
};

static timer_t g_stats;    /* created, never deleted: bad */
static timer_t g_reaper;   /* created, deleted at exit */

static void arm(timer_t t, int ms)
{
    struct itimerspec its = {{0, 0}, {ms / 1000, (ms % 1000) * 1000000L}};
    timer_settime(t, 0, &its, NULL);
}

static void delete_timer(timer_t *t)
{
    timer_delete(*t);
}

int session_start(struct session *s)
{
    struct itimerspec its = {{1, 0}, {1, 0}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &s->idle) != 0)
        return -1;
    timer_settime(s->idle, 0, &its, NULL);
    if (timer_create(CLOCK_MONOTONIC, NULL, &s->keepalive) != 0) /* note[field-never-stopped]: 'struct session.keepalive' created here by timer_create() in session_start() */
        return -1;
    timer_settime(s->keepalive, 0, &its, NULL); /* expect: field-never-stopped */ /* note[field-never-stopped]: armed here by timer_settime() in session_start() */
    if (timer_create(CLOCK_MONOTONIC, NULL, &s->retry) != 0)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &s->probe) != 0)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &s->audit) != 0)
        return -1;
    s->tick_fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: field-never-stopped */ /* note[field-never-stopped]: created here by timerfd_create() in session_start() */
    return 0;
}

void session_free(struct session *s)
{
    timer_t r = s->retry;

    timer_delete(s->idle);
    timer_delete(r);
    delete_timer(&s->probe);
    hand_over(s->audit);
    free(s);
}

int stats_start(void)
{
    return timer_create(CLOCK_MONOTONIC, NULL, &g_stats); /* expect: field-never-stopped */ /* note[field-never-stopped]: global 'g_stats' created here by timer_create() in stats_start() */
}

int reaper_start(void)
{
    if (timer_create(CLOCK_MONOTONIC, NULL, &g_reaper) != 0)
        return -1;
    arm(g_reaper, 100);
    return 0;
}

void reaper_stop(void)
{
    timer_delete(g_reaper);
}
