// scan: --link
/*
 * The link phase follows a field or global through the local it was given
 * (g_tick = ev; ... event_free_finalize(ev)): the stop of the local stops
 * what the global holds (libevent's regress_finalize.c keeps its events in
 * globals this way). A loop's teardown (uv_walk closing every handle) stops
 * every libuv field, but a teardown that frees the object first leaves its
 * handle linked into the loop until then.
 */
#include <event2/event.h>
#include <stdlib.h>
#include <uv.h>

static struct event *g_tick;
static struct event *g_stats;

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

static void on_finalized(struct event *ev, void *arg)
{
    (void)ev;
    (void)arg;
}

/* good: the global is finalized through the local it was given */
int good_global_through_local(struct event_base *base)
{
    struct event *ev = evtimer_new(base, on_tick, NULL);

    if (ev == NULL)
        return -1;
    g_tick = ev;
    event_add(ev, NULL);
    event_base_dispatch(base);
    event_free_finalize(0, ev, on_finalized);
    event_add(ev, NULL); /* expect: use-after-release */ /* refused (-1) once finalizing, unchecked */
    return 0;
}

/* bad: the global is given a new event that nobody ever frees */
int bad_global_never_freed(struct event_base *base)
{
    struct event *ev = evtimer_new(base, on_tick, NULL);

    if (ev == NULL)
        return -1;
    g_stats = ev; /* expect: field-never-stopped */
    return event_add(ev, NULL);
}

struct peer {
    uv_timer_t heartbeat;
    int misses;
};

static void on_heartbeat(uv_timer_t *t)
{
    struct peer *p = t->data;

    p->misses++;
}

static void close_any(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

int peer_start(uv_loop_t *loop, struct peer *p)
{
    if (uv_timer_init(loop, &p->heartbeat) != 0)
        return -1;
    p->heartbeat.data = p;
    return uv_timer_start(&p->heartbeat, on_heartbeat, 1000, 1000); /* expect: field-never-stopped */
}

/* bad: frees the peer while its heartbeat is still linked into the loop;
 * only the walk at the end would close it */
void peer_free(struct peer *p)
{
    free(p);
}

struct probe {
    uv_timer_t interval;
    int sent;
};

static void on_interval(uv_timer_t *t)
{
    struct probe *p = t->data;

    p->sent++;
}

static void free_probe(uv_handle_t *h)
{
    free(h->data);
}

int probe_start(uv_loop_t *loop, struct probe *p)
{
    if (uv_timer_init(loop, &p->interval) != 0)
        return -1;
    p->interval.data = p;
    return uv_timer_start(&p->interval, on_interval, 500, 500);
}

/* good: the teardown closes the handle; its close callback frees the probe
 * (the walk at the end would close it too, but this one never relies on it) */
void probe_free(struct probe *p)
{
    uv_close((uv_handle_t *)&p->interval, free_probe);
}

int run_all(uv_loop_t *loop)
{
    uv_run(loop, UV_RUN_DEFAULT);
    uv_walk(loop, close_any, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    return uv_loop_close(loop);
}
