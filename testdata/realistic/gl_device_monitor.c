// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
// scan: --link
/*
 * netmon.c - watches network interfaces under /sys/class/net.
 *
 * The directory is rescanned every few seconds to notice interfaces that
 * come and go; every known interface is polled for its carrier state and
 * its receive rate.  Changes are reported to the listener in batches: a
 * short settle delay collapses bursts of events into one summary.
 */
#include <glib.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#define SYSFS_NET           "/sys/class/net"
#define RESCAN_INTERVAL_S   5
#define POLL_INTERVAL_S     2
#define SETTLE_DELAY_MS     250

typedef void (*NetmonChangedFunc)(const gchar *name, gboolean carrier,
                                  gdouble rx_rate, gpointer user_data);

typedef struct _Netmon Netmon;

typedef struct {
    Netmon *mon;
    gchar *name;
    gchar *carrier_path;
    gchar *rx_path;
    gboolean carrier;
    guint64 rx_bytes;
    gint64 rx_sampled_at;
    gdouble rx_rate;
    guint poll_id;
} NetDevice;

struct _Netmon {
    GHashTable *devices;
    NetmonChangedFunc changed;
    gpointer changed_data;
    GPtrArray *dirty;
    guint rescan_id;
    guint settle_id;
};

static guint64 read_sysfs_u64(const gchar *path)
{
    gchar *text = NULL;
    guint64 value = 0;

    if (g_file_get_contents(path, &text, NULL, NULL))
        value = g_ascii_strtoull(g_strstrip(text), NULL, 10);
    g_free(text);
    return value;
}

static gboolean settle_cb(gpointer user_data)
{
    Netmon *mon = user_data;
    guint i;

    mon->settle_id = 0;
    for (i = 0; i < mon->dirty->len; i++) {
        const gchar *name = g_ptr_array_index(mon->dirty, i);
        NetDevice *dev = g_hash_table_lookup(mon->devices, name);

        if (mon->changed != NULL)
            mon->changed(name, dev != NULL && dev->carrier,
                         dev != NULL ? dev->rx_rate : 0.0, mon->changed_data);
    }
    g_ptr_array_set_size(mon->dirty, 0);
    return G_SOURCE_REMOVE;
}

static void netmon_mark_dirty(Netmon *mon, const gchar *name)
{
    g_ptr_array_add(mon->dirty, g_strdup(name));
    if (mon->settle_id != 0)
        g_source_remove(mon->settle_id);
    mon->settle_id = g_timeout_add(SETTLE_DELAY_MS, settle_cb, mon);
}

static gboolean device_poll_cb(gpointer user_data)
{
    NetDevice *dev = user_data;
    gboolean carrier = read_sysfs_u64(dev->carrier_path) != 0;

    if (carrier != dev->carrier) {
        dev->carrier = carrier;
        netmon_mark_dirty(dev->mon, dev->name);
    }
    return G_SOURCE_CONTINUE;
}

static gboolean device_sample_rate_cb(gpointer user_data)
{
    NetDevice *dev = user_data;
    guint64 rx = read_sysfs_u64(dev->rx_path);
    gint64 now = g_get_monotonic_time();

    if (dev->rx_sampled_at != 0 && now > dev->rx_sampled_at && rx >= dev->rx_bytes)
        dev->rx_rate = (gdouble)(rx - dev->rx_bytes) * G_USEC_PER_SEC /
                       (gdouble)(now - dev->rx_sampled_at);
    dev->rx_bytes = rx;
    dev->rx_sampled_at = now;
    return G_SOURCE_CONTINUE;
}

static NetDevice *device_new(Netmon *mon, const gchar *name)
{
    NetDevice *dev = g_new0(NetDevice, 1);

    dev->mon = mon;
    dev->name = g_strdup(name);
    dev->carrier_path = g_build_filename(SYSFS_NET, name, "carrier", NULL);
    dev->rx_path = g_build_filename(SYSFS_NET, name, "statistics", "rx_bytes", NULL);
    dev->carrier = read_sysfs_u64(dev->carrier_path) != 0;
    dev->poll_id = g_timeout_add_seconds(POLL_INTERVAL_S, device_poll_cb, dev); /* expect: field-never-stopped */
    return dev;
}

static void device_free(gpointer data)
{
    NetDevice *dev = data;

    g_free(dev->carrier_path);
    g_free(dev->rx_path);
    g_free(dev->name);
    g_free(dev);
}

static gboolean remove_if_gone(gpointer key, gpointer value, gpointer user_data)
{
    GHashTable *present = user_data;
    NetDevice *dev = value;

    if (g_hash_table_contains(present, key))
        return FALSE;
    netmon_mark_dirty(dev->mon, dev->name);
    return TRUE;
}

static void netmon_add_device(Netmon *mon, const gchar *name)
{
    NetDevice *dev = device_new(mon, name);

    g_hash_table_insert(mon->devices, dev->name, dev);
    g_timeout_add_seconds(1, device_sample_rate_cb, dev); /* expect: handle-discarded */
    netmon_mark_dirty(mon, name);
}

static gboolean rescan_cb(gpointer user_data)
{
    Netmon *mon = user_data;
    GHashTable *present = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GDir *dir = g_dir_open(SYSFS_NET, 0, NULL);
    const gchar *name;

    if (dir == NULL) {
        g_hash_table_destroy(present);
        return G_SOURCE_CONTINUE;
    }
    while ((name = g_dir_read_name(dir)) != NULL) {
        g_hash_table_add(present, g_strdup(name));
        if (!g_hash_table_contains(mon->devices, name))
            netmon_add_device(mon, name);
    }
    g_dir_close(dir);
    g_hash_table_foreach_remove(mon->devices, remove_if_gone, present);
    g_hash_table_destroy(present);
    return G_SOURCE_CONTINUE;
}

Netmon *netmon_new(NetmonChangedFunc changed, gpointer user_data)
{
    Netmon *mon = g_new0(Netmon, 1);

    mon->devices = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, device_free);
    mon->dirty = g_ptr_array_new_with_free_func(g_free);
    mon->changed = changed;
    mon->changed_data = user_data;
    rescan_cb(mon);
    mon->rescan_id = g_timeout_add_seconds(RESCAN_INTERVAL_S, rescan_cb, mon);
    return mon;
}

void netmon_free(Netmon *mon)
{
    if (mon == NULL)
        return;
    if (mon->rescan_id != 0) {
        g_source_remove(mon->rescan_id);
        mon->rescan_id = 0;
    }
    g_clear_handle_id(&mon->settle_id, g_source_remove);
    g_hash_table_destroy(mon->devices);
    g_ptr_array_unref(mon->dirty);
    g_free(mon);
}

static void print_change(const gchar *name, gboolean carrier, gdouble rx_rate,
                         gpointer user_data)
{
    (void)user_data;
    g_print("%-12s %-5s %10.1f B/s\n", name, carrier ? "up" : "down", rx_rate);
}

static gboolean on_sigint(gpointer user_data)
{
    g_main_loop_quit(user_data);
    return G_SOURCE_REMOVE;
}

int main(void)
{
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    Netmon *mon = netmon_new(print_change, NULL);

    g_unix_signal_add(SIGINT, on_sigint, loop);
    g_main_loop_run(loop);
    netmon_free(mon);
    g_main_loop_unref(loop);
    return 0;
}
