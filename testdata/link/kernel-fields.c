// scan: --link
/* field-never-stopped for a driver: a timer set up in probe() and armed
 * must be stopped somewhere (remove(), a helper it calls); one that only
 * probe() arms and nothing ever deletes fires after the device is gone;
 * one that remove() stops only with del_timer() (which does not wait for a
 * running callback) may still run after the free. */
#include "../kernel/kernel-timer.h"

struct sensor_priv {
    struct timer_list poll_timer;  /* armed in probe, deleted in remove */
    struct timer_list watchdog;    /* armed in probe, never deleted: bad */
    struct timer_list retry_timer; /* deleted by a helper in remove */
    struct timer_list led_timer;   /* del_timer (async) in remove: bad */
    struct timer_list scan_timer;  /* del_timer in a worker, not a teardown */
    unsigned long period;
};

extern struct sensor_priv *devm_priv(void);

static void poll_fn(struct timer_list *t) { (void)t; }
static void watchdog_fn(struct timer_list *t) { (void)t; }
static void retry_fn(struct timer_list *t) { (void)t; }
static void led_fn(struct timer_list *t) { (void)t; }

void sensor_pause_scan(struct sensor_priv *priv)
{
    del_timer(&priv->scan_timer);
}

static void stop_retry(struct sensor_priv *priv)
{
    del_timer_sync(&priv->retry_timer);
}

int sensor_probe(void)
{
    struct sensor_priv *priv = devm_priv();

    if (!priv)
        return -1;
    timer_setup(&priv->poll_timer, poll_fn, 0);
    timer_setup(&priv->watchdog, watchdog_fn, 0);
    timer_setup(&priv->retry_timer, retry_fn, 0);
    mod_timer(&priv->poll_timer, jiffies + priv->period);
    mod_timer(&priv->watchdog, jiffies + 10 * priv->period); /* expect: field-never-stopped */
    mod_timer(&priv->retry_timer, jiffies + 2 * priv->period);
    timer_setup(&priv->led_timer, led_fn, 0);
    mod_timer(&priv->led_timer, jiffies + priv->period); /* expect: field-never-stopped */
    mod_timer(&priv->scan_timer, jiffies + priv->period);
    return 0;
}

void sensor_remove(struct sensor_priv *priv)
{
    del_timer_sync(&priv->poll_timer);
    stop_retry(priv);
    del_timer(&priv->led_timer);
}
