// scan: --link
/*
 * kernel-timer: struct timer_list set up with timer_setup()/
 * timer_setup_on_stack() (macros over init_timer_key()/
 * init_timer_on_stack_key()). An on-stack timer must be stopped and
 * destroyed with destroy_timer_on_stack() before its frame goes away;
 * del_timer_sync() alone leaves it disarmed-not-released. A timer shut down
 * with timer_shutdown_sync() must not be re-armed. Timers in a driver's
 * private struct escape (the teardown is a cross-function question).
 */
#include "kernel-timer.h"

struct hw_dev;

struct poll_ctx {
    struct timer_list timer;
    struct hw_dev *hw;
    unsigned long interval;
    int budget;
    bool timed_out;
};

struct led_priv {
    struct hw_dev *hw;
    struct timer_list blink_timer;
    struct timer_list off_timer;
    unsigned long period;
    bool removed;
};

extern int hw_poll_once(struct hw_dev *hw);
extern int hw_reset(struct hw_dev *hw);

static void poll_timeout(struct timer_list *t)
{
    struct poll_ctx *ctx = from_timer(ctx, t, timer);

    ctx->timed_out = true;
}

static void blink_fn(struct timer_list *t)
{
    struct led_priv *priv = from_timer(priv, t, blink_timer);

    mod_timer(&priv->blink_timer, jiffies + priv->period);
}

/* Stops and destroys its parameter on every path. */
static void poll_timer_teardown(struct timer_list *t)
{
    del_timer_sync(t);
    destroy_timer_on_stack(t);
}

/* bad: a hardware error returns with the on-stack timer still pending */
int bad_onstack_error_returns(struct hw_dev *hw, unsigned long interval)
{
    struct poll_ctx ctx = { .hw = hw, .interval = interval, .budget = 10 };

    timer_setup_on_stack(&ctx.timer, poll_timeout, 0); /* expect: missing-stop */ /* note[missing-stop]: timer 'ctx.timer' created here by init_timer_on_stack_key() */
    mod_timer(&ctx.timer, jiffies + interval);
    while (!ctx.timed_out && ctx.budget-- > 0) { /* note[missing-stop]: taking the true branch: '!ctx.timed_out' is true */ /* note[missing-stop]: taking the true branch: 'ctx.budget-- > 0' is true */
        if (hw_poll_once(ctx.hw) < 0) /* note[missing-stop]: taking the true branch: 'hw_poll_once(ctx.hw) < 0' is true */
            return -EINVAL; /* note[missing-stop]: returning here without destroy_timer_on_stack() */
    }
    del_timer_sync(&ctx.timer);
    destroy_timer_on_stack(&ctx.timer);
    return ctx.timed_out ? -ETIMEDOUT : 0;
}

/* bad: stopped but never destroyed (timer_setup_on_stack must be balanced) */
int bad_onstack_not_destroyed(struct hw_dev *hw, unsigned long interval)
{
    struct poll_ctx ctx = { .hw = hw, .interval = interval };

    timer_setup_on_stack(&ctx.timer, poll_timeout, 0); /* expect: disarmed-not-released */
    mod_timer(&ctx.timer, jiffies + interval);
    while (!ctx.timed_out) /* note[disarmed-not-released]: taking the false branch: '!ctx.timed_out' is false */
        hw_poll_once(ctx.hw);
    del_timer_sync(&ctx.timer); /* note[disarmed-not-released]: disarmed here by del_timer_sync() */
    return 0; /* note[disarmed-not-released]: returning here without destroy_timer_on_stack() */
}

/* bad: each attempt sets up a new on-stack timer without destroying the last */
int bad_setup_per_attempt(struct hw_dev *hw, int attempts, unsigned long interval)
{
    struct poll_ctx ctx = { .hw = hw, .interval = interval };

    for (int i = 0; i < attempts; i++) { /* note[created-in-loop]: taking the true branch: 'i < attempts' is true */
        timer_setup_on_stack(&ctx.timer, poll_timeout, 0); /* expect: created-in-loop */ /* note[created-in-loop]: init_timer_on_stack_key() runs again here */
        ctx.timed_out = false;
        mod_timer(&ctx.timer, jiffies + (interval << i));
        if (hw_poll_once(ctx.hw) == 0) { /* note[created-in-loop]: taking the false branch: 'hw_poll_once(ctx.hw) == 0' is false */
            del_timer_sync(&ctx.timer);
            destroy_timer_on_stack(&ctx.timer);
            return 0;
        }
        del_timer_sync(&ctx.timer);
    }
    return -ETIMEDOUT;
}

/* bad: the timer is re-armed after it was shut down for good */
void bad_rearm_after_shutdown(struct led_priv *priv)
{
    timer_shutdown_sync(&priv->blink_timer); /* note[use-after-release]: released here by timer_shutdown_sync() */
    priv->removed = true;
    if (hw_reset(priv->hw) == 0) /* note[use-after-release]: taking the true branch: 'hw_reset(priv->hw) == 0' is true */
        mod_timer(&priv->blink_timer, jiffies + priv->period); /* expect: use-after-release */ /* note[use-after-release]: mod_timer() here */
}

/* bad: the on-stack timer is armed after it was destroyed */
int bad_arm_after_destroy(struct hw_dev *hw, unsigned long interval)
{
    struct poll_ctx ctx = { .hw = hw, .interval = interval };

    timer_setup_on_stack(&ctx.timer, poll_timeout, 0);
    mod_timer(&ctx.timer, jiffies + interval);
    hw_poll_once(ctx.hw);
    poll_timer_teardown(&ctx.timer); /* note[use-after-release]: released here by poll_timer_teardown() */
    add_timer(&ctx.timer); /* expect: use-after-release */ /* note[use-after-release]: add_timer() here */
    return 0;
}

/* good: stopped and destroyed on every path (one through a same-file helper) */
int good_onstack_balanced(struct hw_dev *hw, unsigned long interval)
{
    struct poll_ctx ctx = { .hw = hw, .interval = interval, .budget = 10 };
    int ret = 0;

    timer_setup_on_stack(&ctx.timer, poll_timeout, 0);
    mod_timer(&ctx.timer, jiffies + interval);
    while (!ctx.timed_out && ctx.budget-- > 0) {
        if (hw_poll_once(ctx.hw) < 0) {
            poll_timer_teardown(&ctx.timer);
            return -EINVAL;
        }
    }
    if (ctx.timed_out)
        ret = -ETIMEDOUT;
    del_timer_sync(&ctx.timer);
    destroy_timer_on_stack(&ctx.timer);
    return ret;
}

/* good: del_timer_sync() then mod_timer() is a restart, not a use after release */
int good_restart_after_del_sync(struct led_priv *priv)
{
    del_timer_sync(&priv->blink_timer);
    if (hw_reset(priv->hw) < 0)
        return -EINVAL;
    mod_timer(&priv->blink_timer, jiffies + priv->period);
    return 0;
}

/* good: timers in the driver's private struct: the driver owns them */
int good_probe_sets_up_fields(struct led_priv *priv)
{
    timer_setup(&priv->blink_timer, blink_fn, 0);
    timer_setup(&priv->off_timer, blink_fn, TIMER_DEFERRABLE); /* note[field-never-stopped]: created here by init_timer_key() in good_probe_sets_up_fields() */
    if (hw_reset(priv->hw) < 0)
        return -EINVAL;
    mod_timer(&priv->blink_timer, jiffies + priv->period);
    return 0;
}

/* The remove path frees priv without stopping off_timer, which
 * led_schedule_off() arms: a cross-function bug for the link phase. */
void led_remove(struct led_priv *priv)
{
    timer_shutdown_sync(&priv->blink_timer);
    kfree(priv);
}

void led_schedule_off(struct led_priv *priv, unsigned int ms)
{
    mod_timer(&priv->off_timer, jiffies + msecs_to_jiffies(ms)); /* expect: field-never-stopped */ /* note[field-never-stopped]: armed here by mod_timer() in led_schedule_off() */
}
