/*
 * missing-stop (libevent): an event from event_new()/evtimer_new() is not
 * freed with event_free() on some path that leaves the function. Reported
 * on the creating line (through the evtimer_new macro, where it is used).
 * An event only deleted with event_del() is disarmed-not-released.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>

struct client {
    struct event_base *base;
    const char *host;
    int retries;
    int timeouts;
};

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct client *c = arg;

    (void)fd;
    (void)what;
    c->timeouts++;
}

/* Same-file helper that only reads the event: neither a release nor an escape. */
static bool timer_pending(const struct event *ev)
{
    return event_pending(ev, EV_TIMEOUT, NULL) != 0;
}

/* bad: evtimer_add fails and the error path returns without event_free */
int bad_add_error_returns(struct client *c)
{
    struct timeval tv = { 5, 0 };
    struct event *ev;

    ev = evtimer_new(c->base, on_timeout, c); /* expect: missing-stop */ /* note[missing-stop]: timer 'ev' created here by event_new() */
    if (ev == NULL) /* note[missing-stop]: taking the false branch: 'ev == NULL' is false */
        return -ENOMEM;
    if (evtimer_add(ev, &tv) < 0) { /* note[missing-stop]: taking the true branch */ /* note-gap[missing-stop]: 'evtimer_add(ev, &tv) < 0' is true */
        fprintf(stderr, "%s: cannot schedule the connect timeout\n", c->host);
        return -1; /* note[missing-stop]: returning here without event_free() */
    }
    event_base_dispatch(c->base);
    event_free(ev);
    return 0;
}

/* bad: the host check after the create returns early */
int bad_validation_after_create(struct client *c)
{
    struct timeval tv = { 1, 500000 };
    struct event *ev = event_new(c->base, -1, EV_PERSIST, on_timeout, c); /* expect: missing-stop */ /* note[missing-stop]: timer 'ev' created here by event_new() */

    if (!ev) /* note[missing-stop]: taking the false branch: '!ev' is false */
        return -1;
    if (c->host == NULL || c->retries <= 0)
        return -1; /* note[missing-stop]: returning here without event_free() */
    event_add(ev, &tv);
    event_base_dispatch(c->base);
    event_del(ev);
    event_free(ev);
    return 0;
}

/* bad: the goto jumps past the free label */
int bad_goto_skips_free(struct client *c, char **status)
{
    struct timeval tv = { 2, 0 };
    struct event *ev;
    char *buf;
    int ret = -1;

    ev = evtimer_new(c->base, on_timeout, c); /* expect: missing-stop */
    if (ev == NULL) /* note[missing-stop]: taking the false branch: 'ev == NULL' is false */
        goto out;
    buf = malloc(64);
    if (buf == NULL) /* note[missing-stop]: taking the true branch: 'buf == NULL' is true */
        goto out;
    if (evtimer_add(ev, &tv) != 0)
        goto out_free;
    event_base_loop(c->base, EVLOOP_ONCE);
    snprintf(buf, 64, "%s: %d timeouts", c->host, c->timeouts);
    *status = buf;
    ret = 0;
out_free:
    event_free(ev);
out:
    return ret; /* note[missing-stop]: returning here without event_free() */
}

/* bad: deleted from the base but not freed when the timer already fired
 * (event_del only removes it from the base: disarmed-not-released) */
int bad_fired_path_only_deletes(struct client *c)
{
    struct timeval tv = { 0, 250000 };
    struct event *ev;

    if ((ev = evtimer_new(c->base, on_timeout, c)) == NULL) /* expect: disarmed-not-released */ /* note[disarmed-not-released]: taking the false branch: '(ev = evtimer_new(c->base, on_timeout, c)) == NULL' is false */
        return -1;
    evtimer_add(ev, &tv);
    event_base_loop(c->base, EVLOOP_ONCE);
    if (!timer_pending(ev)) { /* note[disarmed-not-released]: taking the true branch: '!timer_pending(ev)' is true */
        evtimer_del(ev); /* note[disarmed-not-released]: disarmed here by event_del() */
        return 1; /* note[disarmed-not-released]: returning here without event_free() */
    }
    event_free(ev);
    return 0;
}

/* bad: the event pointer is overwritten by a second evtimer_new */
int bad_overwritten_event(struct client *c, bool slow)
{
    struct timeval tv = { 1, 0 };
    struct event *ev;

    ev = evtimer_new(c->base, on_timeout, c); /* expect: missing-stop */
    if (!ev) /* note[missing-stop]: taking the false branch: '!ev' is false */
        return -1;
    if (slow) { /* note[missing-stop]: taking the true branch: 'slow' is true */
        ev = evtimer_new(c->base, on_timeout, c); /* note[missing-stop]: 'ev' overwritten here: the previous timer is lost */
        if (!ev)
            return -1;
        tv.tv_sec = 10;
    }
    evtimer_add(ev, &tv);
    event_base_dispatch(c->base);
    event_free(ev);
    return 0;
}
