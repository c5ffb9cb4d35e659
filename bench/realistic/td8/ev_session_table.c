/* sessiond: tracks client sessions on one libevent base.  Sessions expire
 * when idle, upstream retries run on a per-session timer, and the table
 * runs a periodic sweep and a periodic stats dump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <event2/event.h>

#define IDLE_SECS     60
#define RETRY_SECS    2
#define SWEEP_SECS    5
#define STATS_SECS    30
#define MAX_RETRIES   8

struct session_stats;

/* snapshot.c, retryq.c, stats.c */
extern int table_load_snapshot(const char *path);
extern void retry_queue_adopt(struct event *ev, unsigned session_id);
extern int stats_open(const char *path, struct session_stats **out);
extern void stats_dump(struct session_stats *st);

struct session {
    unsigned id;
    struct event_base *base;
    struct event *idle_ev;
    struct event *retry_ev;
    unsigned retries;
    int closed;
};

struct session_table {
    struct event_base *base;
    struct event *sweep_ev;
    struct event *stats_ev;
    struct session_stats *stats;
    const char *snapshot_path;
    const char *stats_path;
    size_t live;
};

static void session_idle_cb(evutil_socket_t fd, short what, void *arg)
{
    struct session *s = arg;

    (void)fd; (void)what;
    fprintf(stderr, "session %u: idle, closing\n", s->id);
    s->closed = 1;
}

static void session_retry_cb(evutil_socket_t fd, short what, void *arg)
{
    struct session *s = arg;

    (void)fd; (void)what;
    s->retries++;
}

static void table_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
    struct session_table *t = arg;

    (void)fd; (void)what;
    fprintf(stderr, "sweep: %zu live sessions\n", t->live);
}

static void table_stats_cb(evutil_socket_t fd, short what, void *arg)
{
    struct session_table *t = arg;

    (void)fd; (void)what;
    stats_dump(t->stats);
}

static struct event *make_periodic(struct event_base *base, int secs,
                                   event_callback_fn cb, void *arg)
{
    struct timeval tv = { secs, 0 };
    struct event *ev = event_new(base, -1, EV_PERSIST, cb, arg);

    if (ev == NULL)
        return NULL;
    event_add(ev, &tv);
    return ev;
}

struct session *session_new(struct event_base *base, unsigned id)
{
    struct timeval tv = { IDLE_SECS, 0 };
    struct session *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return NULL;
    s->id = id;
    s->base = base;
    s->idle_ev = evtimer_new(base, session_idle_cb, s);
    evtimer_add(s->idle_ev, &tv);
    return s;
}

void session_arm_idle(struct session *s, int secs)
{
    struct timeval tv = { secs, 0 };

    if (s->idle_ev != NULL)
        fprintf(stderr, "session %u: idle timeout now %ds\n", s->id, secs);
    s->idle_ev = evtimer_new(s->base, session_idle_cb, s); /* expect: missing-stop */
    evtimer_add(s->idle_ev, &tv);
}

void session_start_retry(struct session *s)
{
    struct timeval tv = { RETRY_SECS, 0 };

    if (s->retry_ev != NULL) {
        event_free(s->retry_ev);
        s->retry_ev = NULL;
    }
    s->retry_ev = event_new(s->base, -1, EV_PERSIST, session_retry_cb, s);
    event_add(s->retry_ev, &tv);
}

void session_upstream_ready(struct session *s)
{
    if (s->retry_ev) {
        fprintf(stderr, "session %u: upstream ready after %u retries\n",
                s->id, s->retries);
        s->retries = 0;
        s->retry_ev = NULL; /* expect: missing-stop */
    }
}

void session_handoff_retry(struct session *s)
{
    if (s->retry_ev) {
        retry_queue_adopt(s->retry_ev, s->id);
        s->retry_ev = NULL;
    }
}

void session_free(struct session *s)
{
    if (s->idle_ev) {
        event_free(s->idle_ev);
        s->idle_ev = NULL;
    }
    if (s->retry_ev != NULL) {
        event_free(s->retry_ev);
        s->retry_ev = NULL;
    }
    free(s);
}

int table_start(struct session_table *t)
{
    struct event *sweep = make_periodic(t->base, SWEEP_SECS, table_sweep_cb, t); /* expect: missing-stop */

    if (sweep == NULL)
        return -1;
    if (table_load_snapshot(t->snapshot_path) < 0) {
        fprintf(stderr, "cannot load snapshot %s\n", t->snapshot_path);
        return -1;
    }
    t->sweep_ev = sweep;
    return 0;
}

int table_enable_stats(struct session_table *t)
{
    struct event *ev = make_periodic(t->base, STATS_SECS, table_stats_cb, t);

    if (ev == NULL)
        return -1;
    if (stats_open(t->stats_path, &t->stats) < 0) {
        fprintf(stderr, "cannot open stats file %s\n", t->stats_path);
        event_free(ev);
        return -1;
    }
    t->stats_ev = ev;
    return 0;
}

void table_stop(struct session_table *t)
{
    if (t->sweep_ev != NULL) {
        event_free(t->sweep_ev);
        t->sweep_ev = NULL;
    }
    if (t->stats_ev != NULL) {
        event_free(t->stats_ev);
        t->stats_ev = NULL;
    }
}
