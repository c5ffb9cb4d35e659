/*
 * #12 class 2: the thread is given the memory that holds its own handle.
 * A worker that only reads and writes fields leaves the holder ours (free
 * with the thread running loses it); one that frees its argument, or hands
 * it to unknown code, owns it from then on. The free under a running
 * worker that reads the record is also stop-too-late.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct task {
    pthread_t tid;
    int input, output;
};

extern int compute(int x);
extern void task_done(struct task *t);
extern int queue_full(void);

static void *task_main(void *arg)
{
    struct task *t = arg;

    t->output = compute(t->input);
    return NULL;
}

static void *task_main_self(void *arg)
{
    struct task *t = arg;

    pthread_detach(pthread_self());
    t->output = compute(t->input);
    free(t);
    return NULL;
}

static void *task_main_report(void *arg)
{
    struct task *t = arg;

    t->output = compute(t->input);
    task_done(t);
    return NULL;
}

/* bad: the worker only uses fields; a full queue frees it while it runs */
int task_run(int x)
{
    struct task *t = calloc(1, sizeof *t);

    if (!t)
        return -ENOMEM;
    t->input = x;
    if (pthread_create(&t->tid, NULL, task_main, t) != 0) { /* expect: missing-join */
        free(t);
        return -EAGAIN;
    }
    if (queue_full()) {
        free(t); /* expect: stop-too-late */
        return -EBUSY;
    }
    pthread_join(t->tid, NULL);
    x = t->output;
    free(t);
    return x;
}

/* good: the worker detaches itself and frees what it was given */
int task_run_detached(int x)
{
    struct task *t = calloc(1, sizeof *t);

    if (!t)
        return -ENOMEM;
    t->input = x;
    if (pthread_create(&t->tid, NULL, task_main_self, t) != 0) {
        free(t);
        return -EAGAIN;
    }
    return 0;
}

/* good: the worker hands it to unknown code */
int task_run_reported(int x)
{
    struct task *t = calloc(1, sizeof *t);

    if (!t)
        return -ENOMEM;
    t->input = x;
    if (pthread_create(&t->tid, NULL, task_main_report, t) != 0) {
        free(t);
        return -EAGAIN;
    }
    return 0;
}
