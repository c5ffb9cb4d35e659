// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * #12 classes 2 and 6: a GSource attached to a context, whose reference is
 * then dropped with its attach id thrown away, runs on and nothing can
 * destroy it (missing-stop at the source's creation; created-in-loop when
 * that happens on every iteration). No finding when its callback can end
 * it, when the id attach returned is kept, or when it was destroyed (or
 * never attached) before the unref.
 */
#include <glib.h>

typedef struct {
    GMainContext *ctx;
    guint tick_id;
    guint beats;
} Monitor;

static gboolean beat(gpointer data)
{
    Monitor *m = data;

    m->beats++;
    return G_SOURCE_CONTINUE;
}

static gboolean once(gpointer data)
{
    Monitor *m = data;

    m->beats++;
    return G_SOURCE_REMOVE;
}

/* bad: attached, unreffed, id dropped, the callback never ends it */
void monitor_start(Monitor *m)
{
    GSource *src = g_timeout_source_new(1000); /* expect: missing-stop */

    g_source_set_callback(src, beat, m, NULL);
    g_source_attach(src, m->ctx);
    g_source_unref(src); /* note[missing-stop]: drops the last pointer to it while it is attached */
}

/* good: a one-shot ends itself */
void monitor_kick(Monitor *m)
{
    GSource *src = g_timeout_source_new(10);

    g_source_set_callback(src, once, m, NULL);
    g_source_attach(src, m->ctx);
    g_source_unref(src);
}

/* good: the id is kept, g_source_remove() can end it */
void monitor_start_kept(Monitor *m)
{
    GSource *src = g_timeout_source_new(1000);

    g_source_set_callback(src, beat, m, NULL);
    m->tick_id = g_source_attach(src, m->ctx);
    g_source_unref(src);
}

/* good: destroyed before the unref */
void monitor_probe(Monitor *m)
{
    GSource *src = g_timeout_source_new(1000);

    g_source_set_callback(src, beat, m, NULL);
    g_source_attach(src, m->ctx);
    g_main_context_iteration(m->ctx, FALSE);
    g_source_destroy(src);
    g_source_unref(src);
}

/* good: never attached */
void monitor_dry(Monitor *m)
{
    GSource *src = g_timeout_source_new(1000);

    g_source_set_callback(src, beat, m, NULL);
    g_source_unref(src);
}

/* bad: one unstoppable source per round */
void monitor_start_many(Monitor *m, guint n)
{
    for (guint i = 0; i < n; i++) {
        GSource *src = g_timeout_source_new(100 + i); /* expect: created-in-loop */

        g_source_set_callback(src, beat, m, NULL);
        g_source_attach(src, m->ctx);
        g_source_unref(src);
    }
}
