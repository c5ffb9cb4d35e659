/*
 * use-after-release (libuv): starting a handle after uv_close() fails
 * with UV_EINVAL. A caller that looks at the result knows (no finding,
 * closing-handle.c); one that drops it believes the timer runs, and it
 * never fires: reported on the start.
 */
#include <stdint.h>
#include <uv.h>

struct backend {
    uv_timer_t *probe;
    uint64_t holdoff_ms;
};

static void on_probe(uv_timer_t *t)
{
    (void)t;
}

static void probe_stop(uv_timer_t *t)
{
    uv_timer_stop(t);
    uv_close((uv_handle_t *)t, NULL);
}

/* bad: restarted after a helper closed it, the result dropped */
void backend_rest(struct backend *be)
{
    probe_stop(be->probe);
    uv_timer_start(be->probe, on_probe, be->holdoff_ms, 0); /* expect: use-after-release */
}

/* bad: the same, closed here */
void backend_rest_here(struct backend *be)
{
    uv_close((uv_handle_t *)be->probe, NULL);
    (void)uv_timer_start(be->probe, on_probe, be->holdoff_ms, 0); /* expect: use-after-release */
}

/* good: the result is looked at */
int backend_rest_checked(struct backend *be)
{
    probe_stop(be->probe);
    return uv_timer_start(be->probe, on_probe, be->holdoff_ms, 0);
}

/* good: stopping a closing handle is a no-op */
void backend_quiet(struct backend *be)
{
    probe_stop(be->probe);
    uv_timer_stop(be->probe);
}
