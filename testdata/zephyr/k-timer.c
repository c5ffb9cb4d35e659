// scan: --link
/*
 * zephyr: a struct k_timer that was started with k_timer_start() must be
 * stopped with k_timer_stop() before its storage goes away (the kernel's
 * timeout list points at it). Stopping frees nothing: a restart after a
 * stop is correct. Reported on the k_timer_start line.
 */
#include "zephyr-kernel.h"

struct device;

struct sensor_data {
    const struct device *dev;
    struct k_timer poll_timer;
    struct k_timer watchdog_timer;
    int samples;
    uint32_t period_ms;
};

extern int sensor_sample_fetch(const struct device *dev);
extern int sensor_wait_ready(const struct device *dev);

static void poll_expiry(struct k_timer *timer)
{
    struct sensor_data *data = CONTAINER_OF(timer, struct sensor_data, poll_timer);

    data->samples++;
}

/* Stops its parameter on every path. */
static void poll_stop(struct k_timer *timer)
{
    k_timer_stop(timer);
}

/* bad: a fetch error returns with the on-stack timer still running */
int bad_onstack_error_returns(const struct device *dev, uint32_t period_ms)
{
    struct k_timer t;

    k_timer_init(&t, NULL, NULL);
    k_timer_start(&t, K_MSEC(period_ms), K_MSEC(period_ms)); /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by k_timer_start() */
    for (int i = 0; i < 10; i++) { /* note[missing-stop]: taking the true branch: 'i < 10' is true */
        if (sensor_sample_fetch(dev) < 0) /* note[missing-stop]: taking the true branch: 'sensor_sample_fetch(dev) < 0' is true */
            return -EIO; /* note[missing-stop]: returning here without k_timer_stop() */
        k_msleep(period_ms);
    }
    k_timer_stop(&t);
    return 0;
}

/* bad: the ready check gives up without stopping the guard timer */
int bad_guard_timer_left(const struct device *dev)
{
    struct k_timer guard;

    k_timer_init(&guard, NULL, NULL);
    k_timer_start(&guard, K_SECONDS(1), K_NO_WAIT); /* expect: missing-stop */ /* note[missing-stop]: timer 'guard' created here by k_timer_start() */
    if (sensor_wait_ready(dev) < 0) /* note[missing-stop]: taking the true branch: 'sensor_wait_ready(dev) < 0' is true */
        return -ENODEV; /* note[missing-stop]: returning here without k_timer_stop() */
    poll_stop(&guard);
    return 0;
}

/* good: stopped on every path, once through a same-file helper */
int good_onstack_stopped(const struct device *dev, uint32_t period_ms)
{
    struct k_timer t;
    int ret = 0;

    k_timer_init(&t, NULL, NULL);
    k_timer_start(&t, K_MSEC(period_ms), K_MSEC(period_ms));
    if (sensor_sample_fetch(dev) < 0) {
        poll_stop(&t);
        return -EIO;
    }
    k_msleep(period_ms);
    k_timer_stop(&t);
    return ret;
}

/* good: stop, then start again with a new period: a restart */
void good_restart_after_stop(struct sensor_data *data, uint32_t period_ms)
{
    k_timer_stop(&data->poll_timer);
    data->period_ms = period_ms;
    k_timer_start(&data->poll_timer, K_MSEC(period_ms), K_MSEC(period_ms));
}

/* good: an on-stack restart after a stop, stopped again at the end */
int good_onstack_restart(const struct device *dev)
{
    struct k_timer t;

    k_timer_init(&t, NULL, NULL);
    k_timer_start(&t, K_MSEC(10), K_MSEC(10));
    sensor_sample_fetch(dev);
    k_timer_stop(&t);
    k_timer_start(&t, K_MSEC(100), K_MSEC(100));
    sensor_sample_fetch(dev);
    k_timer_stop(&t);
    return 0;
}

/* good: an on-stack timer initialised but never started needs nothing */
int good_init_never_started(const struct device *dev)
{
    struct k_timer t;

    k_timer_init(&t, poll_expiry, NULL);
    if (sensor_wait_ready(dev) < 0)
        return -ENODEV;
    return 0;
}

/* good: timers in the driver data, reached through a pointer */
int good_driver_data_timer(struct sensor_data *data)
{
    k_timer_init(&data->poll_timer, poll_expiry, NULL);
    k_timer_user_data_set(&data->poll_timer, data);
    if (sensor_wait_ready(data->dev) < 0)
        return -ENODEV;
    k_timer_start(&data->poll_timer, K_MSEC(data->period_ms), K_MSEC(data->period_ms));
    return 0;
}

/* good: a one-shot on-stack timer waited for with k_timer_status_sync has expired */
void good_oneshot_waited(void)
{
    struct k_timer t;

    k_timer_init(&t, NULL, NULL);
    k_timer_start(&t, K_MSEC(50), K_NO_WAIT);
    k_timer_status_sync(&t);
}

/* The suspend path stops poll_timer but not watchdog_timer, which
 * sensor_watchdog_start() starts: a cross-function question for the link phase. */
void sensor_suspend(struct sensor_data *data)
{
    k_timer_stop(&data->poll_timer);
}

void sensor_watchdog_start(struct sensor_data *data)
{
    k_timer_start(&data->watchdog_timer, K_SECONDS(1), K_SECONDS(1)); /* expect: field-never-stopped */ /* note[field-never-stopped]: created here by k_timer_start() in sensor_watchdog_start() */
}
