/* Constructs the deferred-cleanup and worker analysis relies on, each with a
 * case that must be found and one that must not:
 *  - a cleanup attribute behind two macros (systemd's _cleanup_close_);
 *  - a struct initialised with the handle ({t}) holds a copy of it;
 *  - a local pointer initialised &t and never assigned is t;
 *  - a call through a local function pointer initialised once;
 *  - a test of a copy of a handle carries the handle's facts;
 *  - the worker's data pointer reassigned after the spawn (fio's
 *    `s = get_submitter(j)` in the join loop) names other storage. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

extern int configure(void);
extern struct job *next_job(int i);

struct job {
    timer_t timer;
    pthread_t thread;
};

static void closep(int *fd) { if (*fd >= 0) close(*fd); }
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_close_ _cleanup_(closep)

static void *reader(void *arg)
{
    char buf[8];
    while (read(*(int *)arg, buf, sizeof buf) > 0)
        ;
    return NULL;
}

static void *poke(void *arg)
{
    struct job *j = arg;
    timer_getoverrun(j->timer);
    return NULL;
}

struct holder {
    timer_t t;
};

/* bad: two macros deep, the cleanup still closes fd under the reader */
int bad_nested_cleanup_macro(void)
{
    _cleanup_close_ int fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: stop-too-late */
    pthread_t th;

    if (fd < 0)
        return -1;
    if (pthread_create(&th, NULL, reader, &fd) != 0) /* note[stop-too-late]: thread 'th' created here by pthread_create() */
        return -1;
    pthread_detach(th); /* note[stop-too-late]: detached here by pthread_detach() */
    return 0; /* note[stop-too-late]: 'fd' released here by deferred cleanup (closep() as 'fd' goes out of scope) while thread 'th' running reader() still runs */
}

/* good: two macros deep, and joined before the scope ends */
int good_nested_cleanup_macro_joined(void)
{
    _cleanup_close_ int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    pthread_t th;

    if (fd < 0)
        return -1;
    if (pthread_create(&th, NULL, reader, &fd) != 0)
        return -1;
    pthread_join(th, NULL);
    return 0;
}

/* bad: h.t is a copy of t, handed to the worker; t deleted under it */
int bad_struct_copy_to_worker(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    struct holder h = {t};
    if (pthread_create(&th, NULL, poke, &h) != 0) { /* note[stop-too-late]: thread 'th' created here by pthread_create() */
        timer_delete(t);
        return -1;
    }
    pthread_detach(th); /* note[stop-too-late]: detached here by pthread_detach() */
    timer_delete(t); /* expect: stop-too-late */ /* note[stop-too-late]: 't' released here by timer_delete() while thread 'th' running poke() still runs */
    return 0;
}

/* good: the struct copy is released through the copy, after the join */
int good_struct_copy_released(void)
{
    timer_t t;
    pthread_t th;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    struct holder h = {t};
    if (pthread_create(&th, NULL, poke, &h) != 0) {
        timer_delete(h.t);
        return -1;
    }
    pthread_join(th, NULL);
    timer_delete(h.t);
    return 0;
}

/* good: *p is t: the delete through the alias releases it */
int good_alias_release(void)
{
    timer_t t;
    timer_t *p = &t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (configure() < 0) {
        timer_delete(*p);
        return -1;
    }
    timer_delete(t);
    return 0;
}

/* bad: the alias deletes t, then t is deleted again */
int bad_alias_double_delete(void)
{
    timer_t t;
    timer_t *p = &t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    timer_delete(*p); /* note[use-after-release]: released here by timer_delete() */
    timer_delete(t); /* expect: use-after-release */ /* note[use-after-release]: timer_delete() here */
    return 0;
}

static void delete_timer(timer_t *t) { timer_delete(*t); }

/* good: the function pointer is initialised once: the call releases t */
int good_fn_pointer_release(void)
{
    void (*done)(timer_t *) = delete_timer;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    done(&t);
    return 0;
}

extern void keep_timer(timer_t *t);

/* good: a function pointer assigned twice may be keep_timer here, not
 * delete_timer: using t after the call is no use after release */
int good_fn_pointer_reassigned(int keep)
{
    void (*done)(timer_t *) = delete_timer;
    struct itimerspec its;
    timer_t t;

    if (keep)
        done = keep_timer;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    done(&t);
    return timer_gettime(t, &its);
}

/* good: the copy was tested with the handle's own check: closing it when
 * valid releases fd on every path */
int good_copy_tested(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    int copy;

    if (fd < 0)
        return -1;
    copy = fd;
    if (copy >= 0)
        close(copy);
    return 0;
}

/* good: the loop joins each job's thread, then deletes that job's timer:
 * j names another job after the spawn loop */
void good_pointer_reassigned_after_spawn(int n)
{
    struct job *j = NULL;

    for (int i = 0; i < n; i++) {
        j = next_job(i);
        pthread_create(&j->thread, NULL, poke, j);
    }
    for (int i = 0; i < n; i++) {
        j = next_job(i);
        pthread_join(j->thread, NULL);
        timer_delete(j->timer);
    }
}

/* bad: the same job: its timer deleted before its thread is joined */
void bad_same_job_deleted_before_join(struct job *j)
{
    if (pthread_create(&j->thread, NULL, poke, j) != 0) /* note[stop-too-late]: thread 'j->thread' created here by pthread_create() */
        return;
    timer_delete(j->timer); /* expect: stop-too-late */ /* note[stop-too-late]: 'j->timer' released here by timer_delete() while thread 'j->thread' running poke() still runs */
    pthread_join(j->thread, NULL);
}
