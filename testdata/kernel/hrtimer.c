/*
 * kernel-hrtimer: struct hrtimer set up with hrtimer_setup()/
 * hrtimer_setup_on_stack(). hrtimer_cancel() stops it and leaves it
 * reusable (a disarm); an on-stack hrtimer ends with
 * destroy_hrtimer_on_stack(). hrtimer_start() is an inline wrapper, named
 * by the rule.
 */
#include "kernel-timer.h"

struct hw_dev;

struct sampler {
    struct hw_dev *hw;
    struct hrtimer timer;
    u64 period_ms;
    int samples;
    bool done;
};

extern int hw_sample(struct hw_dev *hw);
extern int hw_wait_idle(struct hw_dev *hw);

static enum hrtimer_restart sample_fn(struct hrtimer *t)
{
    struct sampler *s = container_of(t, struct sampler, timer);

    s->samples++;
    hrtimer_forward_now(t, ms_to_ktime(s->period_ms));
    return HRTIMER_RESTART;
}

/* Cancels and destroys its parameter on every path. */
static void sampler_stop(struct hrtimer *t)
{
    hrtimer_cancel(t);
    destroy_hrtimer_on_stack(t);
}

/* bad: the idle wait fails and returns with the hrtimer still running */
int bad_error_path_leaves_timer(struct hw_dev *hw, u64 period_ms)
{
    struct sampler s = { .hw = hw, .period_ms = period_ms };

    hrtimer_setup_on_stack(&s.timer, sample_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL); /* expect: missing-stop */
    hrtimer_start(&s.timer, ms_to_ktime(period_ms), HRTIMER_MODE_REL);
    if (hw_wait_idle(hw) < 0)
        return -ETIMEDOUT;
    sampler_stop(&s.timer);
    return s.samples;
}

/* bad: cancelled but never destroyed */
int bad_cancel_only(struct hw_dev *hw, u64 period_ms)
{
    struct sampler s = { .hw = hw, .period_ms = period_ms };

    hrtimer_setup_on_stack(&s.timer, sample_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT); /* expect: disarmed-not-released */
    hrtimer_start_range_ns(&s.timer, ms_to_ktime(period_ms), 1000, HRTIMER_MODE_REL_SOFT);
    hw_wait_idle(hw);
    hrtimer_cancel(&s.timer);
    return s.samples;
}

/* bad: restarted after it was destroyed */
void bad_start_after_destroy(struct hw_dev *hw, u64 period_ms)
{
    struct sampler s = { .hw = hw, .period_ms = period_ms };

    hrtimer_setup_on_stack(&s.timer, sample_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
    hrtimer_start(&s.timer, ms_to_ktime(period_ms), HRTIMER_MODE_REL);
    hw_wait_idle(hw);
    sampler_stop(&s.timer);
    if (hw_sample(hw) > 0)
        hrtimer_start(&s.timer, ms_to_ktime(period_ms), HRTIMER_MODE_REL); /* expect: use-after-release */
}

/* good: cancelled and destroyed on every path; restarting after a cancel is fine */
int good_cancel_restart_destroy(struct hw_dev *hw, u64 period_ms)
{
    struct sampler s = { .hw = hw, .period_ms = period_ms };

    hrtimer_setup_on_stack(&s.timer, sample_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
    hrtimer_start(&s.timer, ms_to_ktime(period_ms), HRTIMER_MODE_REL);
    if (hw_wait_idle(hw) < 0) {
        sampler_stop(&s.timer);
        return -ETIMEDOUT;
    }
    hrtimer_cancel(&s.timer);
    hrtimer_start(&s.timer, ms_to_ktime(2 * period_ms), HRTIMER_MODE_REL);
    hw_wait_idle(hw);
    hrtimer_cancel(&s.timer);
    destroy_hrtimer_on_stack(&s.timer);
    return s.samples;
}

/* good: the hrtimer lives in a struct reached through a pointer */
void good_field_through_pointer(struct sampler *s)
{
    hrtimer_setup(&s->timer, sample_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
    hrtimer_start(&s->timer, ms_to_ktime(s->period_ms), HRTIMER_MODE_REL);
}

/* good: cancel then start on a field is a restart */
void good_field_restart(struct sampler *s, u64 period_ms)
{
    hrtimer_cancel(&s->timer);
    s->period_ms = period_ms;
    if (hrtimer_active(&s->timer))
        return;
    hrtimer_start(&s->timer, ms_to_ktime(period_ms), HRTIMER_MODE_REL);
}
