// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
// scan: --link
/*
 * field-never-stopped (#15 item 6): a source id stored into a field by a
 * helper (session_schedule_retry) called from elsewhere is attributed to
 * the field: the call is not a hand-off to unknown code. No function
 * removes retry_id, and session_free() frees the session. The keepalive
 * field, started the same way, is removed in session_free(): no finding.
 */
#include <glib.h>

typedef struct {
    guint retry_id;
    guint keepalive_id;
    int failures;
    char *peer;
} Session;

extern gboolean transport_connect(const char *peer);
extern void transport_ping(const char *peer);

static gboolean session_retry_cb(gpointer data)
{
    Session *s = data;

    if (transport_connect(s->peer)) {
        s->retry_id = 0;
        return G_SOURCE_REMOVE;
    }
    s->failures++;
    return G_SOURCE_CONTINUE;
}

static gboolean session_keepalive_cb(gpointer data)
{
    Session *s = data;

    transport_ping(s->peer);
    return G_SOURCE_CONTINUE;
}

static void session_schedule_retry(Session *s)
{
    s->retry_id = g_timeout_add_seconds(5, session_retry_cb, s); /* expect: field-never-stopped */
}

static void session_start_keepalive(Session *s)
{
    s->keepalive_id = g_timeout_add_seconds(30, session_keepalive_cb, s);
}

void session_connect(Session *s)
{
    if (!transport_connect(s->peer))
        session_schedule_retry(s);
    else
        session_start_keepalive(s);
}

void session_free(Session *s)
{
    if (s->keepalive_id)
        g_source_remove(s->keepalive_id);
    g_free(s->peer);
    g_free(s);
}
