// scan: --link
// SPDX-License-Identifier: GPL-2.0
/* fanctl.c - PWM fan controller platform driver (tach sampling, stall
 * watchdog, fan curve and telemetry works, alarm hold-off, debounced hub
 * events), on the timer_delete()/timer_shutdown() names. */
#include "../../../testdata/kernel/kernel-timer.h"
#include "../../../testdata/kernel/kernel-work.h"

#define FAN_MAX_CHANNELS	4
#define FAN_SAMPLE_MS		250
#define FAN_STALL_MS		2000
#define FAN_SPINUP_MS		500
#define FAN_SPINUP_RPM		300
#define FAN_HOLDOFF_MS		5000
#define FAN_DEBOUNCE_MS		20

struct device { void *driver_data; };
struct platform_device { const char *name; int id; struct device dev; };
struct platform_driver {
	int (*probe)(struct platform_device *pdev);
	int (*remove)(struct platform_device *pdev);
	const char *name;
};

void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp);
int fan_hw_read_tach(int id, u32 *rpm);
int fan_hw_set_pwm(int id, u32 duty);
int fan_hw_reset(int id);
void fan_report_rpm(int id, u32 rpm);
void cpu_relax(void);

struct fan_channel {
	int id;
	u32 rpm;
	u32 duty;
	unsigned int report_ms;
	struct timer_list sample_timer;
	struct timer_list stall_timer;
	struct delayed_work curve_work;
	struct delayed_work report_work;
};

struct fan_hub_event { u32 status; struct timer_list debounce; };

struct fanctl_priv {
	struct fan_channel *chan[FAN_MAX_CHANNELS];
	struct fan_hub_event *pending_event;
	struct timer_list holdoff;		/* alarm hold-off window */
	unsigned int alarm_count;
};

struct fan_spinup { struct timer_list timer; bool expired; };

static void fan_stall_expired(struct timer_list *t)
{
	struct fan_channel *chan = from_timer(chan, t, stall_timer);
	fan_hw_set_pwm(chan->id, 100);
}

static void fan_sample_tick(struct timer_list *t)
{
	struct fan_channel *chan = from_timer(chan, t, sample_timer);

	if (fan_hw_read_tach(chan->id, &chan->rpm) == 0 && chan->rpm == 0 &&
	    !timer_pending(&chan->stall_timer))
		mod_timer(&chan->stall_timer, /* expect: field-never-stopped */
			  jiffies + msecs_to_jiffies(FAN_STALL_MS));

	mod_timer(&chan->sample_timer, jiffies + msecs_to_jiffies(FAN_SAMPLE_MS));
}

static void fan_curve_work(struct work_struct *work)
{
	struct fan_channel *chan = container_of(to_delayed_work(work),
						struct fan_channel, curve_work);

	fan_hw_set_pwm(chan->id, chan->duty);
}

static void fan_report_work(struct work_struct *work)
{
	struct fan_channel *chan = container_of(to_delayed_work(work),
						struct fan_channel, report_work);

	fan_report_rpm(chan->id, chan->rpm);
	schedule_delayed_work(&chan->report_work, msecs_to_jiffies(chan->report_ms));
}

static void fan_spinup_timeout(struct timer_list *t)
{
	struct fan_spinup *w = from_timer(w, t, timer);
	w->expired = true;
}

static int fan_wait_spinup(struct fan_channel *chan)
{
	struct fan_spinup w = { .expired = false };

	timer_setup_on_stack(&w.timer, fan_spinup_timeout, 0); /* expect: missing-stop */
	mod_timer(&w.timer, jiffies + msecs_to_jiffies(FAN_SPINUP_MS));

	while (!w.expired) {
		if (fan_hw_read_tach(chan->id, &chan->rpm) == 0 &&
		    chan->rpm >= FAN_SPINUP_RPM)
			return 0;
		cpu_relax();
	}

	timer_delete_sync(&w.timer);
	destroy_timer_on_stack(&w.timer);
	return -ETIMEDOUT;
}

static struct fan_channel *fan_channel_create(int id)
{
	struct fan_channel *chan;
	int err;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return ERR_PTR(-ENOMEM);

	chan->id = id;
	chan->report_ms = 1000;
	timer_setup(&chan->sample_timer, fan_sample_tick, 0);
	timer_setup(&chan->stall_timer, fan_stall_expired, 0);
	INIT_DELAYED_WORK(&chan->curve_work, fan_curve_work);
	INIT_DELAYED_WORK(&chan->report_work, fan_report_work);

	mod_timer(&chan->sample_timer, jiffies + msecs_to_jiffies(FAN_SAMPLE_MS));

	err = fan_hw_set_pwm(id, 40);
	if (err)
		goto err_stop;

	err = fan_wait_spinup(chan);
	if (err)
		goto err_stop;

	schedule_delayed_work(&chan->report_work, msecs_to_jiffies(chan->report_ms));
	return chan;

err_stop:
	timer_shutdown_sync(&chan->sample_timer);
	timer_delete_sync(&chan->stall_timer);
	kfree(chan);
	return ERR_PTR(err);
}

static void fan_channel_set_curve(struct fan_channel *chan, u32 duty)
{
	chan->duty = duty;
	schedule_delayed_work(&chan->curve_work, msecs_to_jiffies(100)); /* expect: field-never-stopped */
}

static void fan_channel_set_report_interval(struct fan_channel *chan,
					    unsigned int ms)
{
	cancel_delayed_work_sync(&chan->report_work);
	chan->report_ms = ms;
	schedule_delayed_work(&chan->report_work, msecs_to_jiffies(ms));
}

int fan_channel_reset(struct fan_channel *chan)
{
	int err;

	timer_shutdown_sync(&chan->sample_timer);

	err = fan_hw_reset(chan->id);
	if (err)
		return err;

	chan->rpm = 0;
	mod_timer(&chan->sample_timer, jiffies + msecs_to_jiffies(FAN_SAMPLE_MS)); /* expect: use-after-release */
	return 0;
}

static void fan_channel_destroy(struct fan_channel *chan)
{
	timer_shutdown_sync(&chan->sample_timer);
	timer_delete(&chan->stall_timer);
	cancel_delayed_work(&chan->curve_work);
	cancel_delayed_work_sync(&chan->report_work);
	kfree(chan);
}

static void fan_alarm_holdoff_end(struct timer_list *t)
{
	struct fanctl_priv *priv = from_timer(priv, t, holdoff);
	priv->alarm_count = 0;
}

static void fan_alarm_trigger(struct fanctl_priv *priv)
{
	if (priv->alarm_count++ == 0) {
		mod_timer(&priv->holdoff, jiffies + msecs_to_jiffies(FAN_HOLDOFF_MS));
		return;
	}

	/* restart the hold-off window from now, with no callback in flight */
	timer_delete_sync(&priv->holdoff);
	priv->alarm_count = 1;
	mod_timer(&priv->holdoff, jiffies + msecs_to_jiffies(FAN_HOLDOFF_MS));
}

static void fan_alarm_quiesce(struct fanctl_priv *priv)
{
	timer_shutdown_sync(&priv->holdoff);
	priv->alarm_count = 0;
}

static void fan_hub_debounced(struct timer_list *t)
{
	struct fan_hub_event *ev = from_timer(ev, t, debounce);
	ev->status = 0;
}

int fanctl_hub_event(struct fanctl_priv *priv, u32 status)
{
	struct fan_hub_event *ev;

	if (priv->pending_event)
		return 0;

	ev = kzalloc(sizeof(*ev), GFP_KERNEL);
	if (!ev)
		return -ENOMEM;

	ev->status = status;
	timer_setup(&ev->debounce, fan_hub_debounced, 0);
	mod_timer(&ev->debounce, jiffies + msecs_to_jiffies(FAN_DEBOUNCE_MS)); /* expect: field-never-stopped */
	priv->pending_event = ev;
	if (status & 1)
		fan_alarm_trigger(priv);
	return 0;
}

static void fan_hub_event_free(struct fan_hub_event *ev)
{
	timer_shutdown(&ev->debounce);
	kfree(ev);
}

static int fanctl_probe(struct platform_device *pdev)
{
	struct fanctl_priv *priv;
	int i, err;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	timer_setup(&priv->holdoff, fan_alarm_holdoff_end, 0);

	for (i = 0; i < FAN_MAX_CHANNELS; i++) {
		priv->chan[i] = fan_channel_create(i);
		if (IS_ERR(priv->chan[i])) {
			err = PTR_ERR(priv->chan[i]);
			goto err_channels;
		}
	}

	fan_channel_set_curve(priv->chan[0], 60);
	fan_channel_set_report_interval(priv->chan[0], 500);
	pdev->dev.driver_data = priv;
	return 0;

err_channels:
	while (--i >= 0)
		fan_channel_destroy(priv->chan[i]);
	return err;
}

static int fanctl_remove(struct platform_device *pdev)
{
	struct fanctl_priv *priv = pdev->dev.driver_data;
	int i;

	/* priv itself is devm-managed and goes away after remove() */
	fan_alarm_quiesce(priv);

	if (priv->pending_event)
		fan_hub_event_free(priv->pending_event);

	for (i = 0; i < FAN_MAX_CHANNELS; i++)
		fan_channel_destroy(priv->chan[i]);
	return 0;
}

struct platform_driver fanctl_driver = {
	.probe = fanctl_probe,
	.remove = fanctl_remove,
	.name = "fanctl",
};
