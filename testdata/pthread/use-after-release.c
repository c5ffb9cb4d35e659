/*
 * use-after-release (pthread): a join, detach or use (pthread_kill,
 * pthread_cancel, pthread_setname_np) of a thread handle that was already
 * joined or detached on that path: double join, join after detach, detach
 * after join, kill/cancel after join. Reported on the offending call.
 * Every thread in this file is released exactly once on each path, so no
 * missing-join finding is expected anywhere.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct server {
    int listen_fd;
    volatile int stopping;
};

struct job {
    int id;
    bool last;
    size_t nbytes;
};

struct io_threads {
    pthread_t rx;
    pthread_t tx;
    int fd;
};

extern int flush_journal(struct server *srv);

static void *acceptor_main(void *arg)
{
    struct server *srv = arg;

    while (!srv->stopping)
        usleep(1000);
    return NULL;
}

static void *job_worker(void *arg)
{
    struct job *job = arg;

    job->nbytes = 0;
    return NULL;
}

/* Same-file helper: joins its parameter on every path. */
static void stop_thread(pthread_t t)
{
    pthread_join(t, NULL);
}

/* bad: the error path joins the acceptor a second time after the normal shutdown join */
int bad_double_join_error_path(struct server *srv)
{
    pthread_t t;

    if (pthread_create(&t, NULL, acceptor_main, srv) != 0) /* note[use-after-release]: thread 't' created here by pthread_create() */
        return -1;
    srv->stopping = 1;
    pthread_join(t, NULL); /* note[use-after-release]: joined here by pthread_join() */
    if (flush_journal(srv) < 0) /* note[use-after-release]: taking the true branch: 'flush_journal(srv) < 0' is true */
        goto fail;
    return 0;
fail:
    pthread_join(t, NULL); /* expect: use-after-release */ /* note[use-after-release]: pthread_join() here */
    return -1;
}

/* bad: the drain path joins, then falls through to the common join */
int bad_join_twice_on_drain_path(struct server *srv, bool drain)
{
    pthread_t t;

    if (pthread_create(&t, NULL, acceptor_main, srv) != 0)
        return -1;
    srv->stopping = 1;
    if (drain) /* note[use-after-release]: taking the true branch: 'drain' is true */
        pthread_join(t, NULL); /* note[use-after-release]: joined here by pthread_join() */
    pthread_join(t, NULL); /* expect: use-after-release */ /* note[use-after-release]: pthread_join() here */
    return 0;
}

/* bad: the worker was detached at start, the shutdown code still joins it */
int bad_join_after_detach(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    pthread_detach(t); /* note[use-after-release]: detached here by pthread_detach() */
    job->last = true;
    pthread_join(t, NULL); /* expect: use-after-release */ /* note[use-after-release]: pthread_join() here */
    return 0;
}

/* bad: after waiting for the worker, a leftover detach runs on the joined handle */
int bad_detach_after_join(struct job *job)
{
    pthread_t t;
    size_t done;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    pthread_join(t, NULL);
    done = job->nbytes;
    pthread_detach(t); /* expect: use-after-release */ /* note[use-after-release]: pthread_detach() here */
    return (int)done;
}

/* bad: the liveness probe signals a thread that was already joined (its id may be reused) */
int bad_kill_after_join(struct server *srv)
{
    pthread_t t;

    if (pthread_create(&t, NULL, acceptor_main, srv) != 0)
        return -1;
    srv->stopping = 1;
    pthread_join(t, NULL);
    if (pthread_kill(t, 0) == 0) /* expect: use-after-release */ /* note[use-after-release]: pthread_kill() here */
        fprintf(stderr, "acceptor still alive?\n");
    return 0;
}

/* bad: the timeout path cancels a thread that the shutdown code already joined */
int bad_cancel_after_join(struct server *srv, int timeout_ms)
{
    pthread_t t;

    if (pthread_create(&t, NULL, acceptor_main, srv) != 0)
        return -1;
    srv->stopping = 1;
    pthread_join(t, NULL);
    if (timeout_ms == 0) /* note[use-after-release]: taking the true branch: 'timeout_ms == 0' is true */
        pthread_cancel(t); /* expect: use-after-release */ /* note[use-after-release]: pthread_cancel() here */
    return 0;
}

/* bad: the worker is detached, then renamed through its stale handle */
int bad_setname_after_detach(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    pthread_detach(t);
    pthread_setname_np(t, "job-worker"); /* expect: use-after-release */
    return 0;
}

/* bad: the copy `saved = t` names the same thread, which is joined twice */
int bad_join_through_copy(struct job *job)
{
    pthread_t t, saved;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    saved = t;
    pthread_join(t, NULL);
    job->id++;
    pthread_join(saved, NULL); /* expect: use-after-release */
    return 0;
}

/* bad: the same-file helper already joined the thread; the caller joins it again */
int bad_join_after_helper_join(struct server *srv)
{
    pthread_t t;

    if (pthread_create(&t, NULL, acceptor_main, srv) != 0)
        return -1;
    srv->stopping = 1;
    stop_thread(t);
    pthread_join(t, NULL); /* expect: use-after-release */
    return 0;
}

/* bad: the background flag path detaches, then the common tail detaches again */
int bad_double_detach(struct job *job, bool background)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    if (background)
        pthread_detach(t);
    job->id++;
    pthread_detach(t); /* expect: use-after-release */
    return 0;
}

/* good: joined when the caller waits, detached otherwise; one release per path */
int good_join_or_detach(struct job *job, bool wait)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    if (wait)
        pthread_join(t, NULL);
    else
        pthread_detach(t);
    return 0;
}

/* good: t is joined, reused for the second phase worker, and joined again */
int good_rejoin_after_recreate(struct job *phase1, struct job *phase2)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, phase1) != 0)
        return -1;
    pthread_join(t, NULL);
    if (pthread_create(&t, NULL, job_worker, phase2) != 0)
        return -1;
    pthread_join(t, NULL);
    return (int)(phase1->nbytes + phase2->nbytes);
}

/* good: a detached helper's handle variable is reused for a joined worker */
int good_detach_then_recreate_join(struct job *bg, struct job *fg)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, bg) != 0)
        return -1;
    pthread_detach(t);
    if (pthread_create(&t, NULL, job_worker, fg) != 0)
        return -1;
    pthread_join(t, NULL);
    return 0;
}

/* good: cancel and kill are uses of a live thread, the join comes last */
int good_cancel_kill_then_join(struct server *srv)
{
    pthread_t t;

    if (pthread_create(&t, NULL, acceptor_main, srv) != 0)
        return -1;
    pthread_setname_np(t, "acceptor");
    if (pthread_kill(t, 0) == 0)
        pthread_cancel(t);
    pthread_join(t, NULL);
    return 0;
}

/* good: each branch joins once and returns; nothing joins after the if/else */
int good_join_each_branch(struct server *srv, bool graceful)
{
    pthread_t t;

    if (pthread_create(&t, NULL, acceptor_main, srv) != 0)
        return -1;
    if (graceful) {
        srv->stopping = 1;
        pthread_join(t, NULL);
        return flush_journal(srv);
    } else {
        pthread_cancel(t);
        pthread_join(t, NULL);
    }
    return 0;
}

/* good: rx and tx are distinct handles in one local struct, each joined once */
int good_two_handles_in_struct(struct job *in, struct job *out)
{
    struct io_threads io = { .fd = -1 };

    if (pthread_create(&io.rx, NULL, job_worker, in) != 0)
        return -1;
    if (pthread_create(&io.tx, NULL, job_worker, out) != 0) {
        pthread_join(io.rx, NULL);
        return -1;
    }
    pthread_join(io.rx, NULL);
    pthread_join(io.tx, NULL);
    return 0;
}
