// scan: --link
/* A platform driver scanned outside a kernel tree: nothing has
 * <linux/timer.h>, so timerlint stands in for it from
 * rules/kernel-timer.yaml (struct timer_list as storage, timer_setup,
 * from_timer, jiffies, msecs_to_jiffies). The other kernel headers are not
 * a family's and stay missing. */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/jiffies.h>

struct hb_priv {
	struct timer_list beat;
	struct timer_list stall;
	unsigned int period_ms;
	unsigned long beats;
};

static void hb_beat(struct timer_list *t)
{
	struct hb_priv *p = from_timer(p, t, beat);

	p->beats++;
	mod_timer(&p->beat, jiffies + msecs_to_jiffies(p->period_ms));
}

static void hb_stall(struct timer_list *t)
{
	struct hb_priv *p = from_timer(p, t, stall);

	p->beats = 0;
}

static int hb_probe(struct platform_device *pdev)
{
	struct hb_priv *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->period_ms = 500;
	timer_setup(&p->beat, hb_beat, 0);
	timer_setup(&p->stall, hb_stall, 0);
	mod_timer(&p->beat, jiffies + msecs_to_jiffies(p->period_ms));
	mod_timer(&p->stall, jiffies + 10 * HZ); /* expect: field-never-stopped */
	platform_set_drvdata(pdev, p);
	return 0;
}

static int hb_remove(struct platform_device *pdev)
{
	struct hb_priv *p = platform_get_drvdata(pdev);

	timer_shutdown_sync(&p->beat);
	kfree(p);
	return 0;
}

static struct platform_driver hb_driver = {
	.probe = hb_probe,
	.remove = hb_remove,
	.driver = { .name = "hb" },
};
module_platform_driver(hb_driver);
