/*
 * #12 class 4: a same-file helper that deletes what it is given on every
 * path ends the handle at the call; a later use or release of the same
 * handle (a parameter's field, what a looked-up pointer names) is
 * use-after-release. No finding when the helper deletes on some paths
 * only, deletes another field, or the handle is made again first; and a
 * pointer moved to the next element names another timer.
 */
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

struct session {
    timer_t expiry;
    timer_t idle;
    int armed;
    struct session *next;
};

extern struct session *session_find(int id);
extern int session_keep(const struct session *s);

static void retire(timer_t t)
{
    struct itimerspec off;

    memset(&off, 0, sizeof off);
    timer_settime(t, 0, &off, NULL);
    timer_delete(t);
}

static void session_stop(struct session *s)
{
    timer_delete(s->expiry);
    s->armed = 0;
}

static void session_stop_maybe(struct session *s)
{
    if (!session_keep(s))
        timer_delete(s->expiry);
}

static void spec_ms(struct itimerspec *its, unsigned ms)
{
    memset(its, 0, sizeof *its);
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
}

/* bad: retired by value, then re-armed */
void session_extend(struct session *s, unsigned ms)
{
    struct itimerspec its;

    retire(s->expiry);
    spec_ms(&its, ms);
    timer_settime(s->expiry, 0, &its, NULL); /* expect: use-after-release */
}

/* bad: the helper deletes the field it reaches through the record */
void session_reset(struct session *s)
{
    session_stop(s);
    if (s->armed)
        return;
    timer_delete(s->expiry); /* expect: use-after-release */
}

/* bad: what the lookup names, retired and then queried */
int session_left(int id)
{
    struct session *s = session_find(id);
    struct itimerspec cur;

    if (!s)
        return -1;
    retire(s->idle);
    if (timer_gettime(s->idle, &cur) != 0) /* expect: use-after-release */
        return -1;
    return (int)cur.it_value.tv_sec;
}

/* good: the helper deletes on some paths only */
void session_trim(struct session *s)
{
    session_stop_maybe(s);
    timer_delete(s->expiry);
}

/* good: the helper deletes another field */
void session_idle_off(struct session *s, unsigned ms)
{
    struct itimerspec its;

    retire(s->idle);
    spec_ms(&its, ms);
    timer_settime(s->expiry, 0, &its, NULL);
}

/* good: made again before it is armed */
int session_renew(struct session *s, unsigned ms)
{
    struct itimerspec its;

    retire(s->expiry);
    if (timer_create(CLOCK_MONOTONIC, NULL, &s->expiry) != 0)
        return -1;
    spec_ms(&its, ms);
    return timer_settime(s->expiry, 0, &its, NULL);
}

/* good: each element's timer, one per iteration */
void sessions_retire(struct session *head)
{
    for (struct session *s = head; s; s = s->next) {
        retire(s->expiry);
        retire(s->idle);
    }
}

/* good: the pointer names another session after the lookup */
void session_swap(int a, int b)
{
    struct session *s = session_find(a);

    if (s)
        retire(s->expiry);
    s = session_find(b);
    if (s)
        retire(s->expiry);
}
