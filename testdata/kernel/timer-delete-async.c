// scan: --link
/*
 * field-never-stopped (kernel, 6.2+ names): timer_delete() is the new name
 * of del_timer() and does not wait for a running callback, so a remove()
 * that uses it and then frees the device races the callback. The kernel
 * entry applies only to timer_delete(struct timer_list *) (when-param):
 * POSIX timer_delete(timer_t) is another API of the same name.
 * timer_delete_sync() and timer_shutdown_sync() wait: no finding. Reported
 * at the first place the field is armed in the file (testdata/README.md):
 * the callback's re-arm.
 */
#include "kernel-timer.h"

struct led_dev {
    struct timer_list blink;
    int on;
};

struct fan_dev {
    struct timer_list poll;
    int rpm;
};

static void led_blink(struct timer_list *t)
{
    struct led_dev *led = from_timer(led, t, blink);

    led->on = !led->on;
    mod_timer(&led->blink, jiffies + HZ); /* expect: field-never-stopped */
}

static void fan_poll(struct timer_list *t)
{
    struct fan_dev *fan = from_timer(fan, t, poll);

    fan->rpm++;
    mod_timer(&fan->poll, jiffies + HZ);
}

int led_probe(struct led_dev *led)
{
    timer_setup(&led->blink, led_blink, 0);
    mod_timer(&led->blink, jiffies + HZ);
    return 0;
}

void led_remove(struct led_dev *led)
{
    timer_delete(&led->blink);
    kfree(led);
}

int fan_probe(struct fan_dev *fan)
{
    timer_setup(&fan->poll, fan_poll, 0);
    mod_timer(&fan->poll, jiffies + HZ);
    return 0;
}

void fan_remove(struct fan_dev *fan)
{
    timer_delete_sync(&fan->poll);
    kfree(fan);
}
