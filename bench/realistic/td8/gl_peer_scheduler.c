// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include
/* meshd peer scheduler: every peer gets a heartbeat and an idle check once
 * its stream is up, reconnects are retried until the peer answers, and the
 * prober pings a list of reachability targets on their own intervals. */
#include <glib.h>
#include <string.h>

#define HEARTBEAT_SECS   5
#define IDLE_CHECK_SECS  20
#define RETRY_MS         1500
#define MAX_FAILURES     10

/* wire.c, stream.c */
extern gboolean wire_send_hello(const char *addr);
extern gboolean wire_send_heartbeat(const char *addr);
extern gboolean wire_ping(const char *addr);
extern gboolean wire_reconnect(const char *addr);
extern int stream_connect(const char *path);
extern gint64 stream_last_activity(const char *addr);

struct peer {
    char *name;
    char *addr;
    guint heartbeat_id;
    guint idle_id;
    guint retry_id;
    guint failures;
    gboolean up;
};

struct probe_target {
    char *addr;
    guint interval_ms;
    guint probe_id;
    guint lost;
};

struct prober {
    struct probe_target *targets;
    gsize n_targets;
    guint probe_id;
};

static gboolean heartbeat_cb(gpointer data)
{
    struct peer *p = data;

    if (!wire_send_heartbeat(p->addr))
        p->failures++;
    return G_SOURCE_CONTINUE;
}

static gboolean idle_check_cb(gpointer data)
{
    struct peer *p = data;
    gint64 idle = g_get_monotonic_time() - stream_last_activity(p->addr);

    if (idle > (gint64)IDLE_CHECK_SECS * G_USEC_PER_SEC)
        g_message("peer %s: idle for %" G_GINT64_FORMAT "us", p->name, idle);
    return G_SOURCE_CONTINUE;
}

static gboolean retry_cb(gpointer data)
{
    struct peer *p = data;

    if (!wire_reconnect(p->addr)) {
        p->failures++;
        return G_SOURCE_CONTINUE;
    }
    p->up = TRUE;
    p->retry_id = 0;
    return G_SOURCE_REMOVE;
}

static gboolean probe_cb(gpointer data)
{
    struct probe_target *t = data;

    if (!wire_ping(t->addr))
        t->lost++;
    return G_SOURCE_CONTINUE;
}

static guint schedule_heartbeat(struct peer *p)
{
    return g_timeout_add_seconds(HEARTBEAT_SECS, heartbeat_cb, p);
}

static guint schedule_idle_check(struct peer *p)
{
    return g_timeout_add_seconds(IDLE_CHECK_SECS, idle_check_cb, p);
}

static guint schedule_probe(struct probe_target *t)
{
    return g_timeout_add(t->interval_ms, probe_cb, t);
}

static guint schedule_retry(struct peer *p)
{
    p->retry_id = g_timeout_add(RETRY_MS, retry_cb, p);
    return p->retry_id;
}

gboolean peer_activate(struct peer *p)
{
    guint hb = schedule_heartbeat(p); /* expect: missing-stop */

    if (!wire_send_hello(p->addr)) {
        g_warning("peer %s: hello failed", p->name);
        return FALSE;
    }
    p->heartbeat_id = hb;
    p->up = TRUE;
    return TRUE;
}

gboolean peer_reactivate(struct peer *p)
{
    guint hb = schedule_heartbeat(p);

    if (!wire_send_hello(p->addr)) {
        g_warning("peer %s: hello failed on reactivation", p->name);
        g_source_remove(hb);
        return FALSE;
    }
    p->heartbeat_id = hb;
    p->up = TRUE;
    return TRUE;
}

int peer_open_stream(struct peer *p)
{
    guint idle = schedule_idle_check(p); /* expect: missing-stop */
    char *path = g_strdup_printf("/run/meshd/%s.sock", p->name);
    int rc = -1;

    if (stream_connect(path) < 0) {
        g_warning("peer %s: cannot connect %s", p->name, path);
        goto out;
    }
    p->idle_id = idle;
    rc = 0;
out:
    g_free(path);
    return rc;
}

void peer_connection_lost(struct peer *p)
{
    guint id;

    p->up = FALSE;
    g_clear_handle_id(&p->heartbeat_id, g_source_remove);
    g_clear_handle_id(&p->idle_id, g_source_remove);
    id = schedule_retry(p);
    if (++p->failures > MAX_FAILURES) {
        g_warning("peer %s: %u failures, still retrying", p->name, p->failures);
        return;
    }
    g_debug("peer %s: retry scheduled as source %u", p->name, id);
}

void prober_start(struct prober *pr)
{
    guint id = 0;
    gsize i;

    for (i = 0; i < pr->n_targets; i++) {
        id = schedule_probe(&pr->targets[i]); /* expect: created-in-loop */
        g_debug("probing %s every %ums", pr->targets[i].addr,
                pr->targets[i].interval_ms);
    }
    pr->probe_id = id;
}

void prober_start_each(struct prober *pr)
{
    gsize i;

    for (i = 0; i < pr->n_targets; i++)
        pr->targets[i].probe_id = schedule_probe(&pr->targets[i]);
}

void prober_stop(struct prober *pr)
{
    gsize i;

    for (i = 0; i < pr->n_targets; i++)
        g_clear_handle_id(&pr->targets[i].probe_id, g_source_remove);
    g_clear_handle_id(&pr->probe_id, g_source_remove);
}
