/* Media playback session: streams, tracks and tags dispatched to the main loop. */
#include <glib.h>
#include <stdio.h>

typedef struct {
    gint refcount;
    gchar *uri;
    gint state;
    gint64 position_ms;
    guint buffering_id;
} MediaStream;

typedef struct {
    gchar *title;
    gdouble volume;
    gint index;
} MediaTrack;

typedef struct { gchar *key; gchar *value; } MediaTag;
typedef struct { gint64 ticks; } MediaClock;

static MediaClock global_clock;

enum { STREAM_IDLE, STREAM_OPENING, STREAM_PLAYING, STREAM_ERROR };

MediaStream *media_stream_new(const gchar *uri)
{
    MediaStream *stream = g_new0(MediaStream, 1);
    stream->refcount = 1;
    stream->uri = g_strdup(uri);
    return stream;
}

MediaStream *media_stream_ref(MediaStream *stream)
{
    g_atomic_int_inc(&stream->refcount);
    return stream;
}

void media_stream_unref(MediaStream *stream)
{
    if (!g_atomic_int_dec_and_test(&stream->refcount))
        return;
    if (stream->buffering_id)
        g_source_remove(stream->buffering_id);
    g_free(stream->uri);
    g_free(stream);
}

void media_track_free(MediaTrack *track)
{
    g_free(track->title);
    g_free(track);
}

static void media_tag_free(MediaTag *tag)
{
    g_free(tag->key);
    g_free(tag->value);
    g_free(tag);
}

static gboolean emit_eos_cb(gpointer data)
{
    MediaStream *stream = data;
    g_message("end of stream: %s", stream->uri);
    stream->state = STREAM_IDLE;
    return G_SOURCE_REMOVE;
}

static gboolean fade_done_cb(gpointer data)
{
    MediaTrack *track = data;
    if (track->volume <= 0.0)
        return FALSE;
    track->volume = 1.0;
    return FALSE;
}

static void retry_open_cb(gpointer data)
{
    MediaStream *stream = data;
    if (stream->state == STREAM_ERROR)
        stream->state = STREAM_OPENING;
}

static void report_track_cb(gpointer data)
{
    MediaTrack *track = data;
    printf("now playing #%d: %s\n", track->index, track->title);
}

static gboolean update_title_cb(gpointer data)
{
    MediaTrack *track = data;
    g_message("title: %s", track->title);
    return G_SOURCE_REMOVE;
}

static gboolean poll_position_cb(gpointer data)
{
    MediaStream *stream = data;
    stream->position_ms += 1000;
    return G_SOURCE_CONTINUE;
}

static gboolean flush_log_cb(gpointer data)
{
    (void)data;
    fflush(stdout);
    return G_SOURCE_REMOVE;
}

static gboolean clock_sync_cb(gpointer data)
{
    MediaClock *clock = data;
    clock->ticks = g_get_monotonic_time() / 1000;
    return G_SOURCE_REMOVE;
}

static gboolean print_banner_cb(gpointer data)
{
    g_print("%s\n", (const gchar *)data);
    return G_SOURCE_REMOVE;
}

static gboolean deliver_tag_cb(gpointer data)
{
    MediaTag *tag = data;
    if (tag->value != NULL)
        g_message("tag %s=%s", tag->key, tag->value);
    media_tag_free(tag);
    return G_SOURCE_REMOVE;
}

static gboolean emit_state_cb(gpointer data)
{
    MediaStream *stream = data;
    g_message("%s -> state %d", stream->uri, stream->state);
    return G_SOURCE_REMOVE;
}

static void wake_mixer_cb(gpointer data G_GNUC_UNUSED)
{
    g_debug("mixer wakeup");
}

static gboolean buffering_timeout_cb(gpointer data)
{
    MediaStream *stream = data;
    stream->buffering_id = 0;
    if (stream->state == STREAM_OPENING)
        stream->state = STREAM_ERROR;
    return G_SOURCE_REMOVE;
}

void media_stream_finish(MediaStream *stream)
{
    stream->state = STREAM_IDLE;
    g_idle_add(emit_eos_cb, stream); /* expect: handle-discarded */
}

void media_track_fade_out(MediaTrack *track)
{
    track->volume = 0.0;
    g_timeout_add(250, fade_done_cb, track); /* expect: handle-discarded */
}

int media_stream_open(MediaStream *stream)
{
    if (stream->uri == NULL || stream->uri[0] == '\0')
        return -1;
    stream->state = STREAM_OPENING;
    if (!g_str_has_prefix(stream->uri, "file://")) {
        stream->state = STREAM_ERROR;
        g_timeout_add_once(500, retry_open_cb, stream); /* expect: handle-discarded */
        return 1;
    }
    if (stream->buffering_id == 0)
        stream->buffering_id = g_timeout_add(3000, buffering_timeout_cb, stream);
    return 0;
}

void media_track_announce(MediaTrack *track, gboolean verbose)
{
    if (verbose)
        g_idle_add_once(report_track_cb, track); /* expect: handle-discarded */
    g_idle_add_full(G_PRIORITY_HIGH_IDLE, update_title_cb, track, NULL); /* expect: handle-discarded */
}

void media_stream_track_position(MediaStream *stream)
{
    g_timeout_add(1000, poll_position_cb, stream); /* expect: handle-discarded */
}

void media_session_init(void)
{
    g_idle_add(flush_log_cb, NULL);
    g_timeout_add(100, clock_sync_cb, &global_clock);
    g_idle_add(print_banner_cb, "media session ready");
}

void media_stream_notify_state(MediaStream *stream)
{
    g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, emit_state_cb,
                    media_stream_ref(stream), (GDestroyNotify)media_stream_unref);
    g_timeout_add_once(200, wake_mixer_cb, stream);
}

void media_stream_publish_tag(const gchar *key, const gchar *value)
{
    MediaTag *tag = g_new0(MediaTag, 1);
    tag->key = g_strdup(key);
    tag->value = g_strdup(value);
    g_idle_add(deliver_tag_cb, tag);
}
