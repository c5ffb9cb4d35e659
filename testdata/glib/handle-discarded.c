// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * handle-discarded (glib): the id of a source whose callback keeps it alive
 * (returns G_SOURCE_CONTINUE/TRUE) is thrown away: nothing can remove it,
 * and it fires with its data pointer for as long as the main loop runs.
 * Also a GSource or GTimer created and dropped. Reported on the creating
 * line.
 */
#include <glib.h>

typedef struct {
    int refreshes;
    gboolean visible;
} Panel;

static gboolean on_refresh(gpointer data)
{
    Panel *panel = data;

    panel->refreshes++;
    return TRUE;
}

static void refresh_once(gpointer data)
{
    Panel *panel = data;

    panel->refreshes++;
}

extern void panel_set_source(Panel *panel, guint id);

/* bad: a periodic refresh whose id is dropped: it outlives the panel */
void bad_refresh_id_dropped(Panel *panel)
{
    panel->visible = TRUE;
    g_timeout_add_seconds(1, on_refresh, panel); /* expect: handle-discarded */
}

/* bad: the id is explicitly discarded */
void bad_void_cast(Panel *panel)
{
    (void)g_timeout_add_full(G_PRIORITY_DEFAULT, 250, on_refresh, panel, NULL); /* expect: handle-discarded */
}

/* bad: the id is only compared against 0 */
gboolean bad_only_compared(Panel *panel)
{
    return g_idle_add(on_refresh, panel) != 0; /* expect: handle-discarded */
}

/* bad: a GTimer created for nothing */
void bad_gtimer_dropped(void)
{
    g_timer_new(); /* expect: handle-discarded */
}

/* good: g_timeout_add_once is one-shot by construction: dropping its id is its use */
void good_timeout_add_once_dropped(Panel *panel)
{
    g_timeout_add_once(100, refresh_once, panel);
}

/* good: the id goes straight to code outside this file */
void good_id_passed_on(Panel *panel)
{
    panel_set_source(panel, g_timeout_add_seconds(1, on_refresh, panel));
}

/* good: the id is returned */
guint good_id_returned(Panel *panel)
{
    return g_timeout_add(500, on_refresh, panel);
}
