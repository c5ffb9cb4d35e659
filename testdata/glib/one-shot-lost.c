// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * missing-stop (glib), a one-shot whose id is lost at a return: the same
 * hazard as a dropped id (one-shot-data.c), when the id was kept in a
 * local and a path returns without removing or storing it. The source
 * ends itself after it runs, but its data, a heap object this file frees,
 * may be freed first, and nothing can remove the source any more.
 * No finding when the data cannot be freed under it (static data, a
 * reference or a destroy notify the source holds), or when every path
 * keeps or removes the id.
 */
#include <glib.h>

struct request {
    char *path;
    guint timeout_id;
    int tries;
};

static struct request idle_request;

extern gboolean wire_send(const char *path);

void request_free(struct request *r)
{
    if (r->timeout_id)
        g_source_remove(r->timeout_id);
    g_free(r->path);
    g_free(r);
}

static gboolean request_expired(gpointer data)
{
    struct request *r = data;

    r->timeout_id = 0;
    r->tries++;
    return G_SOURCE_REMOVE;
}

/* bad: a failed send returns with the new id in a local only */
gboolean request_send(struct request *r, guint ms)
{
    guint id = g_timeout_add(ms, request_expired, r); /* expect: missing-stop */

    if (!wire_send(r->path))
        return FALSE;
    r->timeout_id = id;
    return TRUE;
}

/* good: the failed send removes it */
gboolean request_send_ok(struct request *r, guint ms)
{
    guint id = g_timeout_add(ms, request_expired, r);

    if (!wire_send(r->path)) {
        g_source_remove(id);
        return FALSE;
    }
    r->timeout_id = id;
    return TRUE;
}

/* good: static data is never freed */
gboolean request_send_idle(guint ms)
{
    guint id = g_timeout_add(ms, request_expired, &idle_request);

    if (!wire_send("idle"))
        return FALSE;
    idle_request.timeout_id = id;
    return TRUE;
}

static void request_unref_cb(gpointer data)
{
    request_free(data);
}

/* good: the source owns the request (its destroy notify frees it) */
gboolean request_send_owned(struct request *r, guint ms)
{
    guint id = g_timeout_add_full(G_PRIORITY_DEFAULT, ms, request_expired, r,
                                  request_unref_cb);

    if (!wire_send(r->path))
        return FALSE;
    return id != 0;
}
