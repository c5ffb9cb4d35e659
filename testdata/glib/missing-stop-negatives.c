// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * missing-stop (glib), negatives: sources removed on every path, ids that
 * escape (an instance field through a pointer, a global, returned, code not
 * in this file), g_clear_handle_id(), GSource objects attached and
 * unreferenced, GTimers destroyed. No finding, except where marked.
 */
#include <glib.h>
#include <stdlib.h>

typedef struct {
    GMainLoop *loop;
    guint blink_id;
    guint save_id;
    GSource *flush_source;
    guint period_ms;
    int ticks;
} Editor;

static guint autosave_id;

extern void editor_track_source(Editor *ed, guint id);
extern gboolean editor_load(Editor *ed, const char *path);

static gboolean on_tick(gpointer data)
{
    Editor *ed = data;

    ed->ticks++;
    return G_SOURCE_CONTINUE;
}

/* Removes its parameter on every path. */
static void cancel_source(guint id)
{
    if (!g_source_remove(id))
        g_warning("source %u already gone", id);
}

/* good: removed on the error path and on the normal path */
gboolean good_removed_on_every_path(Editor *ed, const char *path)
{
    guint id = g_timeout_add(ed->period_ms, on_tick, ed);

    if (!editor_load(ed, path)) {
        g_source_remove(id);
        return FALSE;
    }
    g_main_loop_run(ed->loop);
    cancel_source(id);
    return TRUE;
}

/* good: g_clear_handle_id (a macro since 2.56) on every path */
void good_clear_handle_id(Editor *ed, const char *path)
{
    guint id = g_timeout_add_seconds(2, on_tick, ed);

    if (editor_load(ed, path))
        g_main_loop_run(ed->loop);
    g_clear_handle_id(&id, g_source_remove);
}

/* good: the id is kept in the instance, reached through a pointer */
void good_field_through_pointer(Editor *ed)
{
    if (ed->blink_id == 0)
        ed->blink_id = g_timeout_add(ed->period_ms, on_tick, ed);
}

/* good: a global id, removed by whoever disables autosave */
void good_global_id(Editor *ed)
{
    autosave_id = g_timeout_add_seconds(30, on_tick, ed);
}

/* good: the id is handed to code outside this file */
void good_passed_to_unknown(Editor *ed)
{
    guint id = g_idle_add(on_tick, ed);

    editor_track_source(ed, id);
}

/* good: the id is returned to the caller */
guint good_returned(Editor *ed)
{
    guint id = g_timeout_add_full(G_PRIORITY_LOW, ed->period_ms, on_tick, ed, NULL);

    return id;
}

/* good: a GSource attached to a context, then unreferenced (the context keeps it) */
guint good_source_attach_unref(Editor *ed, GMainContext *ctx)
{
    GSource *src = g_timeout_source_new_seconds(5);
    guint id;

    g_source_set_callback(src, on_tick, ed, NULL);
    id = g_source_attach(src, ctx);
    g_source_unref(src);
    return id;
}

/* good: a GSource kept in the instance */
void good_source_in_field(Editor *ed, GMainContext *ctx)
{
    GSource *src = g_idle_source_new();

    g_source_set_callback(src, on_tick, ed, NULL);
    g_source_attach(src, ctx);
    ed->flush_source = src;
}

/* good: a GTimer destroyed on every path */
double good_gtimer_destroyed(Editor *ed, const char *path)
{
    GTimer *t = g_timer_new();
    double secs = -1;

    if (editor_load(ed, path)) {
        g_main_loop_run(ed->loop);
        secs = g_timer_elapsed(t, NULL);
    }
    g_timer_destroy(t);
    return secs;
}

/* good: a flag tested twice: the id exists exactly when it is removed */
void good_flag_tested_twice(Editor *ed, gboolean blink)
{
    guint id = 0;

    if (blink)
        id = g_timeout_add(ed->period_ms, on_tick, ed);
    g_main_loop_run(ed->loop);
    if (blink)
        g_source_remove(id);
}

/* The finalizer frees the editor without removing ed->save_id, which
 * editor_schedule_save() added with ed as its data: the source then fires
 * on freed memory. A cross-function bug for the link phase. */
void editor_free(Editor *ed)
{
    if (ed->blink_id)
        g_source_remove(ed->blink_id);
    free(ed);
}

void editor_schedule_save(Editor *ed)
{
    ed->save_id = g_timeout_add_seconds(10, on_tick, ed); /* known-gap: field-never-stopped */
}
