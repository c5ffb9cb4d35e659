// scan: --link
// SPDX-License-Identifier: GPL-2.0-only
/* ACME FC-200 fan controller: PWM with a soft-start ramp, tachometer with a
 * stall detector, fault LED.  Copyright (C) 2024 Example Systems Ltd. */

#include <linux/gpio/consumer.h>
#include <linux/hrtimer.h>
#include <linux/hwmon.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sched/signal.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#define FC_PWM_DUTY		0x00
#define FC_PWM_CTRL		0x04
#define  FC_PWM_CTRL_EN		BIT(0)
#define FC_TEMP			0x08	/* millidegrees Celsius */
#define FC_INT_STATUS		0x0c
#define  FC_INT_TACH		BIT(0)
#define FC_DUTY_MAX		255
#define FC_RAMP_STEP		8
#define FC_RAMP_PERIOD_NS	(20 * NSEC_PER_MSEC)
#define FC_STALL_MS		1500
#define FC_SPINUP_MS		3000
#define FC_POLL_MS		1000
#define FC_PULSES_PER_REV	2
#define FC_TEMP_CRIT		85000
#define FC_TEMP_HYST		5000
#define FC_BLINK_FAST		msecs_to_jiffies(250)
#define FC_BLINK_SLOW		msecs_to_jiffies(1000)

struct fanctl {
	struct device *hwmon_dev;
	void __iomem *base;
	struct gpio_desc *fault_led;
	int irq;
	struct timer_list stall_timer;	/* pushed out by every tach pulse */
	struct timer_list blink_timer;	/* fault LED */
	struct hrtimer ramp_timer;	/* walks duty towards target_duty */
	struct delayed_work poll_work;	/* rpm and temperature */
	unsigned int duty, target_duty, rpm;
	unsigned long pulses, last_pulses;
	bool stalled, overtemp;
};

struct fanctl_spinup {
	struct timer_list timer;
	struct task_struct *task;
	bool expired;
};

static void fanctl_write_duty(struct fanctl *priv, unsigned int duty)
{
	priv->duty = duty;
	writel(duty, priv->base + FC_PWM_DUTY);
}

static enum hrtimer_restart fanctl_ramp_fn(struct hrtimer *t)
{
	struct fanctl *priv = container_of(t, struct fanctl, ramp_timer);
	unsigned int duty = priv->duty;

	if (duty < priv->target_duty)
		duty = min(duty + FC_RAMP_STEP, priv->target_duty);
	else
		duty = max_t(int, (int)duty - FC_RAMP_STEP, (int)priv->target_duty);
	fanctl_write_duty(priv, duty);
	if (duty == priv->target_duty)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(FC_RAMP_PERIOD_NS));
	return HRTIMER_RESTART;
}

static void fanctl_start_ramp(struct fanctl *priv, unsigned int target)
{
	priv->target_duty = min_t(unsigned int, target, FC_DUTY_MAX);
	hrtimer_start(&priv->ramp_timer, ns_to_ktime(FC_RAMP_PERIOD_NS), HRTIMER_MODE_REL); /* expect: field-never-stopped */
}

static void fanctl_blink_fn(struct timer_list *t)
{
	struct fanctl *priv = from_timer(priv, t, blink_timer);

	gpiod_set_value(priv->fault_led, !gpiod_get_value(priv->fault_led));
	mod_timer(&priv->blink_timer, jiffies + (priv->stalled ? FC_BLINK_FAST : FC_BLINK_SLOW));
}

static void fanctl_stall_fn(struct timer_list *t)
{
	struct fanctl *priv = from_timer(priv, t, stall_timer);

	if (priv->target_duty == 0)
		return;		/* stopped on purpose */
	priv->stalled = true;
	mod_timer(&priv->blink_timer, jiffies + 1);
}

static irqreturn_t fanctl_tach_irq(int irq, void *dev_id)
{
	struct fanctl *priv = dev_id;

	writel(FC_INT_TACH, priv->base + FC_INT_STATUS);
	priv->pulses++;
	mod_timer(&priv->stall_timer, jiffies + msecs_to_jiffies(FC_STALL_MS)); /* expect: field-never-stopped */
	return IRQ_HANDLED;
}

static void fanctl_clear_fault(struct fanctl *priv)
{
	priv->stalled = false;
	timer_shutdown_sync(&priv->blink_timer);
	gpiod_set_value_cansleep(priv->fault_led, 0);
	if (priv->overtemp) {
		/* the over-temperature alarm shares the LED: keep blinking, slower */
		mod_timer(&priv->blink_timer, jiffies + FC_BLINK_SLOW); /* expect: use-after-release */
	}
}

static void fanctl_poll_work(struct work_struct *work)
{
	struct fanctl *priv = container_of(to_delayed_work(work), struct fanctl, poll_work);
	unsigned long pulses = READ_ONCE(priv->pulses);
	int temp = readl(priv->base + FC_TEMP);

	priv->rpm = (pulses - priv->last_pulses) * 60 * 1000 / (FC_POLL_MS * FC_PULSES_PER_REV);
	priv->last_pulses = pulses;
	if (priv->stalled && priv->rpm > 0) {
		fanctl_clear_fault(priv);
	} else if (temp >= FC_TEMP_CRIT && !priv->overtemp) {
		priv->overtemp = true;
		mod_timer(&priv->blink_timer, jiffies + 1);
		fanctl_start_ramp(priv, FC_DUTY_MAX);
	} else if (temp < FC_TEMP_CRIT - FC_TEMP_HYST && priv->overtemp && !priv->stalled) {
		priv->overtemp = false;
		timer_delete_sync(&priv->blink_timer);
		gpiod_set_value_cansleep(priv->fault_led, 0);
	}
	schedule_delayed_work(&priv->poll_work, msecs_to_jiffies(FC_POLL_MS));
}

static void fanctl_spinup_timeout(struct timer_list *t)
{
	struct fanctl_spinup *su = from_timer(su, t, timer);

	WRITE_ONCE(su->expired, true);
	wake_up_process(su->task);
}

/* Full duty until the fan turns, or FC_SPINUP_MS: a stopped fan needs a kick. */
static int fanctl_wait_spinup(struct fanctl *priv)
{
	struct fanctl_spinup su = { .task = current };
	unsigned long start = READ_ONCE(priv->pulses);
	int ret = 0;

	fanctl_write_duty(priv, FC_DUTY_MAX);
	timer_setup_on_stack(&su.timer, fanctl_spinup_timeout, 0); /* expect: missing-stop */
	mod_timer(&su.timer, jiffies + msecs_to_jiffies(FC_SPINUP_MS));
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(priv->pulses) - start >= 2 * FC_PULSES_PER_REV)
			break;
		if (READ_ONCE(su.expired)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			return -ERESTARTSYS;
		}
		schedule_timeout(msecs_to_jiffies(50));
	}
	__set_current_state(TASK_RUNNING);
	timer_delete_sync(&su.timer);
	destroy_timer_on_stack(&su.timer);
	return ret;
}

static umode_t fanctl_is_visible(const void *data, enum hwmon_sensor_types type, u32 attr, int ch)
{
	return type == hwmon_pwm ? 0644 : 0444;
}

static int fanctl_read(struct device *dev, enum hwmon_sensor_types type, u32 attr, int ch, long *val)
{
	struct fanctl *priv = dev_get_drvdata(dev);

	if (type == hwmon_fan)
		*val = attr == hwmon_fan_fault ? priv->stalled : priv->rpm;
	else
		*val = priv->target_duty;
	return 0;
}

static int fanctl_write(struct device *dev, enum hwmon_sensor_types type, u32 attr, int ch, long val)
{
	struct fanctl *priv = dev_get_drvdata(dev);
	int ret;

	if (val < 0 || val > FC_DUTY_MAX)
		return -EINVAL;
	ret = (priv->duty == 0 && val > 0) ? fanctl_wait_spinup(priv) : 0;
	if (ret)
		return ret;
	fanctl_start_ramp(priv, val);
	return 0;
}

static const struct hwmon_ops fanctl_hwmon_ops = {
	.is_visible = fanctl_is_visible,
	.read = fanctl_read,
	.write = fanctl_write,
};

static const struct hwmon_channel_info * const fanctl_info[] = {
	HWMON_CHANNEL_INFO(fan, HWMON_F_INPUT | HWMON_F_FAULT),
	HWMON_CHANNEL_INFO(pwm, HWMON_PWM_INPUT),
	NULL
};

static const struct hwmon_chip_info fanctl_chip_info = {
	.ops = &fanctl_hwmon_ops,
	.info = fanctl_info,
};

static int fanctl_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct fanctl *priv;
	int ret;

	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(priv->base))
		return PTR_ERR(priv->base);
	priv->fault_led = devm_gpiod_get_optional(dev, "fault", GPIOD_OUT_LOW);
	if (IS_ERR(priv->fault_led))
		return dev_err_probe(dev, PTR_ERR(priv->fault_led), "fault LED\n");
	priv->irq = platform_get_irq(pdev, 0);
	if (priv->irq < 0)
		return priv->irq;

	timer_setup(&priv->stall_timer, fanctl_stall_fn, 0);
	timer_setup(&priv->blink_timer, fanctl_blink_fn, 0);
	hrtimer_setup(&priv->ramp_timer, fanctl_ramp_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	INIT_DELAYED_WORK(&priv->poll_work, fanctl_poll_work);
	platform_set_drvdata(pdev, priv);

	priv->hwmon_dev = hwmon_device_register_with_info(dev, "acme_fanctl", priv,
							  &fanctl_chip_info, NULL);
	if (IS_ERR(priv->hwmon_dev))
		return PTR_ERR(priv->hwmon_dev);
	ret = devm_request_irq(dev, priv->irq, fanctl_tach_irq, 0, dev_name(dev), priv);
	if (ret) {
		hwmon_device_unregister(priv->hwmon_dev);
		hrtimer_cancel(&priv->ramp_timer);
		return dev_err_probe(dev, ret, "tach irq\n");
	}
	writel(FC_PWM_CTRL_EN, priv->base + FC_PWM_CTRL);
	schedule_delayed_work(&priv->poll_work, msecs_to_jiffies(FC_POLL_MS));
	return 0;
}

static void fanctl_remove(struct platform_device *pdev)
{
	struct fanctl *priv = platform_get_drvdata(pdev);

	hwmon_device_unregister(priv->hwmon_dev);
	disable_irq(priv->irq);
	cancel_delayed_work_sync(&priv->poll_work);
	del_timer(&priv->stall_timer);
	timer_shutdown_sync(&priv->blink_timer);
	writel(0, priv->base + FC_PWM_CTRL);
}

static const struct of_device_id fanctl_of_match[] = {
	{ .compatible = "acme,fc200-fan" },
	{ }
};
MODULE_DEVICE_TABLE(of, fanctl_of_match);

static struct platform_driver fanctl_driver = {
	.probe = fanctl_probe,
	.remove = fanctl_remove,
	.driver = {
		.name = "acme-fanctl",
		.of_match_table = fanctl_of_match,
	},
};
module_platform_driver(fanctl_driver);

MODULE_DESCRIPTION("ACME FC-200 fan controller driver");
MODULE_LICENSE("GPL");
