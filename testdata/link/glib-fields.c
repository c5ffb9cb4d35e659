// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
// scan: --link
/* field-never-stopped with GLib sources kept in an object's fields: an id
 * removed in dispose (directly or with g_clear_handle_id) is fine; an id
 * nothing removes fires after the object is freed. A one-shot source
 * (its callback always returns G_SOURCE_REMOVE) removes itself, but only
 * once it ran: viewer_dispose() may free the viewer first, and on_hint()
 * then writes into freed memory (#15 item 5: one-shot is not harmless;
 * this case read "no finding" before that). */
#include <glib.h>

typedef struct {
    guint refresh_id; /* removed in viewer_dispose */
    guint blink_id;   /* cleared with g_clear_handle_id */
    guint save_id;    /* never removed: bad */
    guint hint_id;    /* one-shot, not removed in dispose: bad */
    int ticks;
} Viewer;

static gboolean on_tick(gpointer data)
{
    ((Viewer *)data)->ticks++;
    return G_SOURCE_CONTINUE;
}

static gboolean on_hint(gpointer data)
{
    ((Viewer *)data)->ticks = 0;
    return G_SOURCE_REMOVE;
}

static GTimer *uptime; /* a stopwatch (field-check: false): never destroyed, never fires */

void viewer_init(Viewer *v)
{
    uptime = g_timer_new();
    v->refresh_id = g_timeout_add(100, on_tick, v);
    v->blink_id = g_timeout_add(500, on_tick, v);
    v->save_id = g_timeout_add_seconds(30, on_tick, v); /* expect: field-never-stopped */
    v->hint_id = g_timeout_add(2000, on_hint, v); /* expect: field-never-stopped */
}

void viewer_dispose(Viewer *v)
{
    if (v->refresh_id) {
        g_source_remove(v->refresh_id);
        v->refresh_id = 0;
    }
    g_clear_handle_id(&v->blink_id, g_source_remove);
    g_free(v);
}
