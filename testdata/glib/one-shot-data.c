// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * handle-discarded (glib), a one-shot is not harmless: a source whose
 * callback always returns G_SOURCE_REMOVE runs once, but not at once. If
 * its data is a heap object that this file frees (a free or unref function
 * of its type that ends in g_free), the object may be freed before the
 * source fires, and with the id dropped nothing can remove the source
 * first: the callback then runs on freed memory. Reported on the
 * g_idle_add / g_timeout_add line. g_timeout_add_once() is one-shot by
 * construction and has the same hazard.
 *
 * No finding when the data cannot be freed under the source: NULL data,
 * static or global data (even of a type that has a free function), a
 * string literal, a heap object nothing frees, a reference the source
 * holds (taken for it, dropped by the callback or by the destroy notify),
 * an object handed to the source alone (allocated here, freed by the
 * callback); nor when the id is kept in the object and its free function
 * removes it.
 */
#include <glib.h>

struct player {
    guint refcount;
    char *uri;
    double pos;
    guint notify_id;   /* removed in player_unref */
};

struct track {
    char *title;
    int plays;
};

struct message {
    char *text;
    int to;
};

struct stats {
    int frames;
};

struct app_config {
    char *theme;
    int volume;
};

static struct player default_player;
static struct stats g_stats;

extern void bus_post(int to, const char *text);

struct player *player_new(const char *uri)
{
    struct player *p = g_new0(struct player, 1);

    p->refcount = 1;
    p->uri = g_strdup(uri);
    return p;
}

struct player *player_ref(struct player *p)
{
    p->refcount++;
    return p;
}

void player_unref(struct player *p)
{
    if (--p->refcount > 0)
        return;
    if (p->notify_id)
        g_source_remove(p->notify_id);
    g_free(p->uri);
    g_free(p);
}

void track_free(struct track *t)
{
    g_free(t->title);
    g_free(t);
}

static void message_free(struct message *m)
{
    g_free(m->text);
    g_free(m);
}

static gboolean emit_seeked(gpointer data)
{
    struct player *p = data;

    g_print("%s: seeked to %f\n", p->uri, p->pos);
    return G_SOURCE_REMOVE;
}

static gboolean emit_seeked_and_unref(gpointer data)
{
    struct player *p = data;

    g_print("%s: seeked to %f\n", p->uri, p->pos);
    player_unref(p);
    return G_SOURCE_REMOVE;
}

static gboolean emit_notify(gpointer data)
{
    struct player *p = data;

    p->notify_id = 0;
    g_print("%s: state changed\n", p->uri);
    return G_SOURCE_REMOVE;
}

static gboolean announce_track(gpointer data)
{
    struct track *t = data;

    g_print("now playing %s\n", t->title);
    return FALSE;
}

static void count_play_once(gpointer data)
{
    ((struct track *)data)->plays++;
}

static gboolean deliver_message(gpointer data)
{
    struct message *m = data;

    bus_post(m->to, m->text);
    message_free(m);
    return G_SOURCE_REMOVE;
}

static gboolean print_banner(gpointer data)
{
    g_print("%s\n", (const char *)data);
    return G_SOURCE_REMOVE;
}

static gboolean report_stats(gpointer data)
{
    struct stats *s = data;

    g_print("%d frames\n", s->frames);
    return G_SOURCE_REMOVE;
}

static gboolean apply_theme(gpointer data)
{
    struct app_config *cfg = data;

    g_print("theme %s\n", cfg->theme);
    return G_SOURCE_REMOVE;
}

static gboolean flush_logs(gpointer data)
{
    (void)data;
    return G_SOURCE_REMOVE;
}

/* bad: the caller may unref the player before the idle runs */
void bad_seek_idle(struct player *p, double pos)
{
    p->pos = pos;
    g_idle_add(emit_seeked, p); /* expect: handle-discarded */
}

/* bad: a new track announced in 500 ms; the caller may track_free() it first */
struct track *bad_track_new_announced(const char *title)
{
    struct track *t = g_new0(struct track, 1);

    t->title = g_strdup(title);
    g_timeout_add(500, announce_track, t); /* expect: handle-discarded */
    return t;
}

/* bad: the same with the _full variant and no destroy notify, id cast away */
void bad_seek_idle_full(struct player *p)
{
    (void)g_idle_add_full(G_PRIORITY_HIGH, emit_seeked, p, NULL); /* expect: handle-discarded */
}

/* bad: g_timeout_add_once on a track that track_free() may free first */
void bad_count_play_once(struct track *t)
{
    g_timeout_add_once(100, count_play_once, t); /* expect: handle-discarded */
}

/* good: no data */
void good_null_data(void)
{
    g_idle_add(flush_logs, NULL);
}

/* good: a static player is never freed, though its type has player_unref() */
void good_static_player(double pos)
{
    default_player.pos = pos;
    g_idle_add(emit_seeked, &default_player);
}

/* good: a global of a type with no free function */
void good_global_stats(void)
{
    g_timeout_add(1000, report_stats, &g_stats);
}

/* good: a string literal */
void good_string_literal(void)
{
    g_timeout_add(100, print_banner, (gpointer) "ready");
}

/* good: the configuration is allocated once and never freed */
void good_config_never_freed(const char *theme)
{
    struct app_config *cfg = g_new0(struct app_config, 1);

    cfg->theme = g_strdup(theme);
    cfg->volume = 50;
    g_idle_add(apply_theme, cfg);
}

/* good: the source holds a reference, which its callback drops */
void good_seek_idle_ref(struct player *p, double pos)
{
    p->pos = pos;
    g_idle_add(emit_seeked_and_unref, player_ref(p));
}

/* good: the source holds a reference, which its destroy notify drops */
void good_seek_idle_full_ref(struct player *p)
{
    g_idle_add_full(G_PRIORITY_DEFAULT, emit_seeked, player_ref(p), (GDestroyNotify)player_unref);
}

/* good: the message is allocated for the source alone; the callback frees it */
void good_post_message(int to, const char *text)
{
    struct message *m = g_new0(struct message, 1);

    m->to = to;
    m->text = g_strdup(text);
    g_idle_add(deliver_message, m);
}

/* good: the id is kept in the player and player_unref() removes it */
void good_notify_kept(struct player *p)
{
    if (p->notify_id == 0)
        p->notify_id = g_idle_add(emit_notify, p);
}
