/*
 * presence.c - presence plugin for the messenger host.
 *
 * Keeps a line-based session with the presence server: logs in, sends a
 * heartbeat, reconnects with a fixed delay when the session drops, and
 * forwards status updates to the host from idle callbacks so that a burst
 * of updates never blocks the UI thread for long.
 */
#include <glib.h>
#include <string.h>

#define HEARTBEAT_S        30
#define AWAY_HEARTBEAT_S  120
#define LOGIN_RESEND_S      5
#define RETRY_DELAY_S      10

typedef struct _HostConn HostConn;

/* Provided by the host application. */
extern HostConn *host_connect(const gchar *uri, GError **error);
extern gboolean host_send(HostConn *conn, const gchar *line);
extern void host_disconnect(HostConn *conn);
extern void host_post_status(const gchar *who, const gchar *status);

typedef struct {
    gchar *uri;
    gchar *account;
    HostConn *conn;
    GHashTable *pending;
    gboolean logged_in;
    gboolean away;
    guint heartbeat_id;
    guint login_resend_id;
    guint retry_id;
    guint flush_id;
    guint retry_attempts;
} PresencePlugin;

typedef struct {
    gchar *who;
    gchar *status;
} StatusItem;

static gboolean presence_login(PresencePlugin *p, GError **error);
static void presence_schedule_retry(PresencePlugin *p);

static void status_item_free(gpointer data)
{
    StatusItem *item = data;

    g_free(item->who);
    g_free(item->status);
    g_free(item);
}

static gboolean deliver_one_cb(gpointer data)
{
    StatusItem *item = data;

    host_post_status(item->who, item->status);
    return G_SOURCE_REMOVE;
}

static gboolean flush_cb(gpointer data)
{
    PresencePlugin *p = data;
    GHashTableIter iter;
    gpointer who, status;

    p->flush_id = 0;
    g_hash_table_iter_init(&iter, p->pending);
    while (g_hash_table_iter_next(&iter, &who, &status))
        host_post_status(who, status);
    g_hash_table_remove_all(p->pending);
    return G_SOURCE_REMOVE;
}

static void presence_drop_session(PresencePlugin *p)
{
    if (p->login_resend_id != 0) {
        g_source_remove(p->login_resend_id);
        p->login_resend_id = 0;
    }
    if (p->conn != NULL) {
        host_disconnect(p->conn);
        p->conn = NULL;
    }
    p->logged_in = FALSE;
}

static gboolean heartbeat_cb(gpointer data)
{
    PresencePlugin *p = data;

    if (p->conn != NULL && host_send(p->conn, "PING"))
        return G_SOURCE_CONTINUE;
    p->heartbeat_id = 0;
    presence_drop_session(p);
    presence_schedule_retry(p);
    return G_SOURCE_REMOVE;
}

static void presence_set_away(PresencePlugin *p, gboolean away)
{
    guint interval = away ? AWAY_HEARTBEAT_S : HEARTBEAT_S;

    p->away = away;
    if (p->heartbeat_id != 0)
        g_source_remove(p->heartbeat_id);
    if (!p->logged_in) {
        p->heartbeat_id = 0;
        return;
    }
    if (!host_send(p->conn, away ? "STATUS away" : "STATUS online")) {
        g_source_remove(p->heartbeat_id); /* expect: use-after-release */
        p->heartbeat_id = 0;
        presence_drop_session(p);
        presence_schedule_retry(p);
        return;
    }
    p->heartbeat_id = g_timeout_add_seconds(interval, heartbeat_cb, p);
}

static gboolean retry_cb(gpointer data)
{
    PresencePlugin *p = data;
    GError *error = NULL;

    p->conn = host_connect(p->uri, &error);
    if (p->conn == NULL) {
        g_message("presence: reconnect attempt %u failed: %s", ++p->retry_attempts, error->message);
        g_error_free(error);
        return G_SOURCE_CONTINUE;
    }
    g_source_remove(p->retry_id);
    p->retry_id = 0;
    p->retry_attempts = 0;
    if (!presence_login(p, &error)) {
        g_message("presence: login failed: %s", error->message);
        g_error_free(error);
        presence_drop_session(p);
        presence_schedule_retry(p);
    }
    return G_SOURCE_REMOVE;
}

static void presence_schedule_retry(PresencePlugin *p)
{
    if (p->retry_id == 0)
        p->retry_id = g_timeout_add_seconds(RETRY_DELAY_S, retry_cb, p);
}

static gboolean login_resend_cb(gpointer data)
{
    PresencePlugin *p = data;
    gchar *line = g_strdup_printf("LOGIN %s", p->account);

    host_send(p->conn, line);
    g_free(line);
    return G_SOURCE_CONTINUE;
}

static gboolean presence_login(PresencePlugin *p, GError **error)
{
    guint resend_id;
    gchar *line;

    resend_id = g_timeout_add_seconds(LOGIN_RESEND_S, login_resend_cb, p); /* expect: missing-stop */
    line = g_strdup_printf("LOGIN %s", p->account);
    if (!host_send(p->conn, line)) {
        g_free(line);
        g_set_error_literal(error, G_IO_CHANNEL_ERROR, G_IO_CHANNEL_ERROR_PIPE, "cannot send login");
        return FALSE;
    }
    g_free(line);
    p->login_resend_id = resend_id;
    return TRUE;
}

static void presence_on_roster(const gchar *list)
{
    gchar **names = g_strsplit(list, ",", -1);
    guint i;

    for (i = 0; names[i] != NULL; i++) {
        StatusItem *item = g_new0(StatusItem, 1);

        item->who = g_strdup(g_strstrip(names[i]));
        item->status = g_strdup("offline");
        g_idle_add_full(G_PRIORITY_LOW, deliver_one_cb, item, status_item_free);
    }
    g_strfreev(names);
}

void presence_plugin_on_line(PresencePlugin *p, const gchar *line)
{
    if (g_str_equal(line, "OK LOGIN")) {
        if (p->login_resend_id != 0) {
            g_source_remove(p->login_resend_id);
            p->login_resend_id = 0;
        }
        p->logged_in = TRUE;
        presence_set_away(p, p->away);
    } else if (g_str_has_prefix(line, "ROSTER ")) {
        presence_on_roster(line + 7);
    } else if (g_str_has_prefix(line, "STATUS ")) {
        gchar **parts = g_strsplit(line + 7, " ", 2);

        if (parts[0] != NULL && parts[1] != NULL) {
            g_hash_table_replace(p->pending, g_strdup(parts[0]), g_strdup(parts[1]));
            if (p->flush_id == 0)
                p->flush_id = g_idle_add(flush_cb, p);
        }
        g_strfreev(parts);
    } else if (g_str_equal(line, "AWAY") || g_str_equal(line, "BACK")) {
        presence_set_away(p, line[0] == 'A');
    }
}

PresencePlugin *presence_plugin_load(const gchar *uri, const gchar *account)
{
    PresencePlugin *p = g_new0(PresencePlugin, 1);
    GError *error = NULL;

    p->uri = g_strdup(uri);
    p->account = g_strdup(account);
    p->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    p->conn = host_connect(uri, &error);
    if (p->conn == NULL || !presence_login(p, &error)) {
        g_message("presence: %s, retrying in %d s", error->message, RETRY_DELAY_S);
        g_clear_error(&error);
        presence_drop_session(p);
        presence_schedule_retry(p);
    }
    return p;
}

void presence_plugin_unload(PresencePlugin *p)
{
    if (p->heartbeat_id != 0)
        g_source_remove(p->heartbeat_id);
    if (p->retry_id != 0)
        g_source_remove(p->retry_id);
    if (p->flush_id != 0)
        g_source_remove(p->flush_id);
    presence_drop_session(p);
    g_hash_table_destroy(p->pending);
    g_free(p->account);
    g_free(p->uri);
    g_free(p);
}
