/*
 * use-after-release (libevent): evtimer_add/event_del/event_pending/... or a
 * second event_free() on an event already freed on that path. Reported on
 * the offending call.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>
#include <event2/event_struct.h>

struct job {
    struct event_base *base;
    int interval_s;
    bool cancelled;
    int runs;
};

static void on_job(evutil_socket_t fd, short what, void *arg)
{
    struct job *j = arg;

    (void)fd;
    (void)what;
    j->runs++;
}

/* Frees its parameter on every path. */
static void job_timer_free(struct event *ev)
{
    if (evtimer_pending(ev, NULL))
        evtimer_del(ev);
    event_free(ev);
}

/* bad: the cancel branch frees the timer, the common exit frees it again */
int bad_double_free(struct job *j)
{
    struct timeval tv = { j->interval_s, 0 };
    struct event *ev = evtimer_new(j->base, on_job, j);
    int ret = 0;

    if (ev == NULL)
        return -1;
    evtimer_add(ev, &tv);
    event_base_loop(j->base, EVLOOP_ONCE);
    if (j->cancelled) {
        event_free(ev);
        ret = 1;
    }
    event_free(ev); /* expect: use-after-release */
    return ret;
}

/* bad: the event is re-added after the free */
void bad_add_after_free(struct job *j)
{
    struct timeval tv = { j->interval_s, 0 };
    struct event *ev = event_new(j->base, -1, 0, on_job, j);

    if (!ev)
        return;
    event_add(ev, &tv);
    event_base_dispatch(j->base);
    event_free(ev);
    if (!j->cancelled)
        event_add(ev, &tv); /* expect: use-after-release */
}

/* bad: freed before being deleted: the wrong teardown order */
void bad_del_after_free(struct job *j)
{
    struct timeval tv = { 1, 0 };
    struct event *ev = evtimer_new(j->base, on_job, j);

    if (ev == NULL)
        return;
    evtimer_add(ev, &tv);
    event_base_loop(j->base, EVLOOP_NONBLOCK);
    event_free(ev);
    evtimer_del(ev); /* expect: use-after-release */
}

/* bad: a same-file helper frees the event, then the caller asks if it is pending */
bool bad_pending_after_helper_free(struct job *j)
{
    struct timeval tv = { 1, 0 };
    struct event *ev = evtimer_new(j->base, on_job, j);

    if (ev == NULL)
        return false;
    evtimer_add(ev, &tv);
    job_timer_free(ev);
    return evtimer_pending(ev, NULL) != 0; /* expect: use-after-release */
}

/* bad: freeing a copy frees the event; activating the original afterwards */
void bad_activate_after_copy_freed(struct job *j)
{
    struct event *ev = evtimer_new(j->base, on_job, j);
    struct event *victim;

    if (ev == NULL)
        return;
    victim = ev;
    event_free(victim);
    event_active(ev, EV_TIMEOUT, 0); /* expect: use-after-release */
}

/* bad: the freed event's memory is re-assigned as if it were caller storage */
void bad_assign_after_free(struct job *j)
{
    struct event *ev = evtimer_new(j->base, on_job, j);

    if (ev == NULL)
        return;
    event_free(ev);
    evtimer_assign(ev, j->base, on_job, j); /* expect: use-after-release */
}

/* bad: an event owned by the caller is freed twice */
void bad_double_free_param(struct event *ev)
{
    event_free(ev);
    event_free(ev); /* expect: use-after-release */
}

/* good: deleted, then freed: the documented teardown order */
void good_del_then_free(struct job *j)
{
    struct timeval tv = { j->interval_s, 0 };
    struct event *ev = evtimer_new(j->base, on_job, j);

    if (ev == NULL)
        return;
    evtimer_add(ev, &tv);
    event_base_dispatch(j->base);
    evtimer_del(ev);
    event_free(ev);
}

/* good: freed, re-created into the same variable, used, freed */
void good_recreate_after_free(struct job *j)
{
    struct timeval tv = { j->interval_s, 0 };
    struct event *ev = evtimer_new(j->base, on_job, j);

    if (ev == NULL)
        return;
    event_free(ev);
    ev = event_new(j->base, -1, EV_PERSIST, on_job, j);
    if (ev == NULL)
        return;
    event_add(ev, &tv);
    event_base_dispatch(j->base);
    job_timer_free(ev);
}

/* good: an assigned event is re-assigned after event_del, which the API allows */
void good_reassign_after_del(struct job *j)
{
    struct timeval tv = { 1, 0 };
    struct event ev;

    evtimer_assign(&ev, j->base, on_job, j);
    evtimer_add(&ev, &tv);
    event_base_loop(j->base, EVLOOP_ONCE);
    evtimer_del(&ev);
    evtimer_assign(&ev, j->base, on_job, j);
    evtimer_add(&ev, &tv);
    event_base_loop(j->base, EVLOOP_ONCE);
    evtimer_del(&ev);
}
