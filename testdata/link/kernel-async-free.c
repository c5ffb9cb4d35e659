// scan: --link
/* A teardown that frees the object after a stop that does not wait for a
 * running callback (del_timer, cancel_delayed_work), while another
 * function stops the same field with one that waits (an error path's
 * del_timer_sync): the callback may still run on the freed memory. The
 * wait elsewhere does not help the teardown. Negatives: the teardown
 * waits itself, or calls a helper that waits before the free. A delayed
 * work's own timer (INIT_DELAYED_WORK sets up dw->timer) is the work's,
 * never a kernel-timer of the driver. Written after the change (found
 * on bench/realistic/cb15/kernel_timer_shutdown.c). */
#include "../kernel/kernel-timer.h"
#include "../kernel/kernel-work.h"


struct port {
    struct timer_list tx_timer;   /* del_timer in the teardown: bad */
    struct timer_list rx_timer;   /* del_timer_sync in the teardown */
    struct timer_list link_timer; /* a waiting helper in the teardown */
    struct delayed_work stats;    /* cancel_delayed_work in the teardown: bad */
    int id;
};

extern int port_hw_init(int id);

static void tx_fn(struct timer_list *t) { (void)t; }
static void rx_fn(struct timer_list *t) { (void)t; }
static void link_fn(struct timer_list *t) { (void)t; }
static void stats_fn(struct work_struct *w) { (void)w; }

static void port_stop_link(struct port *p)
{
    del_timer_sync(&p->link_timer);
}

struct port *port_create(int id)
{
    struct port *p = kzalloc(sizeof(*p), 0);

    if (!p)
        return 0;
    p->id = id;
    timer_setup(&p->tx_timer, tx_fn, 0);
    timer_setup(&p->rx_timer, rx_fn, 0);
    timer_setup(&p->link_timer, link_fn, 0);
    INIT_DELAYED_WORK(&p->stats, stats_fn);
    mod_timer(&p->tx_timer, jiffies + 10); /* expect: field-never-stopped */
    mod_timer(&p->rx_timer, jiffies + 10);
    mod_timer(&p->link_timer, jiffies + 10);
    schedule_delayed_work(&p->stats, 100); /* expect: field-never-stopped */
    if (port_hw_init(id) < 0) {
        del_timer_sync(&p->tx_timer);
        del_timer_sync(&p->rx_timer);
        port_stop_link(p);
        cancel_delayed_work_sync(&p->stats);
        kfree(p);
        return 0;
    }
    return p;
}

void port_destroy(struct port *p)
{
    del_timer(&p->tx_timer);
    del_timer_sync(&p->rx_timer);
    del_timer(&p->link_timer);
    port_stop_link(p);
    cancel_delayed_work(&p->stats);
    kfree(p);
}
