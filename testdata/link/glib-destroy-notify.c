// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
// scan: --link
/* A container that keeps a destroy function calls it on every removal:
 * g_hash_table_new_full's value_destroy_func runs on g_hash_table_remove,
 * g_hash_table_replace and g_hash_table_destroy; g_ptr_array_new_with_free_func's
 * on g_ptr_array_remove_index and at the array's end. Whatever the program
 * removes, whenever it does, the function handed over runs then: it can run
 * while a one-shot source given its element as data is still pending, so
 * such a source must be removed by it (a static function never called by
 * name is still callable at any time). A list's g_list_free_full(l, fn)
 * calls fn there and then, at that call only: it is not kept.
 * (bench/realistic/td13/usbwatch.c:104, missed before this.) */
#include <glib.h>

typedef struct {
    char *syspath;
    guint settle_id; /* a one-shot: settle_cb returns G_SOURCE_REMOVE */
    int settled;
} Port;

static GHashTable *ports;

static gboolean settle_cb(gpointer data)
{
    Port *p = data;
    p->settle_id = 0;
    p->settled = 1;
    return G_SOURCE_REMOVE;
}

/* bad: the table's destroy function frees the port; the one-shot may
 * still be pending when a removal runs it */
static void port_free(gpointer data)
{
    Port *p = data;
    g_free(p->syspath);
    g_free(p);
}

void ports_init(void)
{
    ports = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, port_free);
}

void port_add(const char *path)
{
    Port *p = g_new0(Port, 1);
    p->syspath = g_strdup(path);
    if (p->settle_id != 0)
        g_source_remove(p->settle_id);
    p->settle_id = g_timeout_add(200, settle_cb, p); /* expect: field-never-stopped */
    g_hash_table_replace(ports, p->syspath, p);
}

void port_gone(const char *path)
{
    g_hash_table_remove(ports, path);
}

/* good: the destroy function of this table removes the pending one-shot
 * before it frees */
typedef struct {
    char *name;
    guint probe_id;
} Slot;

static GHashTable *slots;

static gboolean probe_cb(gpointer data)
{
    Slot *s = data;
    s->probe_id = 0;
    return G_SOURCE_REMOVE;
}

static void slot_free(gpointer data)
{
    Slot *s = data;
    if (s->probe_id)
        g_source_remove(s->probe_id);
    g_free(s->name);
    g_free(s);
}

void slots_init(void)
{
    slots = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, slot_free);
}

void slot_add(const char *name)
{
    Slot *s = g_new0(Slot, 1);
    s->name = g_strdup(name);
    s->probe_id = g_timeout_add(50, probe_cb, s);
    g_hash_table_insert(slots, g_strdup(name), s);
}

void slot_gone(const char *name)
{
    g_hash_table_remove(slots, name);
}

/* bad: a pointer array's free function, the one-shot's id dropped */
typedef struct {
    int fd;
    int pending;
} Reader;

static GPtrArray *readers;

static gboolean kick_cb(gpointer data)
{
    Reader *r = data;
    r->pending = 0;
    return G_SOURCE_REMOVE;
}

static void reader_free(gpointer data)
{
    Reader *r = data;
    g_free(r);
}

void readers_init(void)
{
    readers = g_ptr_array_new_with_free_func(reader_free);
}

void reader_add(int fd)
{
    Reader *r = g_new0(Reader, 1);
    r->fd = fd;
    r->pending = 1;
    g_idle_add(kick_cb, r); /* expect: handle-discarded */
    g_ptr_array_add(readers, r);
}

void reader_drop(guint i)
{
    g_ptr_array_remove_index(readers, i);
}

/* good: a list freed whole with its destroy function, once the runner is
 * done: g_list_free_full calls job_free there, not at any time */
typedef struct {
    char *what;
    int done;
} Job;

static GList *jobs;

static gboolean job_run(gpointer data)
{
    Job *j = data;
    j->done = 1;
    return G_SOURCE_REMOVE;
}

static void job_free(gpointer data)
{
    Job *j = data;
    g_free(j->what);
    g_free(j);
}

void job_queue(Job *j)
{
    jobs = g_list_append(jobs, j);
    g_idle_add(job_run, j);
}

void jobs_finish(void)
{
    g_list_free_full(jobs, job_free);
    jobs = NULL;
}
