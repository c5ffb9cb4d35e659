// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * missing-stop (glib): a source id from g_timeout_add*()/g_idle_add*() whose
 * callback keeps the source (returns G_SOURCE_CONTINUE/TRUE) is not given
 * to g_source_remove() on some path that leaves the function: the callback
 * keeps firing with a data pointer that may be gone. Also a GSource or
 * GTimer object that is not unreferenced/destroyed. Reported on the
 * creating line.
 */
#include <glib.h>
#include <stdio.h>

typedef struct {
    GMainLoop *loop;
    const char *name;
    guint interval_ms;
    int ticks;
    gboolean failed;
} Poller;

static gboolean on_poll(gpointer data)
{
    Poller *p = data;

    p->ticks++;
    return G_SOURCE_CONTINUE;
}

static gboolean on_watchdog(gpointer data)
{
    Poller *p = data;

    p->failed = TRUE;
    g_main_loop_quit(p->loop);
    return TRUE;
}

extern gboolean poller_connect(Poller *p, GError **error);

/* bad: the connect error returns while the watchdog source still points at p */
gboolean bad_watchdog_left_on_error(Poller *p, GError **error)
{
    guint watchdog;

    watchdog = g_timeout_add_seconds(5, on_watchdog, p); /* expect: missing-stop */ /* note[missing-stop]: timer 'watchdog' created here by g_timeout_add_seconds() */
    if (!poller_connect(p, error)) /* note[missing-stop]: taking the true branch: '!poller_connect(p, error)' is true */
        return FALSE; /* note[missing-stop]: returning here without g_source_remove() */
    g_main_loop_run(p->loop);
    g_source_remove(watchdog);
    return !p->failed;
}

/* bad: the name check after the g_timeout_add returns early */
int bad_validation_after_add(Poller *p)
{
    guint id = g_timeout_add(p->interval_ms, on_poll, p); /* expect: missing-stop */

    if (p->name == NULL || p->interval_ms == 0)
        return -1; /* note[missing-stop]: returning here without g_source_remove() */
    g_main_loop_run(p->loop);
    g_source_remove(id);
    return p->ticks;
}

/* bad: an idle source that keeps running is left behind on the early exit */
int bad_idle_left_on_early_exit(Poller *p, int budget)
{
    guint idle_id;
    int spins = 0;

    idle_id = g_idle_add_full(G_PRIORITY_LOW, on_poll, p, NULL); /* expect: missing-stop */
    while (spins++ < budget) { /* note[missing-stop]: taking the true branch: 'spins++ < budget' is true */
        if (p->failed) /* note[missing-stop]: taking the true branch: 'p->failed' is true */
            return -1; /* note[missing-stop]: returning here without g_source_remove() */
        g_main_context_iteration(g_main_loop_get_context(p->loop), TRUE);
    }
    g_source_remove(idle_id);
    return p->ticks;
}

/* bad: the old poll source is overwritten by a re-add, never removed */
void bad_readd_overwrites_id(Poller *p, gboolean faster)
{
    guint id;

    id = g_timeout_add(p->interval_ms, on_poll, p); /* expect: missing-stop */
    if (faster) /* note[missing-stop]: taking the true branch: 'faster' is true */
        id = g_timeout_add_full(G_PRIORITY_HIGH, p->interval_ms / 2, on_poll, p, NULL); /* note[missing-stop]: 'id' overwritten here: the previous timer is lost */
    g_main_loop_run(p->loop);
    g_source_remove(id);
}

/* bad: a GSource created but not unreferenced when the attach is skipped */
guint bad_source_ref_leaked(Poller *p, GMainContext *ctx)
{
    GSource *src = g_timeout_source_new(p->interval_ms); /* expect: missing-stop */
    guint id;

    if (ctx == NULL) /* note[missing-stop]: taking the true branch: 'ctx == NULL' is true */
        return 0; /* note[missing-stop]: returning here without g_source_unref() */
    g_source_set_callback(src, on_poll, p, NULL);
    id = g_source_attach(src, ctx);
    g_source_unref(src);
    return id;
}

/* bad: the GTimer is not destroyed when the loop reports a failure */
double bad_gtimer_leaked_on_failure(Poller *p)
{
    GTimer *timer = g_timer_new(); /* expect: missing-stop */ /* note[missing-stop]: timer 'timer' created here by g_timer_new() */
    double secs;

    g_main_loop_run(p->loop);
    if (p->failed) { /* note[missing-stop]: taking the true branch: 'p->failed' is true */
        fprintf(stderr, "%s: failed\n", p->name);
        return -1.0; /* note[missing-stop]: returning here without g_timer_destroy() */
    }
    secs = g_timer_elapsed(timer, NULL);
    g_timer_destroy(timer);
    return secs;
}
