// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/* A GLib source whose callback can return FALSE / G_SOURCE_REMOVE ends
 * itself (after one run, or once its work is done): dropping its id is
 * fine. One whose callback only ever returns TRUE / G_SOURCE_CONTINUE
 * repeats until someone removes it. */
#include <glib.h>

typedef struct {
    GMainLoop *loop;
    int ticks;
} App;

static gboolean quit_once(gpointer data)
{
    g_main_loop_quit(((App *)data)->loop);
    return G_SOURCE_REMOVE;
}

static gboolean poll_until_done(gpointer data)
{
    App *app = data;
    if (++app->ticks < 10)
        return G_SOURCE_CONTINUE;
    return G_SOURCE_REMOVE;
}

static gboolean flush_once(gpointer data)
{
    App *app = data;
    if (app->ticks > 3)
        return FALSE;
    app->ticks++;
    return FALSE;
}

static gboolean tick_forever(gpointer data)
{
    ((App *)data)->ticks++;
    return TRUE;
}

/* good: one-shot: the source removes itself when quit_once returns */
void good_one_shot_timeout(App *app)
{
    g_timeout_add(100, quit_once, app);
}

/* good: every return of flush_once is FALSE */
void good_one_shot_idle(App *app)
{
    g_idle_add(flush_once, app);
}

/* good: poll_until_done repeats, but ends its source once the work is
 * done: it limits itself (on Redis, evictionTimeProc has this shape) */
void good_repeats_until_done(App *app)
{
    g_timeout_add(100, poll_until_done, app);
}

/* bad: a callback that always continues, its id thrown away */
void bad_forever_id_dropped(App *app)
{
    g_timeout_add_seconds(1, tick_forever, app); /* expect: handle-discarded */
}

/* bad: a repeating source is not removed on the early return */
gboolean bad_repeating_error_path(App *app, gboolean ok)
{
    guint id = g_timeout_add(50, tick_forever, app); /* expect: missing-stop */
    if (!ok)
        return FALSE;
    g_source_remove(id);
    return TRUE;
}

/* good: the same shape with a one-shot callback */
gboolean good_one_shot_error_path(App *app, gboolean ok)
{
    guint id = g_timeout_add(50, quit_once, app);
    if (!ok)
        return FALSE;
    g_source_remove(id);
    return TRUE;
}
