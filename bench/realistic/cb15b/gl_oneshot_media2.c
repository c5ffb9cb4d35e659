// scan: --link
/* Player front end: play queue, artwork fetches and window chrome on the main loop. */
#include <glib.h>
#include <glib-object.h>
#include <string.h>

#define PLAYER_TYPE_WINDOW (player_window_get_type())
G_DECLARE_FINAL_TYPE(PlayerWindow, player_window, PLAYER, WINDOW, GObject)

struct _PlayerWindow {
    GObject parent_instance;
    gchar *title;
    gdouble progress;
    gboolean controls_visible;
    guint relayout_count;
    guint reveal_id, relayout_id;
};

typedef struct {
    gchar *album, *cache_path;
    guint attempts, deadline_id;
} ArtworkRequest;

typedef struct { gchar *album; guint8 *pixels; gsize size; } CoverArt;
typedef struct { gint refcount; gchar *uri; gdouble gain; } QueueEntry;
typedef struct { gint64 started_us; guint ticks; } PlaybackClock;

typedef struct { GPtrArray *entries; guint position; guint save_id; } PlayQueue;

static PlaybackClock playback_clock;

/* ---- Player window ---- */

G_DEFINE_TYPE(PlayerWindow, player_window, G_TYPE_OBJECT)

static void player_window_dispose(GObject *object)
{
    PlayerWindow *self = PLAYER_WINDOW(object);
    g_clear_handle_id(&self->relayout_id, g_source_remove);
    G_OBJECT_CLASS(player_window_parent_class)->dispose(object);
}

static void player_window_finalize(GObject *object)
{
    PlayerWindow *self = PLAYER_WINDOW(object);
    g_free(self->title);
    G_OBJECT_CLASS(player_window_parent_class)->finalize(object);
}

static void player_window_class_init(PlayerWindowClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    object_class->dispose = player_window_dispose;
    object_class->finalize = player_window_finalize;
}

static void player_window_init(PlayerWindow *self)
{
    self->controls_visible = TRUE;
}

static gboolean reveal_controls_cb(gpointer data)
{
    PlayerWindow *self = data;
    self->reveal_id = 0;
    self->controls_visible = TRUE;
    return G_SOURCE_REMOVE;
}

static gboolean relayout_cb(gpointer data)
{
    PlayerWindow *self = data;
    self->relayout_id = 0;
    self->relayout_count++;
    return G_SOURCE_REMOVE;
}

static gboolean redraw_progress_cb(gpointer data)
{
    PlayerWindow *self = data;
    g_debug("%s: %.0f%%", self->title, self->progress * 100.0);
    return G_SOURCE_REMOVE;
}

static void flash_title_cb(gpointer data)
{
    PlayerWindow *self = data;
    g_debug("flash: %s", self->title);
    g_object_unref(self);
}

static gboolean announce_title_cb(gpointer data)
{
    PlayerWindow *self = data;
    g_message("Now playing: %s", self->title);
    return FALSE;
}

void player_window_pointer_moved(PlayerWindow *self)
{
    if (self->controls_visible || self->reveal_id != 0)
        return;
    self->reveal_id = g_timeout_add(400, reveal_controls_cb, self); /* expect: field-never-stopped */
}

void player_window_queue_relayout(PlayerWindow *self)
{
    if (self->relayout_id == 0)
        self->relayout_id = g_idle_add(relayout_cb, self);
}

void player_window_set_progress(PlayerWindow *self, gdouble progress)
{
    self->progress = CLAMP(progress, 0.0, 1.0);
    g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, redraw_progress_cb,
                    g_object_ref(self), g_object_unref);
}

void player_window_set_title(PlayerWindow *self, const gchar *title)
{
    if (g_strcmp0(self->title, title) == 0)
        return;
    g_free(self->title);
    self->title = g_strdup(title);
    g_timeout_add_once(150, flash_title_cb, g_object_ref(self));
    g_idle_add(announce_title_cb, self); /* expect: handle-discarded */
}

/* ---- Artwork requests ---- */

void artwork_request_free(ArtworkRequest *req)
{
    if (req->deadline_id != 0)
        g_source_remove(req->deadline_id);
    g_free(req->album);
    g_free(req->cache_path);
    g_slice_free(ArtworkRequest, req);
}

static void cover_art_free(CoverArt *art)
{
    g_free(art->album);
    g_free(art->pixels);
    g_free(art);
}

static void artwork_begin_cb(gpointer data)
{
    ArtworkRequest *req = data;
    req->attempts++;
    g_debug("fetching artwork for %s into %s", req->album, req->cache_path);
}

static gboolean artwork_deadline_cb(gpointer data)
{
    ArtworkRequest *req = data;
    req->deadline_id = 0;
    g_warning("artwork for %s timed out", req->album);
    return G_SOURCE_REMOVE;
}

static gboolean deliver_cover_cb(gpointer data)
{
    CoverArt *art = data;
    g_debug("cover for %s: %" G_GSIZE_FORMAT " bytes", art->album, art->size);
    cover_art_free(art);
    return G_SOURCE_REMOVE;
}

ArtworkRequest *artwork_fetch(const gchar *album, const gchar *cache_dir)
{
    ArtworkRequest *req;
    if (album == NULL || *album == '\0')
        return NULL;
    req = g_slice_new0(ArtworkRequest);
    req->album = g_strdup(album);
    req->cache_path = g_build_filename(cache_dir, album, NULL);
    if (!g_file_test(cache_dir, G_FILE_TEST_IS_DIR)) {
        g_timeout_add_once(5000, artwork_begin_cb, req); /* expect: handle-discarded */
        return req;
    }
    g_idle_add_once(artwork_begin_cb, req); /* expect: handle-discarded */
    req->deadline_id = g_timeout_add(10000, artwork_deadline_cb, req);
    return req;
}

void artwork_publish_cached(const gchar *album, const guint8 *pixels, gsize size)
{
    CoverArt *art = g_new0(CoverArt, 1);
    art->album = g_strdup(album);
    art->pixels = g_memdup2(pixels, size);
    art->size = size;
    g_idle_add(deliver_cover_cb, art);
}

/* ---- Play queue ---- */

QueueEntry *queue_entry_ref(QueueEntry *entry)
{
    g_atomic_int_inc(&entry->refcount);
    return entry;
}

void queue_entry_unref(QueueEntry *entry)
{
    if (!g_atomic_int_dec_and_test(&entry->refcount))
        return;
    g_free(entry->uri);
    g_free(entry);
}

static gboolean crossfade_done_cb(gpointer data)
{
    QueueEntry *entry = data;
    entry->gain = 1.0;
    return FALSE;
}

static gboolean entry_changed_cb(gpointer data)
{
    QueueEntry *entry = data;
    g_debug("queue entry now %s", entry->uri);
    return G_SOURCE_REMOVE;
}

static gboolean save_queue_cb(gpointer data)
{
    PlayQueue *queue = data;
    queue->save_id = 0;
    g_debug("saving %u entries", queue->entries->len);
    return G_SOURCE_REMOVE;
}

static gboolean tick_clock_cb(gpointer data)
{
    PlaybackClock *clock = data;
    clock->ticks++;
    return G_SOURCE_REMOVE;
}

static gboolean flush_stats_cb(gpointer data G_GNUC_UNUSED)
{
    g_debug("stats flushed");
    return G_SOURCE_REMOVE;
}

static gboolean show_toast_cb(gpointer data)
{
    g_message("%s", (const gchar *)data);
    return G_SOURCE_REMOVE;
}

PlayQueue *play_queue_new(void)
{
    PlayQueue *queue = g_slice_new0(PlayQueue);
    queue->entries = g_ptr_array_new_with_free_func((GDestroyNotify)queue_entry_unref);
    playback_clock.started_us = g_get_monotonic_time();
    g_idle_add(flush_stats_cb, NULL);
    g_timeout_add(1000, tick_clock_cb, &playback_clock);
    return queue;
}

void play_queue_free(PlayQueue *queue)
{
    g_ptr_array_unref(queue->entries);
    g_slice_free(PlayQueue, queue);
}

static void play_queue_mark_dirty(PlayQueue *queue)
{
    if (queue->save_id == 0)
        queue->save_id = g_timeout_add(2000, save_queue_cb, queue); /* expect: field-never-stopped */
}

void play_queue_append(PlayQueue *queue, const gchar *uri)
{
    QueueEntry *entry = g_new0(QueueEntry, 1);
    entry->refcount = 1;
    entry->uri = g_strdup(uri);
    entry->gain = 1.0;
    g_ptr_array_add(queue->entries, entry);
    play_queue_mark_dirty(queue);
    g_idle_add_full(G_PRIORITY_HIGH_IDLE, entry_changed_cb,
                    queue_entry_ref(entry), (GDestroyNotify)queue_entry_unref);
}

gboolean play_queue_advance(PlayQueue *queue)
{
    QueueEntry *next;
    if (queue->position + 1 >= queue->entries->len) {
        g_idle_add(show_toast_cb, (gpointer)"End of queue");
        return FALSE;
    }
    next = g_ptr_array_index(queue->entries, ++queue->position);
    next->gain = 0.0;
    g_timeout_add(250, crossfade_done_cb, next); /* expect: handle-discarded */
    g_idle_add_full(G_PRIORITY_HIGH_IDLE, entry_changed_cb, next, NULL); /* expect: handle-discarded */
    return TRUE;
}
