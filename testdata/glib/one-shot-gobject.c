// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * handle-discarded (glib), one-shot data that is a GObject: an instance is
 * freed whenever its last reference is dropped (g_object_unref), so a
 * dropped one-shot id whose callback reads the object without holding a
 * reference may run on a finalized object. No finding when the source
 * holds a reference (g_object_ref as data, unref in the callback or in a
 * destroy notify), or when the data is a plain struct nothing frees.
 */
#include <glib-object.h>

typedef struct {
    GObject parent_instance;
    gchar *title;
    gboolean shown;
} Banner;

typedef struct {
    GObjectClass parent_class;
} BannerClass;

G_DEFINE_TYPE(Banner, banner, G_TYPE_OBJECT)

static void banner_finalize(GObject *obj)
{
    Banner *self = (Banner *)obj;

    g_free(self->title);
    G_OBJECT_CLASS(banner_parent_class)->finalize(obj);
}

static void banner_class_init(BannerClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = banner_finalize;
}

static void banner_init(Banner *self)
{
    self->shown = FALSE;
}

static gboolean show_banner(gpointer data)
{
    Banner *self = data;

    self->shown = TRUE;
    return G_SOURCE_REMOVE;
}

static gboolean show_banner_and_unref(gpointer data)
{
    Banner *self = data;

    self->shown = TRUE;
    g_object_unref(self);
    return G_SOURCE_REMOVE;
}

/* bad: the banner may be finalized before the idle runs */
void banner_show_later(Banner *self)
{
    g_idle_add(show_banner, self); /* expect: handle-discarded */
}

/* good: the idle holds a reference, dropped by its callback */
void banner_show_later_ref(Banner *self)
{
    g_idle_add(show_banner_and_unref, g_object_ref(self));
}

/* good: the idle holds a reference, dropped by the destroy notify */
void banner_show_later_notify(Banner *self)
{
    g_idle_add_full(G_PRIORITY_DEFAULT, show_banner, g_object_ref(self), g_object_unref);
}
