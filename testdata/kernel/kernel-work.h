/* kernel-work.h: declarations shaped like <linux/workqueue.h> (v6.6,
 * without CONFIG_LOCKDEP): INIT_WORK()/INIT_WORK_ONSTACK() are macros whose
 * only call is __init_work(work, onstack); INIT_DELAYED_WORK() initialises
 * the embedded work and, through __init_timer(), the embedded timer;
 * schedule_work() and friends are inline wrappers of queue_work_on().
 * Only what the testdata needs. */
#ifndef TESTDATA_KERNEL_WORK_H
#define TESTDATA_KERNEL_WORK_H

#include "kernel-timer.h"

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
    atomic_long_t data;
    struct list_head entry;
    work_func_t func;
};

struct delayed_work {
    struct work_struct work;
    struct timer_list timer;
    struct workqueue_struct *wq;
    int cpu;
};

struct workqueue_struct;
extern struct workqueue_struct *system_wq;

#define WORK_DATA_INIT() { 0 }
#define WORK_CPU_UNBOUND 64

static inline void __init_work(struct work_struct *work, int onstack) { (void)work; (void)onstack; }
extern void destroy_work_on_stack(struct work_struct *work);
extern void destroy_delayed_work_on_stack(struct delayed_work *work);
extern void delayed_work_timer_fn(struct timer_list *t);

#define __INIT_WORK(_work, _func, _onstack)                       \
    do {                                                          \
        __init_work((_work), _onstack);                           \
        (_work)->data = (atomic_long_t)WORK_DATA_INIT();          \
        INIT_LIST_HEAD(&(_work)->entry);                          \
        (_work)->func = (_func);                                  \
    } while (0)

#define INIT_WORK(_work, _func) __INIT_WORK((_work), (_func), 0)
#define INIT_WORK_ONSTACK(_work, _func) __INIT_WORK((_work), (_func), 1)

#define __INIT_DELAYED_WORK(_work, _func, _tflags)                \
    do {                                                          \
        INIT_WORK(&(_work)->work, (_func));                       \
        __init_timer(&(_work)->timer, delayed_work_timer_fn,      \
                     (_tflags) | TIMER_IRQSAFE);                  \
    } while (0)

#define INIT_DELAYED_WORK(_work, _func) __INIT_DELAYED_WORK(_work, _func, 0)

#define to_delayed_work(w) container_of(w, struct delayed_work, work)

extern bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
extern bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
                                  struct delayed_work *work, unsigned long delay);
extern bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
                                struct delayed_work *dwork, unsigned long delay);

static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
    return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

static inline bool queue_delayed_work(struct workqueue_struct *wq,
                                      struct delayed_work *dwork, unsigned long delay)
{
    return queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool mod_delayed_work(struct workqueue_struct *wq,
                                    struct delayed_work *dwork, unsigned long delay)
{
    return mod_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool schedule_work(struct work_struct *work)
{
    return queue_work(system_wq, work);
}

static inline bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
    return queue_delayed_work(system_wq, dwork, delay);
}

extern bool flush_work(struct work_struct *work);
extern bool cancel_work(struct work_struct *work);
extern bool cancel_work_sync(struct work_struct *work);
extern bool flush_delayed_work(struct delayed_work *dwork);
extern bool cancel_delayed_work(struct delayed_work *dwork);
extern bool cancel_delayed_work_sync(struct delayed_work *dwork);
extern void flush_workqueue(struct workqueue_struct *wq);

#endif
