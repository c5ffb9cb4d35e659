// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * A same-file function that makes a timer or a thread and returns it is a
 * creator: its caller owns what it returns (#12 class 5, #15 item 6). The
 * per-path rules judge the caller at the call, as if it were the family's
 * own create. A helper that also keeps the handle somewhere, stops it on
 * some path or hands it to unknown code is no plain creator: its callers
 * are not judged on its result.
 */
#include <glib.h>
#include <pthread.h>
#include <stdlib.h>
#include <event2/event.h>

struct link {
    guint retry_id;
    struct event_base *base;
};

extern int transport_send(const char *what);
extern void registry_add(guint id);

static gboolean on_retry(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

static void *pump(void *arg)
{
    return arg;
}

/* A plain creator: the id goes to the caller. */
static guint schedule_retry(struct link *l, guint ms)
{
    return g_timeout_add(ms, on_retry, l);
}

/* bad: the error return drops the id the helper made */
gboolean link_probe(struct link *l)
{
    guint id = schedule_retry(l, 500); /* expect: missing-stop */

    if (!transport_send("PING"))
        return FALSE;
    g_clear_handle_id(&l->retry_id, g_source_remove);
    l->retry_id = id;
    return TRUE;
}

/* good: kept on every path */
gboolean link_probe_ok(struct link *l)
{
    guint id = schedule_retry(l, 500);

    if (!transport_send("PING")) {
        g_source_remove(id);
        return FALSE;
    }
    g_clear_handle_id(&l->retry_id, g_source_remove);
    l->retry_id = id;
    return TRUE;
}

/* bad: a new repeating source per element, each dropped by the next */
void link_retry_all(struct link *links, int n)
{
    guint id = 0;

    for (int i = 0; i < n; i++)
        id = schedule_retry(&links[i], 100); /* expect: created-in-loop */
    links[0].retry_id = id;
}

/* A creator of a thread, returned by value. */
static pthread_t start_pump(void *arg)
{
    pthread_t t;

    pthread_create(&t, NULL, pump, arg);
    return t;
}

/* bad: the early return leaves the pump running, never joined */
int run_pumps(void *arg)
{
    pthread_t t = start_pump(arg); /* expect: missing-join */

    if (transport_send("START") < 0)
        return -1;
    pthread_join(t, NULL);
    return 0;
}

/* good */
int run_pumps_ok(void *arg)
{
    pthread_t t = start_pump(arg);
    int rc = transport_send("START");

    pthread_join(t, NULL);
    return rc < 0 ? -1 : 0;
}

/* A creator of an event that can fail (NULL). */
static struct event *make_tick(struct event_base *base, void *arg)
{
    struct event *ev = evtimer_new(base, on_tick, arg);

    return ev;
}

/* good: the NULL check is the creator's failure; the event is freed */
int tick_once(struct event_base *base)
{
    struct timeval tv = {1, 0};
    struct event *ev = make_tick(base, NULL);

    if (ev == NULL)
        return -1;
    evtimer_add(ev, &tv);
    event_base_loop(base, EVLOOP_ONCE);
    event_free(ev);
    return 0;
}

/* bad: freed on success only */
int tick_twice(struct event_base *base)
{
    struct timeval tv = {1, 0};
    struct event *ev = make_tick(base, NULL); /* expect: missing-stop */

    if (ev == NULL)
        return -1;
    if (evtimer_add(ev, &tv) != 0)
        return -1;
    event_base_loop(base, EVLOOP_ONCE);
    event_free(ev);
    return 0;
}

/* Not a plain creator: the helper also registers the id elsewhere. */
static guint schedule_shared(struct link *l)
{
    guint id = g_timeout_add(1000, on_retry, l);

    registry_add(id);
    return id;
}

/* good: someone else holds the id too (registry_add) */
gboolean link_shared(struct link *l)
{
    guint id = schedule_shared(l);

    if (!transport_send("HELLO"))
        return FALSE;
    l->retry_id = id;
    return TRUE;
}

/* Not a plain creator: the helper stops what it made on one path. */
static guint schedule_checked(struct link *l)
{
    guint id = g_timeout_add(1000, on_retry, l);

    if (l->base == NULL) {
        g_source_remove(id);
        return 0;
    }
    return id;
}

/* good: not judged on the helper's result */
gboolean link_checked(struct link *l)
{
    guint id = schedule_checked(l);

    if (!transport_send("HELLO"))
        return FALSE;
    l->retry_id = id;
    return TRUE;
}
