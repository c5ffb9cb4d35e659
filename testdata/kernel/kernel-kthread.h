/* kernel-kthread.h: declarations shaped like <linux/kthread.h> and
 * <linux/sched.h>: kthread_run() is a statement-expression macro over
 * kthread_create(), itself a macro over kthread_create_on_node(), followed
 * by wake_up_process() when the result is not an ERR_PTR. Only what the
 * testdata needs. */
#ifndef TESTDATA_KERNEL_KTHREAD_H
#define TESTDATA_KERNEL_KTHREAD_H

#include "kernel-types.h"

struct task_struct {
    int pid;
    char comm[16];
};

extern int wake_up_process(struct task_struct *tsk);

__attribute__((format(printf, 4, 5)))
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data),
                                           void *data,
                                           int node,
                                           const char namefmt[], ...);

#define kthread_create(threadfn, data, namefmt, arg...) \
    kthread_create_on_node(threadfn, data, NUMA_NO_NODE, namefmt, ##arg)

#define kthread_run(threadfn, data, namefmt, ...)                          \
({                                                                         \
    struct task_struct *__k                                                \
        = kthread_create(threadfn, data, namefmt, ## __VA_ARGS__);         \
    if (!IS_ERR(__k))                                                      \
        wake_up_process(__k);                                              \
    __k;                                                                   \
})

int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
void kthread_bind(struct task_struct *k, unsigned int cpu);
int kthread_park(struct task_struct *k);
void kthread_unpark(struct task_struct *k);

#endif
