// scan: --link
// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include
/* meshd: keeps a registry of mesh peers with keep-alives, polls attached
 * radio devices, runs authenticated sessions with deadlines and token
 * refresh, and reports file transfer progress, all on the GLib main loop. */
#include <glib.h>
#include <string.h>

#define KEEPALIVE_SECS   15
#define POLL_MS          500
#define DEADLINE_SECS    120
#define REFRESH_SECS     300
#define PROGRESS_MS      250

struct radio_bus;
struct peer_link;
struct work_list;

/* radio.c, link.c, xfer.c, log.c */
extern struct radio_bus *bus_ref(struct radio_bus *bus);
extern void bus_unref(struct radio_bus *bus);
extern gboolean bus_read_rssi(struct radio_bus *bus, const gchar *dev, gint *rssi);
extern void log_str(const gchar *s);
extern void queue_destroy(struct work_list *list, GDestroyNotify item_free);
extern gboolean link_send_ping(struct peer_link *link);
extern void link_close(struct peer_link *link);
extern void transfer_notify_done(gpointer xfer);
extern gboolean token_refresh(const gchar *token);

typedef struct {
    gchar *id;
    struct peer_link *link;
    guint keepalive_id;
    guint missed;
} MeshPeer;

typedef struct {
    gchar *name;
    struct radio_bus *bus;
    struct work_list *list;
    guint poll_id;
    gint last_rssi;
} RadioDevice;

typedef struct {
    gint ref;
    gchar *token;
    guint deadline_id;
    guint refresh_id;
} AuthSession;

typedef struct {
    gchar *path;
    guint64 done, total;
    guint progress_id;
} Transfer;

static GHashTable *peers;

static void item_free(gpointer item)
{
    g_free(item);
}

static void peer_free(gpointer data)
{
    MeshPeer *p = data;

    link_close(p->link);
    g_free(p->id);
    g_free(p);
}

static gboolean peer_keepalive_cb(gpointer data)
{
    MeshPeer *p = data;

    if (!link_send_ping(p->link))
        p->missed++;
    return G_SOURCE_CONTINUE;
}

void peers_init(void)
{
    peers = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, peer_free);
}

void peer_add(const gchar *id, struct peer_link *link)
{
    MeshPeer *p = g_new0(MeshPeer, 1);

    p->id = g_strdup(id);
    p->link = link;
    p->keepalive_id = g_timeout_add_seconds(KEEPALIVE_SECS, peer_keepalive_cb, p); /* expect: field-never-stopped */
    g_hash_table_replace(peers, p->id, p);
}

/* The peer announced it goes to sleep: stop pinging it. */
void peer_suspend(const gchar *id)
{
    MeshPeer *p = g_hash_table_lookup(peers, id);

    if (p && p->keepalive_id) {
        g_source_remove(p->keepalive_id);
        p->keepalive_id = 0;
    }
}

void peer_remove(const gchar *id)
{
    g_hash_table_remove(peers, id);
}

static gboolean device_poll_cb(gpointer data)
{
    RadioDevice *dev = data;

    bus_read_rssi(dev->bus, dev->name, &dev->last_rssi);
    return G_SOURCE_CONTINUE;
}

RadioDevice *device_attach(struct radio_bus *bus, const gchar *name,
                           struct work_list *list)
{
    RadioDevice *dev = g_new0(RadioDevice, 1);

    dev->name = g_strdup(name);
    dev->bus = bus_ref(bus);
    dev->list = list;
    dev->poll_id = g_timeout_add(POLL_MS, device_poll_cb, dev); /* expect: field-never-stopped */
    return dev;
}

/* The device switched to interrupt-driven reports. */
void device_set_passive(RadioDevice *dev)
{
    if (dev->poll_id) {
        g_source_remove(dev->poll_id);
        dev->poll_id = 0;
    }
}

void device_free(RadioDevice *dev)
{
    bus_unref(dev->bus);
    log_str(dev->name);
    queue_destroy(dev->list, item_free);
    g_free(dev->name);
    g_free(dev);
}

static gboolean session_deadline_cb(gpointer data)
{
    AuthSession *s = data;

    s->deadline_id = 0;
    g_clear_pointer(&s->token, g_free);
    return G_SOURCE_REMOVE;
}

static gboolean session_refresh_cb(gpointer data)
{
    AuthSession *s = data;

    if (s->token)
        token_refresh(s->token);
    return G_SOURCE_CONTINUE;
}

AuthSession *session_open(const gchar *token)
{
    AuthSession *s = g_new0(AuthSession, 1);

    s->ref = 1;
    s->token = g_strdup(token);
    s->deadline_id = g_timeout_add_seconds(DEADLINE_SECS, session_deadline_cb, s);
    s->refresh_id = g_timeout_add_seconds(REFRESH_SECS, session_refresh_cb, s); /* expect: field-never-stopped */
    return s;
}

/* Long-lived service token: no more refreshes. */
void session_freeze(AuthSession *s)
{
    if (s->refresh_id) {
        g_source_remove(s->refresh_id);
        s->refresh_id = 0;
    }
}

static void session_clear_deadline(AuthSession *s)
{
    if (s->deadline_id) {
        g_source_remove(s->deadline_id);
        s->deadline_id = 0;
    }
}

AuthSession *session_ref(AuthSession *s)
{
    s->ref++;
    return s;
}

void session_unref(AuthSession *s)
{
    if (--s->ref > 0)
        return;
    session_clear_deadline(s);
    g_free(s->token);
    g_free(s);
}

static gboolean transfer_progress_cb(gpointer data)
{
    Transfer *t = data;

    g_message("%s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
              t->path, t->done, t->total);
    return G_SOURCE_CONTINUE;
}

Transfer *transfer_start(const gchar *path, guint64 total)
{
    Transfer *t = g_new0(Transfer, 1);

    t->path = g_strdup(path);
    t->total = total;
    t->progress_id = g_timeout_add(PROGRESS_MS, transfer_progress_cb, t);
    return t;
}

void transfer_pause(Transfer *t)
{
    g_source_remove(t->progress_id);
    t->progress_id = 0;
}

void transfer_finish(Transfer *t)
{
    gpointer owner = t;

    g_free(t->path);
    transfer_notify_done(owner);
    g_free(t);
}
