// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * GLib sources beyond timeouts and idles (#15 item 10): I/O watches, Unix
 * fd and signal sources return source ids removed with g_source_remove();
 * a D-Bus name watch returns a watcher id removed with g_bus_unwatch_name().
 * A dropped id of a source whose callback always continues can never be
 * removed; one whose callback can return FALSE limits itself.
 */
#include <gio/gio.h>
#include <glib-unix.h>

struct link {
    GIOChannel *ch;
    guint watch;
    guint name_watch;
    int lines;
};

static gboolean on_readable(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    struct link *l = data;

    (void)ch;
    (void)cond;
    l->lines++;
    return G_SOURCE_CONTINUE;
}

static gboolean on_hup(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    (void)ch;
    (void)data;
    return (cond & G_IO_HUP) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean on_fd(gint fd, GIOCondition cond, gpointer data)
{
    (void)fd;
    (void)cond;
    (void)data;
    return G_SOURCE_CONTINUE;
}

static void on_appeared(GDBusConnection *c, const gchar *name,
                        const gchar *owner, gpointer data)
{
    (void)c;
    (void)name;
    (void)owner;
    (void)data;
}

/* bad: a repeating I/O watch whose id is dropped */
void bad_watch_dropped(struct link *l)
{
    g_io_add_watch(l->ch, G_IO_IN, on_readable, l); /* expect: handle-discarded */
}

/* good: the watch ends itself on hang-up */
void good_watch_self_limiting(struct link *l)
{
    g_io_add_watch(l->ch, G_IO_IN | G_IO_HUP, on_hup, l);
}

/* good: kept in the link and removed in its teardown */
void good_watch_kept(struct link *l)
{
    l->watch = g_io_add_watch_full(l->ch, G_PRIORITY_DEFAULT, G_IO_IN,
                                   on_readable, l, NULL);
}

void link_close(struct link *l)
{
    if (l->watch)
        g_source_remove(l->watch);
    l->watch = 0;
    if (l->name_watch)
        g_bus_unwatch_name(l->name_watch);
    l->name_watch = 0;
}

/* bad: a Unix fd source that always continues, its id in a local that dies */
void bad_fd_source_lost(int fd, struct link *l)
{
    guint id = g_unix_fd_add(fd, G_IO_IN, on_fd, l); /* expect: missing-stop */

    if (id == 0)
        return;
    l->lines = 0;
}

/* good: the name watch is kept and unwatched by link_close() */
void good_name_watch(struct link *l)
{
    l->name_watch = g_bus_watch_name(G_BUS_TYPE_SESSION, "org.example.Peer",
                                     G_BUS_NAME_WATCHER_FLAGS_NONE,
                                     on_appeared, NULL, l, NULL);
}

/* bad: the watcher id is dropped: the watch can never be stopped */
void bad_name_watch_dropped(struct link *l)
{
    g_bus_watch_name(G_BUS_TYPE_SESSION, "org.example.Peer", /* expect: handle-discarded */
                     G_BUS_NAME_WATCHER_FLAGS_NONE, on_appeared, NULL, l, NULL);
}

/* good: the callback is the caller's (a parameter): it may end the source
 * (bluez's obexd service_connect) */
void good_callers_callback(GIOChannel *ch, GIOFunc function, gpointer data)
{
    g_io_add_watch(ch, G_IO_OUT | G_IO_HUP, function, data);
}
