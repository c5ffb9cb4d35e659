// scan: --link
/* peer-session: a small GLib client keeping sessions to peers, with
 * reconnect back-off, keep-alives, request deadlines and file transfers.
 * Most main-loop registrations happen in small helpers that store the
 * source id in the object they were handed. */
#include <glib.h>
#include <string.h>

#define RETRY_SECS      5
#define MAX_RETRIES     10
#define KEEPALIVE_SECS  15
#define STATS_SECS      30
#define REQUEST_MS      2000
#define PROBE_MS        500
#define PROGRESS_MS     250
#define STALL_MS        10000
#define PEER_SESSION_ERROR g_quark_from_static_string("peer-session-error")

typedef enum { SESSION_IDLE, SESSION_CONNECTING, SESSION_UP, SESSION_CLOSED } SessionState;

typedef struct {
    gchar *peer;
    SessionState state;
    guint retries;
    guint resends;
    guint retry_id;
    guint keepalive_id;
    guint reply_timeout_id;
    GQueue *outq;
} Session;

typedef struct {
    Session *session;
    gchar *name;
    guint64 sent, total, last_sent;
    guint progress_id;
    guint stall_id;
} Transfer;

/* transport layer, implemented in transport.c */
extern gboolean transport_connect(const gchar *peer);
extern gboolean transport_send(const gchar *peer, gconstpointer buf, gsize len);
extern gsize transport_pending(const gchar *peer);

static struct session_stats {
    guint64 bytes;
    guint sessions;
    gboolean flush_pending;
} global_stats;

static gboolean stats_flush_idle(gpointer data) {
    struct session_stats *st = data;
    g_debug("sessions=%u bytes=%" G_GUINT64_FORMAT, st->sessions, st->bytes);
    st->flush_pending = FALSE;
    return G_SOURCE_REMOVE;
}

/* One-shot idle on static data: nothing to cancel, the id is not needed. */
static void stats_schedule_flush(void) {
    if (global_stats.flush_pending)
        return;
    global_stats.flush_pending = TRUE;
    g_idle_add(stats_flush_idle, &global_stats);
}

static gboolean session_keepalive_cb(gpointer user_data) {
    Session *s = user_data;
    if (!transport_send(s->peer, "\0", 1)) {
        s->keepalive_id = 0;
        s->state = SESSION_CLOSED;
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

static void session_start_keepalive(Session *s) {
    if (s->keepalive_id == 0)
        s->keepalive_id = g_timeout_add_seconds(KEEPALIVE_SECS, session_keepalive_cb, s);
}

static void session_stop_keepalive(Session *s) {
    if (s->keepalive_id) {
        g_source_remove(s->keepalive_id);
        s->keepalive_id = 0;
    }
}

static gboolean session_retry_cb(gpointer user_data) {
    Session *s = user_data;
    if (transport_connect(s->peer)) {
        s->state = SESSION_UP;
        s->retry_id = 0;
        session_start_keepalive(s);
        return G_SOURCE_REMOVE;
    }
    if (++s->retries >= MAX_RETRIES) {
        s->state = SESSION_CLOSED;
        s->retry_id = 0;
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/* session_free() releases the Session without g_source_remove(retry_id);
 * the callback keeps returning G_SOURCE_CONTINUE while the peer is down
 * and then runs on freed memory. Reported where the field is armed. */
static void session_schedule_retry(Session *s) {
    s->retries = 0;
    s->state = SESSION_CONNECTING;
    s->retry_id = g_timeout_add_seconds(RETRY_SECS, session_retry_cb, s); /* expect: field-never-stopped */
}

static gboolean session_stats_tick(gpointer user_data) {
    Session *s = user_data;
    global_stats.bytes += transport_pending(s->peer);
    stats_schedule_flush();
    return G_SOURCE_CONTINUE;
}

/* A repeating source on a heap Session whose id is thrown away: it can
 * never be removed, not even by session_free(). */
static void session_enable_stats(Session *s) {
    g_timeout_add_seconds(STATS_SECS, session_stats_tick, s); /* expect: handle-discarded */
}

static gboolean session_reply_timeout_cb(gpointer user_data) {
    Session *s = user_data;
    if (++s->resends < 3 && transport_send(s->peer, "RETRY", 5))
        return G_SOURCE_CONTINUE;
    s->reply_timeout_id = 0;
    s->state = SESSION_CLOSED;
    return G_SOURCE_REMOVE;
}

/* Hands the id to the caller: the helper itself is fine. */
static guint session_arm_reply_timeout(Session *s, guint ms) {
    s->resends = 0;
    return g_timeout_add(ms, session_reply_timeout_cb, s);
}

gboolean session_send_request(Session *s, const gchar *req) {
    if (!transport_send(s->peer, req, strlen(req)))
        return FALSE;
    g_clear_handle_id(&s->reply_timeout_id, g_source_remove);
    s->reply_timeout_id = session_arm_reply_timeout(s, REQUEST_MS);
    return TRUE;
}

/* The id returned by session_arm_reply_timeout() belongs to this caller.
 * It is stored in the session on success but dropped on the error return,
 * leaving a repeating source on s. The g_timeout_add() in the helper is
 * correct by itself (its result is returned), so the finding belongs on
 * this call, which acts as the creating call for the caller's handle. */
gboolean session_probe_peer(Session *s, GError **error) {
    guint timeout_id;
    timeout_id = session_arm_reply_timeout(s, PROBE_MS); /* expect: missing-stop */
    if (!transport_send(s->peer, "PING", 4)) {
        g_set_error(error, PEER_SESSION_ERROR, 0, "cannot reach %s", s->peer);
        return FALSE;
    }
    g_clear_handle_id(&s->reply_timeout_id, g_source_remove);
    s->reply_timeout_id = timeout_id;
    return TRUE;
}

static gboolean flush_deadline_cb(gpointer user_data) {
    gboolean *timed_out = user_data;
    *timed_out = TRUE;
    return G_SOURCE_REMOVE;
}

/* A plain local id: the early return when a write fails keeps the deadline
 * registered with a pointer into this stack frame. */
gboolean session_flush_blocking(Session *s, guint timeout_ms) {
    gboolean timed_out = FALSE;
    guint deadline_id;
    deadline_id = g_timeout_add(timeout_ms, flush_deadline_cb, &timed_out); /* expect: missing-stop */
    while (!g_queue_is_empty(s->outq) && !timed_out) {
        gchar *msg = g_queue_pop_head(s->outq);
        gboolean ok = transport_send(s->peer, msg, strlen(msg));
        g_free(msg);
        if (!ok)
            return FALSE;
        g_main_context_iteration(NULL, TRUE);
    }
    if (!timed_out)
        g_source_remove(deadline_id);
    return !timed_out;
}

Session *session_connect(const gchar *peer) {
    Session *s = g_new0(Session, 1);
    s->peer = g_strdup(peer);
    s->outq = g_queue_new();
    global_stats.sessions++;
    if (transport_connect(peer)) {
        s->state = SESSION_UP;
        session_start_keepalive(s);
        session_enable_stats(s);
    } else {
        session_schedule_retry(s);
    }
    return s;
}

void session_reconnect(Session *s) {
    if (s->retry_id)
        return;
    session_stop_keepalive(s);
    session_schedule_retry(s);
}

void session_free(Session *s) {
    session_stop_keepalive(s);
    g_clear_handle_id(&s->reply_timeout_id, g_source_remove);
    g_queue_free_full(s->outq, g_free);
    g_free(s->peer);
    g_free(s);
    global_stats.sessions--;
}

static gboolean transfer_progress_cb(gpointer user_data) {
    Transfer *t = user_data;
    g_message("%s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, t->name, t->sent, t->total);
    if (t->sent < t->total)
        return G_SOURCE_CONTINUE;
    t->progress_id = 0;
    return G_SOURCE_REMOVE;
}

/* transfer_free() only removes stall_id; the progress source, repeating
 * until the transfer completes, outlives a cancelled transfer. */
static void transfer_start_progress(Transfer *t) {
    if (t->progress_id == 0)
        t->progress_id = g_timeout_add(PROGRESS_MS, transfer_progress_cb, t); /* expect: field-never-stopped */
}

static gboolean transfer_stall_cb(gpointer user_data) {
    Transfer *t = user_data;
    if (t->sent != t->last_sent) {
        t->last_sent = t->sent;
        return G_SOURCE_CONTINUE;
    }
    t->stall_id = 0;
    g_warning("%s: transfer stalled", t->name);
    return G_SOURCE_REMOVE;
}

/* The stall watchdog of a transfer whose first chunk cannot be sent is
 * neither stored nor removed before the next iteration. */
guint transfer_start_all(GPtrArray *transfers) {
    guint started = 0;
    for (guint i = 0; i < transfers->len; i++) {
        Transfer *t = g_ptr_array_index(transfers, i);
        guint id;
        id = g_timeout_add(STALL_MS, transfer_stall_cb, t); /* expect: created-in-loop */
        if (!transport_send(t->session->peer, t->name, strlen(t->name)))
            continue;
        t->stall_id = id;
        transfer_start_progress(t);
        started++;
    }
    return started;
}

Transfer *transfer_new(Session *s, const gchar *name, guint64 total) {
    Transfer *t = g_new0(Transfer, 1);
    t->session = s;
    t->name = g_strdup(name);
    t->total = total;
    return t;
}

void transfer_free(Transfer *t) {
    if (t->stall_id)
        g_source_remove(t->stall_id);
    g_free(t->name);
    g_free(t);
}
