// scan: --link
/* usbwatch: USB hotplug monitor for systems without udev. Polls sysfs, announces a
 * device once it has settled and enables runtime autosuspend when it is quiet. */
#include <stdio.h>
#include <string.h>
#include <glib.h>

#define SETTLE_MS         1500
#define AUTOSUSPEND_S     30
#define RESCAN_INTERVAL_S 2
#define STATS_INTERVAL_S  300

typedef struct _HotplugMonitor HotplugMonitor;

typedef struct {
  HotplugMonitor *mon;
  gchar *syspath;
  gchar *product;
  gboolean announced;
  guint seen_gen;
  guint settle_id;
  GSource *autosuspend_src;
} UsbDevice;

struct _HotplugMonitor {
  gchar *sysfs_root;
  GHashTable *devices; /* syspath -> UsbDevice, owns them */
  guint rescan_id;
  guint changed_idle_id;
  guint generation;
  gboolean verbose;
  void (*changed) (HotplugMonitor *mon, gpointer user_data);
  gpointer changed_data;
};

static gchar *
read_attr (const gchar *syspath, const gchar *attr)
{
  gchar *path = g_build_filename (syspath, attr, NULL);
  gchar *val = NULL;
  if (g_file_get_contents (path, &val, NULL, NULL))
    g_strstrip (val);
  g_free (path);
  return val;
}

static gboolean
emit_changed_idle (gpointer data)
{
  HotplugMonitor *mon = data;
  mon->changed_idle_id = 0;
  if (mon->changed != NULL)
    mon->changed (mon, mon->changed_data);
  return G_SOURCE_REMOVE;
}

/* A hub brings several devices at once: tell listeners once per main loop pass. */
static void
queue_changed (HotplugMonitor *mon)
{
  if (mon->changed_idle_id == 0)
    mon->changed_idle_id = g_idle_add (emit_changed_idle, mon);
}

static gboolean
usb_device_autosuspend_cb (gpointer data)
{
  UsbDevice *dev = data;
  gchar *path = g_build_filename (dev->syspath, "power", "control", NULL);
  FILE *f = fopen (path, "w");
  if (f != NULL)
    {
      fputs ("auto", f);
      fclose (f);
    }
  g_free (path);
  return G_SOURCE_REMOVE;
}

static gboolean
usb_device_settle_cb (gpointer data)
{
  UsbDevice *dev = data;
  dev->settle_id = 0;
  g_free (dev->product);
  dev->product = read_attr (dev->syspath, "product");
  dev->announced = TRUE;
  if (dev->autosuspend_src == NULL)
    {
      dev->autosuspend_src = g_timeout_source_new_seconds (AUTOSUSPEND_S);
      g_source_set_callback (dev->autosuspend_src, usb_device_autosuspend_cb, dev, NULL);
      g_source_attach (dev->autosuspend_src, NULL);
    }
  queue_changed (dev->mon);
  return G_SOURCE_REMOVE;
}

/* Descriptors change while a device enumerates: announce it once stable for SETTLE_MS. */
static void
usb_device_schedule_settle (UsbDevice *dev)
{
  if (dev->settle_id != 0)
    g_source_remove (dev->settle_id);
  dev->settle_id = g_timeout_add (SETTLE_MS, usb_device_settle_cb, dev); /* expect: field-never-stopped */
}

static void
usb_device_free (gpointer data)
{
  UsbDevice *dev = data;
  if (dev->autosuspend_src != NULL)
    {
      /* a no-op if it already ran; the reference is still ours */
      g_source_destroy (dev->autosuspend_src);
      g_source_unref (dev->autosuspend_src);
    }
  g_free (dev->product);
  g_free (dev->syspath);
  g_free (dev);
}

static gboolean
remove_if_stale (gpointer key, gpointer value, gpointer user_data)
{
  UsbDevice *dev = value;
  HotplugMonitor *mon = user_data;
  (void) key;
  if (dev->seen_gen == mon->generation)
    return FALSE;
  if (dev->announced)
    queue_changed (mon);
  return TRUE; /* the table's value destroy function frees it */
}

static gboolean
hotplug_monitor_enumerate (HotplugMonitor *mon, GError **error)
{
  GDir *dir = g_dir_open (mon->sysfs_root, 0, error);
  const gchar *name;
  if (dir == NULL)
    return FALSE;
  mon->generation++;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gchar *syspath;
      UsbDevice *dev;
      /* "1-1.2" is a device; "1-1.2:1.0" an interface, "usb1" a root hub */
      if (!g_ascii_isdigit (name[0]) || strchr (name, ':') != NULL)
        continue;
      syspath = g_build_filename (mon->sysfs_root, name, NULL);
      dev = g_hash_table_lookup (mon->devices, syspath);
      if (dev == NULL)
        {
          dev = g_new0 (UsbDevice, 1);
          dev->mon = mon;
          dev->syspath = g_steal_pointer (&syspath);
          g_hash_table_insert (mon->devices, dev->syspath, dev);
          usb_device_schedule_settle (dev);
        }
      dev->seen_gen = mon->generation;
      g_free (syspath);
    }
  g_dir_close (dir);
  g_hash_table_foreach_remove (mon->devices, remove_if_stale, mon);
  return TRUE;
}

static gboolean
hotplug_rescan_cb (gpointer data)
{
  HotplugMonitor *mon = data;
  GError *error = NULL;
  if (!hotplug_monitor_enumerate (mon, &error))
    {
      g_warning ("usbwatch: rescan failed: %s", error->message);
      g_clear_error (&error);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
log_stats_cb (gpointer data)
{
  HotplugMonitor *mon = data;
  g_message ("usbwatch: %u devices present", g_hash_table_size (mon->devices));
  return G_SOURCE_CONTINUE;
}

HotplugMonitor *
hotplug_monitor_new (const gchar *sysfs_root)
{
  HotplugMonitor *mon = g_new0 (HotplugMonitor, 1);
  mon->sysfs_root = g_strdup (sysfs_root != NULL ? sysfs_root : "/sys/bus/usb/devices");
  mon->devices = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, usb_device_free);
  return mon;
}

void
hotplug_monitor_enable_stats (HotplugMonitor *mon)
{
  mon->verbose = TRUE;
  g_timeout_add_seconds (STATS_INTERVAL_S, log_stats_cb, mon); /* expect: handle-discarded */
}

gboolean
hotplug_monitor_start (HotplugMonitor *mon, GError **error)
{
  g_return_val_if_fail (mon->rescan_id == 0, FALSE);
  mon->rescan_id = g_timeout_add_seconds (RESCAN_INTERVAL_S, hotplug_rescan_cb, mon);
  if (!g_file_test (mon->sysfs_root, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR, "%s: not a directory", mon->sysfs_root);
      g_source_remove (mon->rescan_id);
      goto fail;
    }
  if (!hotplug_monitor_enumerate (mon, error))
    goto fail;
  return TRUE;
fail:
  g_source_remove (mon->rescan_id); /* expect: use-after-release */
  mon->rescan_id = 0;
  return FALSE;
}

typedef struct {
  const gchar *product;
  GMainLoop *loop;
  gboolean found, timed_out;
} WaitCtx;

static void
wait_changed_cb (HotplugMonitor *mon, gpointer user_data)
{
  WaitCtx *w = user_data;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, mon->devices);
  while (!w->found && g_hash_table_iter_next (&it, NULL, &value))
    {
      UsbDevice *dev = value;
      if (dev->announced && g_strcmp0 (dev->product, w->product) == 0)
        w->found = TRUE;
    }
  if (w->found)
    g_main_loop_quit (w->loop);
}

static gboolean
wait_timeout_cb (gpointer data)
{
  WaitCtx *w = data;
  w->timed_out = TRUE;
  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_progress_cb (gpointer data)
{
  WaitCtx *w = data;
  if (!w->found)
    g_printerr (".");
  return G_SOURCE_CONTINUE;
}

/* "usbwatch --wait PRODUCT": block until such a device has been announced. */
gboolean
hotplug_monitor_wait_for (HotplugMonitor *mon, const gchar *product, guint timeout_ms)
{
  WaitCtx w = { product, g_main_loop_new (NULL, FALSE), FALSE, FALSE };
  const gboolean show_progress = mon->verbose;
  guint timeout_id, progress_id = 0;
  mon->changed = wait_changed_cb;
  mon->changed_data = &w;
  timeout_id = g_timeout_add (timeout_ms, wait_timeout_cb, &w);
  if (show_progress)
    progress_id = g_timeout_add_seconds (1, wait_progress_cb, &w); /* expect: missing-stop */
  g_main_loop_run (w.loop);
  mon->changed = NULL;
  mon->changed_data = NULL;
  g_main_loop_unref (w.loop);
  if (w.timed_out)
    return FALSE; /* wait_timeout_cb already removed its source */
  g_source_remove (timeout_id);
  if (show_progress)
    g_source_remove (progress_id);
  return TRUE;
}

void
hotplug_monitor_free (HotplugMonitor *mon)
{
  if (mon->rescan_id != 0)
    g_source_remove (mon->rescan_id);
  if (mon->changed_idle_id != 0)
    g_source_remove (mon->changed_idle_id);
  g_hash_table_destroy (mon->devices);
  g_free (mon->sysfs_root);
  g_free (mon);
}
