/* kernel-timer.h: declarations shaped like <linux/timer.h> (v6.6, without
 * CONFIG_LOCKDEP) and <linux/hrtimer.h> (v6.13): timer_setup() is a macro
 * over init_timer_key(), del_timer()/del_timer_sync() are inline wrappers
 * of timer_delete()/timer_delete_sync(), hrtimer_start() is an inline
 * wrapper of hrtimer_start_range_ns(). Only what the testdata needs. */
#ifndef TESTDATA_KERNEL_TIMER_H
#define TESTDATA_KERNEL_TIMER_H

#include "kernel-types.h"

struct timer_list {
    struct hlist_node entry;
    unsigned long expires;
    void (*function)(struct timer_list *);
    u32 flags;
};

#define TIMER_DEFERRABLE 0x00080000
#define TIMER_PINNED 0x00100000
#define TIMER_IRQSAFE 0x00200000

void init_timer_key(struct timer_list *timer,
                    void (*func)(struct timer_list *), unsigned int flags,
                    const char *name, struct lock_class_key *key);

static inline void init_timer_on_stack_key(struct timer_list *timer,
                                           void (*func)(struct timer_list *),
                                           unsigned int flags,
                                           const char *name,
                                           struct lock_class_key *key)
{
    init_timer_key(timer, func, flags, name, key);
}

#define __init_timer(_timer, _fn, _flags) \
    init_timer_key((_timer), (_fn), (_flags), NULL, NULL)
#define __init_timer_on_stack(_timer, _fn, _flags) \
    init_timer_on_stack_key((_timer), (_fn), (_flags), NULL, NULL)

#define timer_setup(timer, callback, flags) \
    __init_timer((timer), (callback), (flags))
#define timer_setup_on_stack(timer, callback, flags) \
    __init_timer_on_stack((timer), (callback), (flags))

static inline void destroy_timer_on_stack(struct timer_list *timer) { (void)timer; }

#define from_timer(var, callback_timer, timer_fieldname) \
    container_of(callback_timer, __typeof__(*var), timer_fieldname)

static inline int timer_pending(const struct timer_list *timer)
{
    return timer->entry.pprev != NULL;
}

extern void add_timer_on(struct timer_list *timer, int cpu);
extern int mod_timer(struct timer_list *timer, unsigned long expires);
extern int mod_timer_pending(struct timer_list *timer, unsigned long expires);
extern int timer_reduce(struct timer_list *timer, unsigned long expires);
extern void add_timer(struct timer_list *timer);
extern int try_to_del_timer_sync(struct timer_list *timer);
extern int timer_delete_sync(struct timer_list *timer);
extern int timer_delete(struct timer_list *timer);
extern int timer_shutdown_sync(struct timer_list *timer);
extern int timer_shutdown(struct timer_list *timer);

static inline int del_timer_sync(struct timer_list *timer)
{
    return timer_delete_sync(timer);
}

static inline int del_timer(struct timer_list *timer)
{
    return timer_delete(timer);
}

/* <linux/hrtimer.h> */
typedef s64 ktime_t;

enum hrtimer_mode {
    HRTIMER_MODE_ABS = 0x00,
    HRTIMER_MODE_REL = 0x01,
    HRTIMER_MODE_PINNED = 0x02,
    HRTIMER_MODE_SOFT = 0x04,
    HRTIMER_MODE_REL_SOFT = HRTIMER_MODE_REL | HRTIMER_MODE_SOFT,
};

enum hrtimer_restart {
    HRTIMER_NORESTART,
    HRTIMER_RESTART,
};

#define CLOCK_MONOTONIC 1

struct hrtimer {
    u64 node_expires;
    ktime_t _softexpires;
    enum hrtimer_restart (*function)(struct hrtimer *);
    void *base;
    u32 state;
};

static inline ktime_t ms_to_ktime(u64 ms) { return (ktime_t)(ms * 1000000ull); }

extern void hrtimer_setup(struct hrtimer *timer, enum hrtimer_restart (*function)(struct hrtimer *),
                          clockid_t clock_id, enum hrtimer_mode mode);
extern void hrtimer_setup_on_stack(struct hrtimer *timer,
                                   enum hrtimer_restart (*function)(struct hrtimer *),
                                   clockid_t clock_id, enum hrtimer_mode mode);
extern void destroy_hrtimer_on_stack(struct hrtimer *timer);
extern void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim,
                                   u64 range_ns, const enum hrtimer_mode mode);

static inline void hrtimer_start(struct hrtimer *timer, ktime_t tim,
                                 const enum hrtimer_mode mode)
{
    hrtimer_start_range_ns(timer, tim, 0, mode);
}

extern int hrtimer_cancel(struct hrtimer *timer);
extern int hrtimer_try_to_cancel(struct hrtimer *timer);
extern u64 hrtimer_forward(struct hrtimer *timer, ktime_t now, ktime_t interval);
extern u64 hrtimer_forward_now(struct hrtimer *timer, ktime_t interval);
extern bool hrtimer_active(const struct hrtimer *timer);

#endif
