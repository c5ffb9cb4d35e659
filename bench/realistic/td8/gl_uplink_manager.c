// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include
/* uplinkd: keeps a set of uplinks to the collector alive.  Each uplink
 * has a keepalive, a reconnect back-off, a periodic stats push and a
 * delayed flush of queued records, all on the default main context. */
#include <glib.h>
#include <string.h>

#define RECONNECT_BASE_MS   500
#define RECONNECT_MAX_MS    30000
#define STATS_PUSH_SECS     15
#define FLUSH_DELAY_MS      200

struct uplink_queue;

/* transport.c, stats.c, queue.c */
extern gboolean transport_connect_async(const char *host, guint16 port, gpointer user);
extern gboolean transport_send_keepalive(const char *host);
extern void stats_collector_detach(gpointer owner);
extern void stats_collector_push(const char *name, guint64 sent, guint64 dropped);
extern gsize queue_flush(struct uplink_queue *q);
extern gsize queue_length(const struct uplink_queue *q);

struct uplink {
    char *name;
    char *host;
    guint16 port;
    gboolean connected;
    guint failures;
    guint keepalive_id;
    guint reconnect_id;
    guint stats_id;
    guint flush_id;
    guint64 sent, dropped;
    struct uplink_queue *queue;
};

static gboolean uplink_reconnect_cb(gpointer data);

static gboolean uplink_keepalive_cb(gpointer data)
{
    struct uplink *u = data;

    if (!transport_send_keepalive(u->host))
        g_warning("uplink %s: keepalive not sent", u->name);
    return G_SOURCE_CONTINUE;
}

static gboolean uplink_stats_cb(gpointer data)
{
    struct uplink *u = data;

    stats_collector_push(u->name, u->sent, u->dropped);
    return G_SOURCE_CONTINUE;
}

static gboolean uplink_flush_cb(gpointer data)
{
    struct uplink *u = data;
    gsize n = queue_flush(u->queue);

    u->sent += n;
    if (queue_length(u->queue) > 0)
        return G_SOURCE_CONTINUE;
    u->flush_id = 0;
    return G_SOURCE_REMOVE;
}

static guint uplink_backoff_ms(const struct uplink *u)
{
    guint ms = RECONNECT_BASE_MS << MIN(u->failures, 6u);

    return MIN(ms, RECONNECT_MAX_MS);
}

static void uplink_schedule_reconnect(struct uplink *u)
{
    if (u->reconnect_id == 0)
        u->reconnect_id = g_timeout_add(uplink_backoff_ms(u), uplink_reconnect_cb, u);
}

static gboolean uplink_reconnect_cb(gpointer data)
{
    struct uplink *u = data;

    g_return_val_if_fail(u->reconnect_id != 0, G_SOURCE_REMOVE);
    u->reconnect_id = 0;
    if (!transport_connect_async(u->host, u->port, u)) {
        u->failures++;
        uplink_schedule_reconnect(u);
    }
    return G_SOURCE_REMOVE;
}

void uplink_set_keepalive(struct uplink *u, guint secs)
{
    if (u->keepalive_id != 0)
        g_debug("uplink %s: keepalive interval now %us", u->name, secs);
    u->keepalive_id = g_timeout_add_seconds(secs, uplink_keepalive_cb, u); /* expect: missing-stop */
}

void uplink_on_connected(struct uplink *u)
{
    u->connected = TRUE;
    u->failures = 0;
    if (u->reconnect_id > 0) {
        g_info("uplink %s: connected, dropping pending reconnect", u->name);
        u->reconnect_id = 0; /* expect: missing-stop */
    }
    uplink_set_keepalive(u, 10);
}

void uplink_on_disconnected(struct uplink *u)
{
    u->connected = FALSE;
    if (u->keepalive_id) {
        g_source_remove(u->keepalive_id);
        u->keepalive_id = 0;
    }
    u->failures++;
    uplink_schedule_reconnect(u);
}

void uplink_queue_changed(struct uplink *u)
{
    if (u->flush_id != 0)
        return;
    u->flush_id = g_timeout_add(FLUSH_DELAY_MS, uplink_flush_cb, u);
}

void uplink_suspend(struct uplink *u)
{
    if (!u->flush_id)
        return;
    g_debug("uplink %s: suspending with %" G_GSIZE_FORMAT " queued",
            u->name, queue_length(u->queue));
    u->flush_id = 0; /* expect: missing-stop */
}

void uplink_resume(struct uplink *u)
{
    if (queue_length(u->queue) > 0 && u->flush_id == 0)
        u->flush_id = g_timeout_add(FLUSH_DELAY_MS, uplink_flush_cb, u);
}

void uplink_stats_disable(struct uplink *u)
{
    g_clear_handle_id(&u->stats_id, g_source_remove);
}

void uplink_stats_handover(struct uplink *u)
{
    if (u->stats_id) {
        stats_collector_detach(u);
        u->stats_id = 0;
    }
}

struct uplink *uplink_new(const char *name, const char *host, guint16 port,
                          struct uplink_queue *q)
{
    struct uplink *u = g_new0(struct uplink, 1);

    u->name = g_strdup(name);
    u->host = g_strdup(host);
    u->port = port;
    u->queue = q;
    u->stats_id = g_timeout_add_seconds(STATS_PUSH_SECS, uplink_stats_cb, u);
    return u;
}

void uplink_restart_stats(struct uplink *u, guint secs)
{
    u->stats_id = g_timeout_add_seconds(secs, uplink_stats_cb, u);
}

void uplink_free(struct uplink *u)
{
    if (u->keepalive_id) {
        g_source_remove(u->keepalive_id);
        u->keepalive_id = 0;
    }
    if (u->reconnect_id > 0) {
        g_source_remove(u->reconnect_id);
        u->reconnect_id = 0;
    }
    g_clear_handle_id(&u->stats_id, g_source_remove);
    g_clear_handle_id(&u->flush_id, g_source_remove);
    g_free(u->name);
    g_free(u->host);
    g_free(u);
}
