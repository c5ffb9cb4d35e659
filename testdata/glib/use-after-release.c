// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * use-after-release (glib): g_source_remove() twice on the same id (GLib
 * warns "Source ID %u was not found", or removes an unrelated source that
 * reused the id), a GSource used after its last g_source_unref(), a GTimer
 * used after g_timer_destroy(). Reported on the offending call.
 */
#include <glib.h>

typedef struct {
    GMainLoop *loop;
    guint period_ms;
    gboolean cancelled;
    int ticks;
} Blinker;

static gboolean on_blink(gpointer data)
{
    Blinker *b = data;

    b->ticks++;
    return G_SOURCE_CONTINUE;
}

/* Removes its parameter on every path. */
static void stop_blinking(Blinker *b, guint id)
{
    g_source_remove(id);
    b->ticks = 0;
}

/* bad: the cancel branch removes the source and the common exit removes it again */
void bad_double_remove(Blinker *b)
{
    guint id = g_timeout_add(b->period_ms, on_blink, b);

    g_main_loop_run(b->loop);
    if (b->cancelled)
        g_source_remove(id);
    g_source_remove(id); /* expect: use-after-release */
}

/* bad: a same-file helper removes the source, then the caller removes it again */
void bad_remove_after_helper(Blinker *b)
{
    guint id = g_timeout_add_seconds(1, on_blink, b);

    g_main_loop_run(b->loop);
    stop_blinking(b, id);
    g_source_remove(id); /* expect: use-after-release */
}

/* bad: the GSource is attached after its only reference was dropped */
void bad_attach_after_unref(Blinker *b, GMainContext *ctx)
{
    GSource *src = g_timeout_source_new(b->period_ms);

    g_source_set_callback(src, on_blink, b, NULL);
    g_source_unref(src);
    g_source_attach(src, ctx); /* expect: use-after-release */
}

/* bad: the elapsed time is read after the GTimer was destroyed */
double bad_elapsed_after_destroy(Blinker *b)
{
    GTimer *t = g_timer_new();

    g_main_loop_run(b->loop);
    g_timer_stop(t);
    g_timer_destroy(t);
    return g_timer_elapsed(t, NULL); /* expect: use-after-release */
}

/* bad: an id owned by the caller is removed twice */
void bad_double_remove_param(guint id)
{
    g_source_remove(id);
    g_source_remove(id); /* expect: use-after-release */
}

/* good: removed, re-added into the same variable, removed again */
void good_readd_after_remove(Blinker *b)
{
    guint id = g_timeout_add(b->period_ms, on_blink, b);

    g_main_loop_run(b->loop);
    g_source_remove(id);
    id = g_timeout_add(b->period_ms * 2, on_blink, b);
    g_main_loop_run(b->loop);
    g_source_remove(id);
}

/* good: destroyed, then unreferenced: the documented GSource teardown */
void good_destroy_then_unref(Blinker *b, GMainContext *ctx)
{
    GSource *src = g_idle_source_new();

    g_source_set_priority(src, G_PRIORITY_LOW);
    g_source_set_callback(src, on_blink, b, NULL);
    g_source_attach(src, ctx);
    g_main_loop_run(b->loop);
    g_source_destroy(src);
    g_source_unref(src);
}
