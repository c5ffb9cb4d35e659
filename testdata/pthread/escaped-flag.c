/*
 * missing-join (pthread), branch facts on memory a running thread can
 * write: after `w.done = 0; pthread_create(&t, NULL, run, &w);` the thread
 * may set w.done (or w.failed) at any moment, so a later test of it can go
 * either way. The value stored before the create is no fact about that
 * test: `while (!w.done)` can end, `if (w.failed)` can be taken. A path
 * that leaves without joining through such a test is feasible, and
 * missing-join is reported on the pthread_create line. The same holds when
 * the address reached the thread through a pointer copy or inside another
 * struct given to it.
 * A local whose address never reached the thread keeps its value: a branch
 * on it stays decided, and a return it guards is not a path.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

struct work {
    volatile int done;
    volatile int failed;
    int input;
    int result;
};

struct job {
    struct work *work;
    int id;
};

static void *run(void *arg)
{
    struct work *w = arg;

    if (w->input < 0)
        w->failed = 1;
    else
        w->result = w->input * 2;
    w->done = 1;
    return NULL;
}

static void *run_job(void *arg)
{
    struct job *j = arg;

    return run(j->work);
}

static void *run_until_stopped(void *arg)
{
    volatile int *stop = arg;

    sleep(1);
    *stop = 1;
    return NULL;
}

/* bad: the loop ends when the thread sets w.done; the function then
 * returns without joining */
int bad_wait_on_done_flag(int input)
{
    struct work w;
    pthread_t t;

    w.done = 0;
    w.failed = 0;
    w.input = input;
    if (pthread_create(&t, NULL, run, &w) != 0) /* expect: missing-join */ /* note[missing-join]: thread 't' created here by pthread_create() */
        return -1;
    while (!w.done) /* note[missing-join]: taking the false branch: '!w.done' is false */
        sleep(1);
    return w.result; /* note[missing-join]: returning here: the thread is neither joined nor detached */
}

/* bad: w.failed was 0 before the create, but the thread may set it: the
 * error return is feasible and skips the join */
int bad_failed_flag_set_by_thread(int input)
{
    struct work w;
    pthread_t t;

    w.done = 0;
    w.failed = 0;
    w.input = input;
    if (pthread_create(&t, NULL, run, &w) != 0) /* expect: missing-join */
        return -1;
    while (!w.done)
        sleep(1);
    if (w.failed) /* note[missing-join]: taking the true branch: 'w.failed' is true */
        return -1; /* note[missing-join]: returning here: the thread is neither joined nor detached */
    pthread_join(t, NULL);
    return w.result;
}

/* bad: the address went to the thread through a pointer copy */
int bad_flag_through_pointer_copy(int input)
{
    struct work w = { .done = 0, .failed = 0, .input = input };
    struct work *wp = &w;
    pthread_t t;

    if (pthread_create(&t, NULL, run, wp) != 0) /* expect: missing-join */
        return -1;
    sleep(1);
    if (w.failed) /* note[missing-join]: taking the true branch: 'w.failed' is true */
        return -1;
    pthread_join(t, NULL);
    return w.result;
}

/* bad: the work struct reached the thread inside the job it was given */
int bad_flag_inside_thread_arg(int input)
{
    struct work w = { .done = 0, .failed = 0, .input = input };
    struct job j = { .work = &w, .id = 1 };
    pthread_t t;

    if (pthread_create(&t, NULL, run_job, &j) != 0) /* known-gap: missing-join */
        return -1;
    while (!w.done)
        usleep(1000);
    if (w.failed)
        return -1;
    pthread_join(t, NULL);
    return w.result;
}

/* bad: a plain int flag whose address the thread got */
int bad_int_flag(void)
{
    volatile int stop = 0;
    pthread_t t;

    if (pthread_create(&t, NULL, run_until_stopped, (void *)&stop) != 0) /* expect: missing-join */
        return -1;
    sleep(2);
    if (stop) /* note[missing-join]: taking the true branch: 'stop' is true */
        return 1;
    pthread_join(t, NULL);
    return 0;
}

/* good: the same waits, with a join on every path */
int good_joined_on_every_path(int input)
{
    struct work w;
    pthread_t t;

    w.done = 0;
    w.failed = 0;
    w.input = input;
    if (pthread_create(&t, NULL, run, &w) != 0)
        return -1;
    while (!w.done)
        sleep(1);
    if (w.failed) {
        pthread_join(t, NULL);
        return -1;
    }
    pthread_join(t, NULL);
    return w.result;
}

/* good: the flag tested is a local the thread never got: 'retry' is still
 * false at the test, so the return without join is not a path */
int good_unescaped_flag_stays_decided(int input)
{
    struct work w = { .done = 0, .failed = 0, .input = input };
    bool retry = false;
    pthread_t t;

    if (pthread_create(&t, NULL, run, &w) != 0)
        return -1;
    while (!w.done)
        sleep(1);
    if (retry)
        return -1;
    pthread_join(t, NULL);
    return w.failed ? -1 : w.result;
}

/* good: the flag is tested after the join, when the thread is gone */
int good_flag_tested_after_join(int input)
{
    struct work w = { .done = 0, .failed = 0, .input = input };
    pthread_t t;

    if (pthread_create(&t, NULL, run, &w) != 0)
        return -1;
    pthread_join(t, NULL);
    if (w.failed)
        return -1;
    return w.result;
}
