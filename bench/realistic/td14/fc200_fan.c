// scan: --link
// SPDX-License-Identifier: GPL-2.0
/*
 * Acme FC-200 PWM fan controller.
 *
 * The controller has no thermal interrupt: the driver polls the sensor
 * register, ramps the PWM duty cycle softly towards a target, samples the
 * tachometer with an hrtimer and must be kicked by a keep-alive timer or
 * it falls back to full speed.  A stall raises an interrupt.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/mod_devicetable.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/bits.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/timer.h>
#include <linux/hrtimer.h>
#include <linux/workqueue.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#define FC_REG_CTRL		0x00
#define FC_REG_STATUS		0x04
#define FC_REG_DUTY		0x08
#define FC_REG_TACH		0x0c
#define FC_REG_IRQ		0x10
#define FC_REG_FIFO		0x14
#define FC_REG_TEMP		0x18
#define FC_REG_KICK		0x1c

#define FC_CTRL_ENABLE		BIT(0)
#define FC_CTRL_RESET		BIT(1)
#define FC_STATUS_BUSY		BIT(0)
#define FC_STATUS_FIFO_EMPTY	BIT(2)
#define FC_IRQ_STALL		BIT(0)
#define FC_KICK_MAGIC		0x5a

#define FC_POLL_MS		500
#define FC_WD_MS		1000
#define FC_RAMP_STEP_MS		20
#define FC_IDLE_TIMEOUT_MS	100
#define FC_DRAIN_TIMEOUT_MS	50
#define FC_TACH_PERIOD_NS	(10 * NSEC_PER_MSEC)

struct fc_priv {
	struct device *dev;
	void __iomem *base;
	struct timer_list poll_timer;	/* temperature poll */
	struct timer_list wd_timer;	/* controller keep-alive */
	struct hrtimer tach_timer;	/* tachometer sampling */
	struct delayed_work ramp_work;	/* soft ramp towards target_duty */
	struct work_struct stall_work;	/* stall recovery, queued from the IRQ */
	u32 duty;
	u32 target_duty;
	u32 tach_pulses;
};

struct fc_waiter {
	struct timer_list timer;
	bool expired;
};

static void fc_schedule_poll(struct fc_priv *priv)
{
	mod_timer(&priv->poll_timer, jiffies + msecs_to_jiffies(FC_POLL_MS)); /* expect: field-never-stopped */
}

static u32 fc_duty_for_temp(u32 millicelsius)
{
	if (millicelsius < 40000)
		return 20;
	if (millicelsius > 80000)
		return 100;
	return 20 + (millicelsius - 40000) * 80 / 40000;
}

static void fc_poll_timer_fn(struct timer_list *t)
{
	struct fc_priv *priv = from_timer(priv, t, poll_timer);
	u32 target = fc_duty_for_temp(readl(priv->base + FC_REG_TEMP));

	if (target != priv->target_duty) {
		priv->target_duty = target;
		mod_delayed_work(system_wq, &priv->ramp_work, 0);
	}
	fc_schedule_poll(priv);
}

static void fc_wd_timer_fn(struct timer_list *t)
{
	struct fc_priv *priv = from_timer(priv, t, wd_timer);

	writel(FC_KICK_MAGIC, priv->base + FC_REG_KICK);
	mod_timer(&priv->wd_timer, jiffies + msecs_to_jiffies(FC_WD_MS));
}

static enum hrtimer_restart fc_tach_fn(struct hrtimer *t)
{
	struct fc_priv *priv = container_of(t, struct fc_priv, tach_timer);

	priv->tach_pulses += readl(priv->base + FC_REG_TACH);
	hrtimer_forward_now(t, ns_to_ktime(FC_TACH_PERIOD_NS));
	return HRTIMER_RESTART;
}

static void fc_ramp_work_fn(struct work_struct *work)
{
	struct fc_priv *priv = container_of(to_delayed_work(work), struct fc_priv, ramp_work);

	if (priv->duty < priv->target_duty)
		priv->duty++;
	else if (priv->duty > priv->target_duty)
		priv->duty--;
	writel(priv->duty, priv->base + FC_REG_DUTY);

	if (priv->duty != priv->target_duty)
		schedule_delayed_work(&priv->ramp_work, msecs_to_jiffies(FC_RAMP_STEP_MS));
}

static void fc_waiter_expired(struct timer_list *t)
{
	struct fc_waiter *w = from_timer(w, t, timer);

	WRITE_ONCE(w->expired, true);
}

static int fc_wait_idle(struct fc_priv *priv)
{
	struct fc_waiter w = { .expired = false };
	int ret = 0;

	timer_setup_on_stack(&w.timer, fc_waiter_expired, 0);
	mod_timer(&w.timer, jiffies + msecs_to_jiffies(FC_IDLE_TIMEOUT_MS));

	while (readl(priv->base + FC_REG_STATUS) & FC_STATUS_BUSY) {
		if (READ_ONCE(w.expired)) {
			ret = -ETIMEDOUT;
			goto out;
		}
		cpu_relax();
	}
out:
	del_timer_sync(&w.timer);
	destroy_timer_on_stack(&w.timer);
	return ret;
}

/* Empty the sample FIFO the boot firmware leaves behind. */
static int fc_drain_fifo(struct fc_priv *priv)
{
	struct fc_waiter w = { .expired = false };
	unsigned int reads = 0;

	timer_setup_on_stack(&w.timer, fc_waiter_expired, 0); /* expect: missing-stop */
	mod_timer(&w.timer, jiffies + msecs_to_jiffies(FC_DRAIN_TIMEOUT_MS));

	while (!(readl(priv->base + FC_REG_STATUS) & FC_STATUS_FIFO_EMPTY)) {
		(void)readl(priv->base + FC_REG_FIFO);
		reads++;
		if (READ_ONCE(w.expired)) {
			dev_warn(priv->dev, "FIFO not empty after %u reads\n", reads);
			break;
		}
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}

	del_timer_sync(&w.timer);
	destroy_timer_on_stack(&w.timer);
	return 0;
}

static void fc_hw_fault(struct fc_priv *priv)
{
	/* hold the keep-alive while the controller sits in reset */
	timer_shutdown_sync(&priv->wd_timer);

	writel(FC_CTRL_RESET, priv->base + FC_REG_CTRL);
	if (fc_wait_idle(priv)) {
		dev_err(priv->dev, "controller did not come back, running at full speed\n");
		return;
	}
	writel(FC_CTRL_ENABLE, priv->base + FC_REG_CTRL);
	writel(priv->duty, priv->base + FC_REG_DUTY);
	mod_timer(&priv->wd_timer, jiffies + msecs_to_jiffies(FC_WD_MS)); /* expect: use-after-release */
}

static void fc_stall_work_fn(struct work_struct *work)
{
	struct fc_priv *priv = container_of(work, struct fc_priv, stall_work);

	dev_warn(priv->dev, "fan stall, resetting controller\n");
	fc_hw_fault(priv);
}

static irqreturn_t fc_irq(int irq, void *data)
{
	struct fc_priv *priv = data;
	u32 status = readl(priv->base + FC_REG_IRQ);

	if (!(status & FC_IRQ_STALL))
		return IRQ_NONE;
	writel(status, priv->base + FC_REG_IRQ);
	schedule_work(&priv->stall_work); /* expect: field-never-stopped */
	return IRQ_HANDLED;
}

static void fc_start(struct fc_priv *priv)
{
	priv->duty = priv->target_duty = 50;
	writel(priv->duty, priv->base + FC_REG_DUTY);
	writel(FC_CTRL_ENABLE, priv->base + FC_REG_CTRL);

	hrtimer_start(&priv->tach_timer, ns_to_ktime(FC_TACH_PERIOD_NS), HRTIMER_MODE_REL);
	mod_timer(&priv->wd_timer, jiffies + msecs_to_jiffies(FC_WD_MS));
	fc_schedule_poll(priv);
}

static void fc_stop(struct fc_priv *priv)
{
	cancel_delayed_work_sync(&priv->ramp_work);
	hrtimer_cancel(&priv->tach_timer);
	writel(0, priv->base + FC_REG_CTRL);
}

static int fc_probe(struct platform_device *pdev)
{
	struct fc_priv *priv;
	int irq, ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->dev = &pdev->dev;

	priv->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(priv->base))
		return PTR_ERR(priv->base);
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;

	timer_setup(&priv->poll_timer, fc_poll_timer_fn, 0);
	timer_setup(&priv->wd_timer, fc_wd_timer_fn, 0);
	hrtimer_setup(&priv->tach_timer, fc_tach_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	INIT_DELAYED_WORK(&priv->ramp_work, fc_ramp_work_fn);
	INIT_WORK(&priv->stall_work, fc_stall_work_fn);

	ret = fc_wait_idle(priv);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "controller stays busy\n");
	ret = fc_drain_fifo(priv);
	if (ret)
		return ret;

	ret = devm_request_irq(&pdev->dev, irq, fc_irq, 0, dev_name(&pdev->dev), priv);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, priv);
	fc_start(priv);
	dev_info(&pdev->dev, "FC-200 ready\n");
	return 0;
}

static void fc_remove(struct platform_device *pdev)
{
	struct fc_priv *priv = platform_get_drvdata(pdev);

	/* the poll timer only re-arms itself, taking it off the list is enough */
	del_timer(&priv->poll_timer);
	fc_stop(priv);
	timer_shutdown_sync(&priv->wd_timer);
}

static const struct of_device_id fc_of_match[] = {
	{ .compatible = "acme,fc200" },
	{ }
};
MODULE_DEVICE_TABLE(of, fc_of_match);

static struct platform_driver fc_driver = {
	.probe = fc_probe,
	.remove = fc_remove,
	.driver = {
		.name = "fc200-fan",
		.of_match_table = fc_of_match,
	},
};
module_platform_driver(fc_driver);

MODULE_DESCRIPTION("Acme FC-200 fan controller");
MODULE_LICENSE("GPL");
