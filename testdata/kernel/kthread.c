/*
 * kernel-kthread: threads from kthread_run()/kthread_create() (macros over
 * kthread_create_on_node()) are stopped with kthread_stop(), which waits
 * for the thread and drops the task reference: a second kthread_stop(), or
 * waking/binding the task afterwards, uses a task_struct that may be gone.
 *
 * The create is not in rules/kernel-kthread.yaml yet (kthread_run's
 * statement-expression value is not followed, and ERR_PTR failures have no
 * fails-when): leaks are known gaps here.
 */
#include "kernel-kthread.h"

struct scanner {
    struct task_struct *task;
    struct task_struct *helper;
    int cpu;
    bool ready;
};

extern int scanner_prepare(struct scanner *sc);

static int scan_fn(void *data)
{
    struct scanner *sc = data;

    while (!kthread_should_stop())
        sc->ready = true;
    return 0;
}

/* Stops its parameter on every path. */
static void scanner_stop_task(struct task_struct *t)
{
    kthread_stop(t);
}

/* bad: the error path stops the helper and the common exit stops it again */
void bad_double_stop(struct scanner *sc, bool failed)
{
    if (failed) /* note[use-after-release]: taking the true branch: 'failed' is true */
        kthread_stop(sc->helper); /* note[use-after-release]: joined here by kthread_stop() */
    sc->ready = false;
    kthread_stop(sc->helper); /* expect: use-after-release */ /* note[use-after-release]: kthread_stop() here */
}

/* bad: woken after it was stopped (through a same-file helper) */
void bad_wake_after_stop(struct task_struct *t, bool restart)
{
    scanner_stop_task(t); /* note[use-after-release]: joined here by scanner_stop_task() */
    if (restart)
        wake_up_process(t); /* expect: use-after-release */
}

/* bad: a created thread is neither stopped nor stored when prepare fails */
int bad_thread_left_on_error(struct scanner *sc)
{
    struct task_struct *t;

    t = kthread_create(scan_fn, sc, "scanner/%d", sc->cpu); /* known-gap: missing-join */
    if (IS_ERR(t))
        return PTR_ERR(t);
    kthread_bind(t, sc->cpu);
    if (scanner_prepare(sc) < 0)
        return -EINVAL;
    wake_up_process(t);
    sc->task = t;
    return 0;
}

/* bad: kthread_run()'s thread leaks on the prepare error */
int bad_run_left_on_error(struct scanner *sc)
{
    struct task_struct *t = kthread_run(scan_fn, sc, "scanner"); /* known-gap: missing-join */

    if (IS_ERR(t))
        return PTR_ERR(t);
    if (scanner_prepare(sc) < 0)
        return -EINVAL;
    sc->task = t;
    return 0;
}

/* good: stopped once on every path */
void good_stop_once(struct scanner *sc, bool failed)
{
    if (failed) {
        kthread_stop(sc->task);
        return;
    }
    kthread_park(sc->task);
    kthread_unpark(sc->task);
    scanner_stop_task(sc->task);
}

/* good: the thread is stored in the scanner */
int good_stored_in_field(struct scanner *sc)
{
    sc->task = kthread_run(scan_fn, sc, "scanner/%d", sc->cpu);
    if (IS_ERR(sc->task))
        return PTR_ERR(sc->task);
    return 0;
}

/* bad: the same, with the stop called directly */
void bad_wake_after_direct_stop(struct task_struct *t, bool restart)
{
    kthread_stop(t);
    if (restart)
        wake_up_process(t); /* expect: use-after-release */
}
