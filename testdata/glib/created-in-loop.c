// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * created-in-loop (glib): a repeating source added in a loop body whose id
 * (or GSource/GTimer) is still live when the iteration ends. Reported on the
 * creating line.
 */
#include <glib.h>

typedef struct {
    GMainLoop *loop;
    guint n_probes;
    guint period_ms;
    int replies;
} Prober;

static gboolean on_probe(gpointer data)
{
    Prober *pr = data;

    pr->replies++;
    return G_SOURCE_CONTINUE;
}

/* Removes its parameter on every path. */
static void remove_source(guint id)
{
    g_source_remove(id);
}

/* bad: one repeating source per probe; earlier ids are lost */
void bad_add_per_probe(Prober *pr)
{
    for (guint i = 0; i < pr->n_probes; i++) {
        guint id = g_timeout_add(pr->period_ms * (i + 1), on_probe, pr); /* expect: created-in-loop */

        g_main_context_iteration(NULL, FALSE);
        (void)id;
    }
}

/* bad: `continue` on the first round skips the removal */
void bad_continue_skips_remove(Prober *pr)
{
    for (guint i = 0; i < pr->n_probes; i++) {
        guint id = g_idle_add(on_probe, pr); /* expect: created-in-loop */

        if (i == 0)
            continue;
        g_main_context_iteration(NULL, TRUE);
        g_source_remove(id);
    }
}

/* bad: a GTimer per round, never destroyed */
double bad_gtimer_per_round(Prober *pr)
{
    double total = 0;

    for (guint i = 0; i < pr->n_probes; i++) {
        GTimer *t = g_timer_new(); /* expect: created-in-loop */

        g_main_context_iteration(NULL, TRUE);
        total += g_timer_elapsed(t, NULL);
    }
    return total;
}

/* good: each round removes its source (through a same-file helper) */
void good_remove_each_round(Prober *pr)
{
    for (guint i = 0; i < pr->n_probes; i++) {
        guint id = g_timeout_add(pr->period_ms, on_probe, pr);

        g_main_context_iteration(NULL, TRUE);
        remove_source(id);
    }
}

/* good: one GTimer reused across rounds with g_timer_start */
double good_one_gtimer_restarted(Prober *pr)
{
    GTimer *t = g_timer_new();
    double worst = 0;

    for (guint i = 0; i < pr->n_probes; i++) {
        g_timer_start(t);
        g_main_context_iteration(NULL, TRUE);
        worst = MAX(worst, g_timer_elapsed(t, NULL));
    }
    g_timer_destroy(t);
    return worst;
}

/* good: the ids go into caller-owned array slots */
void good_ids_into_array(Prober *pr, guint *ids)
{
    for (guint i = 0; i < pr->n_probes; i++)
        ids[i] = g_timeout_add(pr->period_ms, on_probe, pr);
}
