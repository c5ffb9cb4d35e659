// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
// scan: --link
/* field-never-stopped, the teardown case, by what a function does (#19
 * items 2 and 3): a function that frees the object it is given is a
 * teardown of that object, whatever its name; a function of this file
 * whose body frees its parameter is a free, wherever it is called. A
 * static helper called only by name acts in its callers: its stops and
 * its frees count there. Reported where the field is started. */
#include <glib.h>

struct widget {
    guint ref;
    char *label;
    guint blink_id;     /* removed in widget_hide only */
};

struct item {
    char *name;
    guint poll_id;      /* removed in item_pause only */
};

struct conn {
    char *peer;
    guint idle_id;      /* removed by conn_close before it frees */
};

struct client {
    char *addr;
    guint ping_id;      /* removed by client_free, through client_close */
};

struct tag {
    char *name;
    guint flash_id;     /* removed in tag_off; tag_clear frees only the name */
};

struct peer {
    char *addr;
    guint retry_id;     /* removed in peer_settle only */
};

static gboolean tick(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

void widget_show(struct widget *w)
{
    w->blink_id = g_timeout_add(500, tick, w); /* expect: field-never-stopped */
}

void widget_hide(struct widget *w)
{
    g_source_remove(w->blink_id);
    w->blink_id = 0;
}

/* bad: the last reference frees the widget; its name says nothing */
void widget_unref(struct widget *w)
{
    if (--w->ref > 0)
        return;
    g_free(w->label);
    g_free(w);
}

void item_watch(struct item *it)
{
    it->poll_id = g_timeout_add(100, tick, it); /* expect: field-never-stopped */
}

void item_pause(struct item *it)
{
    g_source_remove(it->poll_id);
    it->poll_id = 0;
}

/* A free wrapper, callable from anywhere. */
void mem_put(struct item *it)
{
    g_free(it->name);
    g_free(it);
}

/* bad: frees the item through mem_put() */
void item_drop(struct item *it)
{
    mem_put(it);
}

void conn_open(struct conn *c)
{
    c->idle_id = g_timeout_add_seconds(30, tick, c);
}

static void conn_free(struct conn *c)
{
    g_free(c->peer);
    g_free(c);
}

/* good: the only caller of conn_free() removes the source first */
void conn_close(struct conn *c)
{
    g_source_remove(c->idle_id);
    conn_free(c);
}

void client_start(struct client *cl)
{
    cl->ping_id = g_timeout_add_seconds(10, tick, cl);
}

static void client_free(struct client *cl)
{
    if (cl->ping_id)
        g_source_remove(cl->ping_id);
    g_free(cl->addr);
    g_free(cl);
}

static void client_close(struct client *cl)
{
    g_message("closing %s", cl->addr);
    client_free(cl);
}

/* good: client_close() -> client_free() removes the ping first */
void client_gone(struct client *cl)
{
    client_close(cl);
}

void tag_on(struct tag *t)
{
    t->flash_id = g_timeout_add(250, tick, t);
}

void tag_off(struct tag *t)
{
    g_source_remove(t->flash_id);
    t->flash_id = 0;
}

static void name_put(struct tag *t)
{
    g_free(t->name);
    t->name = NULL;
}

/* good: frees the name, not the tag */
void tag_clear(struct tag *t)
{
    name_put(t);
}

static void peer_free(struct peer *p)
{
    g_free(p->addr);
    g_free(p);
}

struct peer *peer_new(const char *addr)
{
    struct peer *p = g_new0(struct peer, 1);

    p->addr = g_strdup(addr);
    if (p->addr == NULL) {
        peer_free(p);
        return NULL;
    }
    p->retry_id = g_timeout_add_seconds(5, tick, p); /* expect: field-never-stopped */
    return p;
}

void peer_settle(struct peer *p)
{
    g_source_remove(p->retry_id);
    p->retry_id = 0;
}

/* bad: frees a peer whose retry may be pending, through peer_free() */
void peer_lost(struct peer *p)
{
    peer_free(p);
}
