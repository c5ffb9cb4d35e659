/* zephyr-kernel.h: declarations shaped like Zephyr's <zephyr/kernel.h>
 * timer API (v3.x, CONFIG_USERSPACE=n): k_timer_start/stop/status_sync/
 * remaining_get are __syscall functions whose generated wrappers are inline
 * functions calling z_impl_*(); k_timer_init is a plain function.
 * Only what the testdata needs. */
#ifndef TESTDATA_ZEPHYR_KERNEL_H
#define TESTDATA_ZEPHYR_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t k_ticks_t;
typedef struct {
    k_ticks_t ticks;
} k_timeout_t;

#define K_NO_WAIT ((k_timeout_t){ .ticks = 0 })
#define K_FOREVER ((k_timeout_t){ .ticks = -1 })
#define K_MSEC(ms) ((k_timeout_t){ .ticks = (k_ticks_t)(ms) })
#define K_SECONDS(s) K_MSEC((s) * 1000)

#define ENODEV 19
#define EIO 5

struct k_timer;
typedef void (*k_timer_expiry_t)(struct k_timer *timer);
typedef void (*k_timer_stop_t)(struct k_timer *timer);

struct _timeout {
    void *node[2];
    void *fn;
    int64_t dticks;
};

struct k_timer {
    struct _timeout timeout;
    void *wait_q;
    k_timer_expiry_t expiry_fn;
    k_timer_stop_t stop_fn;
    k_timeout_t period;
    uint32_t status;
    void *user_data;
};

#define CONTAINER_OF(ptr, type, field) ((type *)(((char *)(ptr)) - offsetof(type, field)))

extern void k_timer_init(struct k_timer *timer, k_timer_expiry_t expiry_fn,
                         k_timer_stop_t stop_fn);

extern void z_impl_k_timer_start(struct k_timer *timer, k_timeout_t duration, k_timeout_t period);
static inline void k_timer_start(struct k_timer *timer, k_timeout_t duration, k_timeout_t period)
{
    z_impl_k_timer_start(timer, duration, period);
}

extern void z_impl_k_timer_stop(struct k_timer *timer);
static inline void k_timer_stop(struct k_timer *timer)
{
    z_impl_k_timer_stop(timer);
}

extern uint32_t z_impl_k_timer_status_sync(struct k_timer *timer);
static inline uint32_t k_timer_status_sync(struct k_timer *timer)
{
    return z_impl_k_timer_status_sync(timer);
}

extern uint32_t z_impl_k_timer_status_get(struct k_timer *timer);
static inline uint32_t k_timer_status_get(struct k_timer *timer)
{
    return z_impl_k_timer_status_get(timer);
}

static inline void k_timer_user_data_set(struct k_timer *timer, void *user_data)
{
    timer->user_data = user_data;
}

static inline void *k_timer_user_data_get(const struct k_timer *timer)
{
    return timer->user_data;
}

extern int32_t k_msleep(int32_t ms);

#endif
