// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * swwatchdog.c - software watchdog in front of a hardware one.
 *
 * Components register with a timeout and must send "kick NAME" on the
 * control channel (stdin) before it runs out.  While every component is
 * on time, a helper thread pets the hardware device once a second from its
 * own main context; after MAX_MISSES expirations it stops petting and lets
 * the board reset.
 */
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_MISSES        3
#define PET_INTERVAL_S    1
#define REPORT_PERIOD_S  60
#define STATS_PERIOD_S   10

typedef struct {
    GMainLoop *loop;
    GHashTable *components;
    GIOChannel *control;
    GMainContext *pet_context;
    GMainLoop *pet_loop;
    GThread *pet_thread;
    gint healthy;
    guint misses;
    int pet_fd;
    guint control_watch_id;
    guint report_id;
} Watchdog;

typedef struct {
    Watchdog *wd;
    gchar *name;
    guint timeout_ms;
    guint deadline_id;
    guint64 kicks;
    guint64 kicks_at_last_sample;
    guint64 expirations;
    gdouble kick_rate;
} Component;

static gboolean comp_deadline_cb(gpointer data)
{
    Component *comp = data;
    Watchdog *wd = comp->wd;

    comp->deadline_id = 0;
    comp->expirations++;
    g_warning("watchdog: %s missed its %u ms deadline", comp->name, comp->timeout_ms);
    if (++wd->misses >= MAX_MISSES)
        g_atomic_int_set(&wd->healthy, 0);
    return G_SOURCE_REMOVE;
}

static gboolean comp_stats_cb(gpointer data)
{
    Component *comp = data;

    comp->kick_rate = (gdouble)(comp->kicks - comp->kicks_at_last_sample) / STATS_PERIOD_S;
    comp->kicks_at_last_sample = comp->kicks;
    return G_SOURCE_CONTINUE;
}

static void comp_free(gpointer data)
{
    Component *comp = data;

    g_clear_handle_id(&comp->deadline_id, g_source_remove);
    g_free(comp->name);
    g_free(comp);
}

static void wd_register(Watchdog *wd, const gchar *name, guint timeout_ms)
{
    Component *comp;

    if (timeout_ms == 0 || g_hash_table_contains(wd->components, name))
        return;
    comp = g_new0(Component, 1);
    comp->wd = wd;
    comp->name = g_strdup(name);
    comp->timeout_ms = timeout_ms;
    g_hash_table_insert(wd->components, comp->name, comp);
    comp->deadline_id = g_timeout_add(timeout_ms, comp_deadline_cb, comp);
    g_timeout_add_seconds(STATS_PERIOD_S, comp_stats_cb, comp); /* expect: handle-discarded */
}

static void wd_kick(Watchdog *wd, const gchar *name)
{
    Component *comp = g_hash_table_lookup(wd->components, name);

    if (comp == NULL)
        return;
    comp->kicks++;
    if (comp->deadline_id != 0)
        g_source_remove(comp->deadline_id);
    comp->deadline_id = g_timeout_add(comp->timeout_ms, comp_deadline_cb, comp);
}

static void wd_unregister(Watchdog *wd, const gchar *name)
{
    g_hash_table_remove(wd->components, name);
}

static gboolean on_control(GIOChannel *channel, GIOCondition cond, gpointer data)
{
    Watchdog *wd = data;
    gchar *line = NULL;
    gchar **argv;
    GIOStatus status;

    status = g_io_channel_read_line(channel, &line, NULL, NULL, NULL);
    if (status == G_IO_STATUS_EOF || status == G_IO_STATUS_ERROR || (cond & G_IO_HUP)) {
        g_free(line);
        wd->control_watch_id = 0;
        g_main_loop_quit(wd->loop);
        return G_SOURCE_REMOVE;
    }
    if (line == NULL)
        return G_SOURCE_CONTINUE;
    argv = g_strsplit(g_strstrip(line), " ", 3);
    if (argv[0] != NULL && argv[1] != NULL) {
        if (strcmp(argv[0], "kick") == 0)
            wd_kick(wd, argv[1]);
        else if (strcmp(argv[0], "register") == 0 && argv[2] != NULL)
            wd_register(wd, argv[1], (guint)g_ascii_strtoull(argv[2], NULL, 10));
        else if (strcmp(argv[0], "unregister") == 0)
            wd_unregister(wd, argv[1]);
    }
    g_strfreev(argv);
    g_free(line);
    return G_SOURCE_CONTINUE;
}

static gboolean report_cb(gpointer data)
{
    Watchdog *wd = data;
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, wd->components);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        Component *comp = value;

        g_print("%-20s kicks=%" G_GUINT64_FORMAT " (%.2f/s) missed=%" G_GUINT64_FORMAT "\n",
                comp->name, comp->kicks, comp->kick_rate, comp->expirations);
    }
    return G_SOURCE_CONTINUE;
}

static gboolean pet_cb(gpointer data)
{
    Watchdog *wd = data;

    if (g_atomic_int_get(&wd->healthy) && wd->pet_fd >= 0 && write(wd->pet_fd, "\0", 1) != 1)
        g_printerr("watchdog: petting failed\n");
    return G_SOURCE_CONTINUE;
}

static gpointer pet_thread_main(gpointer data)
{
    Watchdog *wd = data;
    GSource *tick = g_timeout_source_new_seconds(PET_INTERVAL_S);

    g_main_context_push_thread_default(wd->pet_context);
    g_source_set_callback(tick, pet_cb, wd, NULL);
    g_source_attach(tick, wd->pet_context);
    g_main_loop_run(wd->pet_loop);
    g_source_destroy(tick);
    g_source_unref(tick);
    g_main_context_pop_thread_default(wd->pet_context);
    return NULL;
}

static gboolean quit_pet_loop_cb(gpointer data)
{
    Watchdog *wd = data;

    g_main_loop_quit(wd->pet_loop);
    return G_SOURCE_REMOVE;
}

static Watchdog *wd_new(const gchar *device)
{
    Watchdog *wd = g_new0(Watchdog, 1);

    wd->loop = g_main_loop_new(NULL, FALSE);
    wd->components = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, comp_free);
    wd->healthy = 1;
    wd->pet_fd = device != NULL ? open(device, O_WRONLY | O_CLOEXEC) : -1;
    wd->control = g_io_channel_unix_new(STDIN_FILENO);
    wd->control_watch_id = g_io_add_watch(wd->control, G_IO_IN | G_IO_HUP, on_control, wd);
    wd->report_id = g_timeout_add_seconds(REPORT_PERIOD_S, report_cb, wd);

    wd->pet_context = g_main_context_new();
    wd->pet_loop = g_main_loop_new(wd->pet_context, FALSE);
    wd->pet_thread = g_thread_new("wd-pet", pet_thread_main, wd);
    return wd;
}

static void wd_free(Watchdog *wd)
{
    while (g_source_remove_by_user_data(wd))
        ;
    wd->control_watch_id = 0;
    wd->report_id = 0;

    g_main_context_invoke(wd->pet_context, quit_pet_loop_cb, wd);
    g_thread_join(wd->pet_thread);
    g_main_loop_unref(wd->pet_loop);
    g_main_context_unref(wd->pet_context);

    g_hash_table_destroy(wd->components);
    g_io_channel_unref(wd->control);
    if (wd->pet_fd >= 0) {
        if (write(wd->pet_fd, "V", 1) != 1)
            g_printerr("watchdog: could not disarm device\n");
        close(wd->pet_fd);
    }
    g_main_loop_unref(wd->loop);
    g_free(wd);
}

int main(int argc, char **argv)
{
    Watchdog *wd = wd_new(argc > 1 ? argv[1] : NULL);

    g_main_loop_run(wd->loop);
    wd_free(wd);
    return 0;
}
