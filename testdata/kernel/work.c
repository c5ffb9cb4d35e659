/*
 * kernel-work: work items set up with INIT_WORK()/INIT_WORK_ONSTACK()
 * (macros whose only call is __init_work()). An on-stack work item must be
 * flushed or cancelled and then destroyed with destroy_work_on_stack();
 * cancel_work_sync()/flush_work() leave it idle and reusable. Work items in
 * a driver's private struct escape.
 */
#include "kernel-work.h"

struct hw_dev;

struct reset_req {
    struct work_struct work;
    struct hw_dev *hw;
    int result;
};

struct net_priv {
    struct hw_dev *hw;
    struct work_struct reset_work;
    struct delayed_work stats_work;
    unsigned long stats_interval;
};

extern int hw_do_reset(struct hw_dev *hw);
extern int hw_check(struct hw_dev *hw);

static void reset_fn(struct work_struct *w)
{
    struct reset_req *req = container_of(w, struct reset_req, work);

    req->result = hw_do_reset(req->hw);
}

static void stats_fn(struct work_struct *w)
{
    struct delayed_work *dw = to_delayed_work(w);
    struct net_priv *priv = container_of(dw, struct net_priv, stats_work);

    schedule_delayed_work(&priv->stats_work, priv->stats_interval);
}

/* Flushes and destroys its parameter on every path. */
static void reset_req_finish(struct work_struct *w)
{
    flush_work(w);
    destroy_work_on_stack(w);
}

/* bad: the check fails and returns while the on-stack work may still run */
int bad_onstack_work_error_path(struct hw_dev *hw)
{
    struct reset_req req = { .hw = hw };

    INIT_WORK_ONSTACK(&req.work, reset_fn); /* expect: missing-stop */
    schedule_work(&req.work);
    if (hw_check(hw) < 0)
        return -EBUSY;
    reset_req_finish(&req.work);
    return req.result;
}

/* bad: flushed but never destroyed */
int bad_flush_without_destroy(struct hw_dev *hw)
{
    struct reset_req req = { .hw = hw };

    INIT_WORK_ONSTACK(&req.work, reset_fn); /* expect: disarmed-not-released */
    queue_work(system_wq, &req.work);
    flush_work(&req.work);
    return req.result;
}

/* bad: one on-stack work item per retry, never destroyed */
int bad_work_per_retry(struct hw_dev *hw, int retries)
{
    struct reset_req req = { .hw = hw };

    for (int i = 0; i < retries; i++) {
        INIT_WORK_ONSTACK(&req.work, reset_fn); /* expect: created-in-loop */
        schedule_work(&req.work);
        cancel_work_sync(&req.work);
        if (req.result == 0)
            break;
    }
    return req.result;
}

/* bad: queued again after it was destroyed */
int bad_queue_after_destroy(struct hw_dev *hw)
{
    struct reset_req req = { .hw = hw };

    INIT_WORK_ONSTACK(&req.work, reset_fn);
    schedule_work(&req.work);
    reset_req_finish(&req.work);
    if (req.result < 0)
        schedule_work(&req.work); /* expect: use-after-release */
    return req.result;
}

/* good: flushed and destroyed on every path */
int good_onstack_balanced(struct hw_dev *hw)
{
    struct reset_req req = { .hw = hw };

    INIT_WORK_ONSTACK(&req.work, reset_fn);
    schedule_work(&req.work);
    if (hw_check(hw) < 0) {
        cancel_work_sync(&req.work);
        destroy_work_on_stack(&req.work);
        return -EBUSY;
    }
    reset_req_finish(&req.work);
    return req.result;
}

/* good: cancel_work_sync() then schedule_work() on a field is a re-queue */
void good_requeue_after_cancel(struct net_priv *priv)
{
    cancel_work_sync(&priv->reset_work);
    if (hw_check(priv->hw) == 0)
        return;
    schedule_work(&priv->reset_work);
}

/* good: work items in the driver's private struct */
int good_probe_inits_fields(struct net_priv *priv)
{
    INIT_WORK(&priv->reset_work, reset_fn);
    INIT_DELAYED_WORK(&priv->stats_work, stats_fn);
    if (hw_check(priv->hw) < 0)
        return -EINVAL;
    schedule_delayed_work(&priv->stats_work, priv->stats_interval);
    return 0;
}

/* The remove path frees priv without cancelling stats_work, which
 * net_open() queues: a cross-function bug for the link phase. */
void net_remove(struct net_priv *priv)
{
    cancel_work_sync(&priv->reset_work);
    kfree(priv);
}

void net_open(struct net_priv *priv)
{
    mod_delayed_work(system_wq, &priv->stats_work, 0); /* known-gap: field-never-stopped */
}
