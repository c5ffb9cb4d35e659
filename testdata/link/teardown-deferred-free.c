// scan: --link
/* A free deferred to the loop: the last unref does not free the object,
 * it asks the loop to run the free later, with the object as the
 * callback's data (event_once(-1, EV_TIMEOUT, free_cb, obj, NULL), as
 * tmux frees its clients and sessions). The free then runs after
 * whatever the unref's caller did first: when that caller is the
 * teardown that stops the timers (lost(), destroy()), the free is the
 * last phase of it, however many calls lie between. The same deferral
 * from a function that stops nothing, with a stop only elsewhere, is
 * still a free of a live timer. */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <stdlib.h>

struct peer {
    int refs;
    char *name;
    struct event retry;   /* stopped in peer_lost() */
    struct event keepalive;
};

struct job {
    int refs;
    struct event tick;    /* stopped only when paused */
};

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

void peer_arm(struct peer *p, struct event_base *base)
{
    struct timeval tv = {5, 0};

    event_assign(&p->retry, base, -1, 0, on_timer, p);
    event_add(&p->retry, &tv);
    event_assign(&p->keepalive, base, -1, EV_PERSIST, on_timer, p);
    event_add(&p->keepalive, &tv);
}

/* runs on the loop, after the unref's caller returned */
static void peer_free_cb(evutil_socket_t fd, short what, void *arg)
{
    struct peer *p = arg;

    (void)fd;
    (void)what;
    if (p->refs == 0) {
        free(p->name);
        free(p);
    }
}

void peer_unref(struct peer *p)
{
    if (--p->refs == 0)
        event_once(-1, EV_TIMEOUT, peer_free_cb, p, NULL);
}

static void peer_stop_timers(struct peer *p)
{
    event_del(&p->keepalive);
}

/* good: stops both (one through a helper), then drops the reference that
 * defers the free */
void peer_lost(struct peer *p)
{
    event_del(&p->retry);
    peer_stop_timers(p);
    peer_unref(p);
}

void job_start(struct job *j, struct event_base *base)
{
    struct timeval tv = {1, 0};

    event_assign(&j->tick, base, -1, EV_PERSIST, on_timer, j);
    event_add(&j->tick, &tv); /* expect: field-never-stopped */
}

void job_pause(struct job *j)
{
    event_del(&j->tick);
}

static void job_free_cb(evutil_socket_t fd, short what, void *arg)
{
    struct job *j = arg;

    (void)fd;
    (void)what;
    free(j);
}

static void job_unref(struct job *j)
{
    if (--j->refs == 0)
        event_base_once(NULL, -1, EV_TIMEOUT, job_free_cb, j, NULL);
}

/* bad: the last reference goes with the tick still added */
void job_finish(struct job *j)
{
    j->refs = 1;
    job_unref(j);
}
