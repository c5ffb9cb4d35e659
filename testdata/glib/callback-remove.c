// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
// scan: --link
/*
 * GLib sources whose callback removes them. A callback ends its own source
 * by returning G_SOURCE_REMOVE / FALSE, or by removing the id its source was
 * stored under: `g_source_remove(self->id); self->id = 0;` followed by
 * `return G_SOURCE_CONTINUE;` is harmless (the source is already destroyed;
 * GLib does not keep a destroyed source). Such an id, kept in a struct field
 * and removed by the callback, possibly only once its work is done, is
 * neither discarded (handle-discarded) nor a field nothing stops
 * (field-never-stopped), even when no other function removes it.
 *
 * Positives:
 *  - a repeating source (its callback always returns G_SOURCE_CONTINUE /
 *    TRUE and removes nothing) whose data is a heap object freed by a
 *    destroy function, its id dropped: handle-discarded on the creating
 *    line: nothing can remove it before the object is freed;
 *  - the callback removes the id stored in a field, but this source's id
 *    was dropped, never stored there: the callback removes another source
 *    (or id 0) and keeps this one: handle-discarded;
 *  - the callback removes the field's source, but a teardown frees the
 *    object while the source may still be pending, without removing it:
 *    field-never-stopped (link phase), where the field is set.
 */
#include <glib.h>

typedef struct {
    guint poll_id;   /* removed by on_poll once done, and in monitor_free */
    guint rate_id;   /* re-added by on_rate under the same field; removed in monitor_free */
    guint interval;
    int polls;
} Monitor;

typedef struct {
    guint blink_id;  /* removed by on_blink_once only; no teardown in this file */
    gboolean on;
} Blinker;

typedef struct {
    guint save_id;   /* the callback zeroes it and returns FALSE; removed in doc_free */
    gboolean dirty;
} Doc;

typedef struct {
    int hits;
} Counter;

typedef struct {
    int samples;
    double mean;
} Poller;

typedef struct {
    guint fade_id;   /* removed by on_fade_step, but fader_free frees without it: bad */
    double alpha;
} Fader;

/* Repeats until 10 polls, then removes its own source through the field. */
static gboolean on_poll(gpointer data)
{
    Monitor *m = data;

    if (++m->polls < 10)
        return G_SOURCE_CONTINUE;
    g_source_remove(m->poll_id);
    m->poll_id = 0;
    return G_SOURCE_CONTINUE;
}

/* Changes its own interval: removes its source, adds the next one under the
 * same field. */
static gboolean on_rate(gpointer data)
{
    Monitor *m = data;

    m->interval *= 2;
    g_source_remove(m->rate_id);
    m->rate_id = g_timeout_add(m->interval, on_rate, m);
    return G_SOURCE_CONTINUE;
}

/* Removes its own source on its first run. */
static gboolean on_blink_once(gpointer data)
{
    Blinker *b = data;

    b->on = !b->on;
    g_source_remove(b->blink_id);
    b->blink_id = 0;
    return G_SOURCE_CONTINUE;
}

/* One-shot: zeroes the stored id and returns FALSE. */
static gboolean on_save(gpointer data)
{
    Doc *d = data;

    d->save_id = 0;
    d->dirty = FALSE;
    return FALSE;
}

/* One-shot by its return value. */
static gboolean on_count_once(gpointer data)
{
    ((Counter *)data)->hits++;
    return G_SOURCE_REMOVE;
}

/* Repeats forever and removes nothing. */
static gboolean on_sample(gpointer data)
{
    Poller *p = data;

    p->samples++;
    return TRUE;
}

/* Fades out, then removes its own source through the field. */
static gboolean on_fade_step(gpointer data)
{
    Fader *f = data;

    f->alpha -= 0.1;
    if (f->alpha > 0.0)
        return G_SOURCE_CONTINUE;
    g_source_remove(f->fade_id);
    f->fade_id = 0;
    return G_SOURCE_CONTINUE;
}

/* good: the id is stored; the callback removes it once done */
void monitor_start(Monitor *m)
{
    m->poll_id = g_timeout_add(100, on_poll, m);
    m->rate_id = g_timeout_add(m->interval, on_rate, m);
}

void monitor_free(Monitor *m)
{
    if (m->poll_id)
        g_source_remove(m->poll_id);
    g_clear_handle_id(&m->rate_id, g_source_remove);
    g_free(m);
}

/* good: the id is stored; the callback's first run removes it, and no
 * teardown in this file frees the blinker */
void blinker_start(Blinker *b)
{
    b->blink_id = g_timeout_add(500, on_blink_once, b);
}

/* good: a one-shot source kept in a field, removed by the teardown if still pending */
void doc_changed(Doc *d)
{
    d->dirty = TRUE;
    if (d->save_id == 0)
        d->save_id = g_timeout_add_seconds(2, on_save, d);
}

void doc_free(Doc *d)
{
    g_clear_handle_id(&d->save_id, g_source_remove);
    g_free(d);
}

/* good: a one-shot (G_SOURCE_REMOVE) with its id dropped; Counter has no
 * free function here */
void good_count_once(Counter *c)
{
    g_idle_add(on_count_once, c);
}

Poller *poller_new(void)
{
    Poller *p = g_new0(Poller, 1);

    g_timeout_add(100, on_sample, p); /* expect: handle-discarded */
    return p;
}

void poller_destroy(Poller *p)
{
    g_free(p);
}

/* bad: a repeating source on a caller's poller, its id dropped */
void bad_sample_poller(Poller *p)
{
    p->mean = 0.0;
    g_timeout_add_seconds(1, on_sample, p); /* expect: handle-discarded */
}

/* bad: on_poll removes m->poll_id, which is not this source's id: this one
 * is never removed and keeps calling on_poll on m */
void bad_monitor_kick(Monitor *m)
{
    m->polls = 0;
    g_timeout_add(10, on_poll, m); /* expect: handle-discarded */
}

/* bad: the fade removes itself when it ends, but fader_free may run first */
void fader_start(Fader *f)
{
    f->alpha = 1.0;
    f->fade_id = g_timeout_add(16, on_fade_step, f); /* expect: field-never-stopped */
}

void fader_free(Fader *f)
{
    g_free(f);
}
