/*
 * missing-join (pthread): a joinable thread started with pthread_create() is
 * neither joined, detached nor handed off on some path that leaves the
 * function (early return, goto to a label that skips the join, a failing call
 * after the create, switch case, short-circuit conditions, break out of a
 * loop, macro-wrapped creation, overwritten handle, cancel/tryjoin that are
 * not joins, joinable attribute).
 * Every finding is reported on the line of the pthread_create call (or of the
 * macro use that expands to it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SPAWN_WORKER(tid, fn, arg) pthread_create(&(tid), NULL, (fn), (arg))

enum req_kind { REQ_PING, REQ_UPLOAD, REQ_DOWNLOAD, REQ_SHUTDOWN };

struct request {
    enum req_kind kind;
    int fd;
    size_t len;
    char *payload;
    int priority;
    bool wait;
};

struct job {
    int id;
    bool abort;
    bool last;
    size_t nbytes;
};

struct server {
    pthread_t acceptor;
    pthread_t reaper;
    int listen_fd;
    volatile int stopping;
};

extern int open_listener(int port);
extern int prepare_request(struct request *req);
extern int send_reply(int fd, const char *msg);

static void *request_worker(void *arg)
{
    struct request *req = arg;

    if (req->payload != NULL)
        memset(req->payload, 0, req->len);
    return NULL;
}

static void *job_worker(void *arg)
{
    struct job *job = arg;

    job->nbytes = 0;
    return NULL;
}

static void *reaper_main(void *arg)
{
    (void)arg;
    usleep(1000);
    return NULL;
}

/* Same-file helper that only names the thread: neither a join nor an escape. */
static void name_thread(pthread_t t, const char *name)
{
    if (pthread_setname_np(t, name) != 0)
        fprintf(stderr, "cannot name thread %s\n", name);
}

/* bad: an empty request is rejected after the worker started; the early return skips the join */
int bad_early_return_after_create(struct request *req)
{
    pthread_t t;

    if (pthread_create(&t, NULL, request_worker, req) != 0) /* expect: missing-join */ /* note[missing-join]: thread 't' created here by pthread_create() */ /* note[missing-join]: taking the false branch: 'pthread_create(&t, NULL, request_worker, req) != 0' is false */
        return -1;
    if (req->len == 0) /* note[missing-join]: taking the true branch: 'req->len == 0' is true */
        return -EINVAL; /* note[missing-join]: returning here: the thread is neither joined nor detached */
    pthread_join(t, NULL);
    return 0;
}

/* bad: the listener failure jumps to err, which never joins the worker */
int bad_goto_err_skips_join(int port, struct request *req)
{
    pthread_t t;
    int fd;

    if (pthread_create(&t, NULL, request_worker, req) != 0) /* expect: missing-join */
        goto err;
    fd = open_listener(port);
    if (fd < 0) /* note[missing-join]: taking the true branch: 'fd < 0' is true */
        goto err;
    send_reply(fd, "ready");
    pthread_join(t, NULL);
    close(fd);
    return 0;
err:
    fprintf(stderr, "startup failed on port %d\n", port);
    return -1; /* note[missing-join]: returning here: the thread is neither joined nor detached */
}

/* bad: the cleanup label joins, but the early "out" jump lands after it */
int bad_goto_past_join_label(struct job *job, size_t limit)
{
    pthread_t t;
    int rc;

    rc = pthread_create(&t, NULL, job_worker, job); /* expect: missing-join */ /* note[missing-join]: thread 't' created here by pthread_create() */
    if (rc != 0) /* note[missing-join]: taking the false branch: 'rc != 0' is false */
        goto out;
    if (job->nbytes > limit) { /* note[missing-join]: taking the true branch: 'job->nbytes > limit' is true */
        rc = -E2BIG;
        goto out;
    }
    if (job->abort) {
        rc = -ECANCELED;
        goto join;
    }
    job->id++;
join:
    pthread_join(t, NULL);
out:
    return rc; /* note[missing-join]: returning here: the thread is neither joined nor detached */
}

/* bad: the allocation failure after a successful create returns with the worker running */
int bad_failing_call_after_create(struct job *job, size_t n)
{
    pthread_t t;
    char *scratch;

    if (pthread_create(&t, NULL, job_worker, job)) /* expect: missing-join */ /* note[missing-join]: taking the false branch: 'pthread_create(&t, NULL, job_worker, job)' is false */
        return -1;
    scratch = malloc(n);
    if (scratch == NULL) /* note[missing-join]: taking the true branch: 'scratch == NULL' is true */
        return -ENOMEM;
    memset(scratch, 0, n);
    pthread_join(t, NULL);
    free(scratch);
    return 0;
}

/* bad: the REQ_PING case returns straight out of the switch without joining */
int bad_switch_case_returns(struct request *req)
{
    pthread_t t;

    if (pthread_create(&t, NULL, request_worker, req) != 0) /* expect: missing-join */
        return -1;
    switch (req->kind) {
    case REQ_PING:
        return send_reply(req->fd, "pong");
    case REQ_UPLOAD:
    case REQ_DOWNLOAD:
        req->priority++;
        break;
    default:
        break;
    }
    pthread_join(t, NULL);
    return 0;
}

/* bad: create succeeds but the request does not ask to wait: the && skips the join */
int bad_short_circuit_and(struct request *req)
{
    pthread_t t;

    if (pthread_create(&t, NULL, request_worker, req) == 0 && req->wait) /* expect: missing-join */ /* note[missing-join]: taking the true branch: 'pthread_create(&t, NULL, request_worker, req) == 0' is true */ /* note[missing-join]: taking the false branch: 'req->wait' is false */
        pthread_join(t, NULL);
    return 0;
}

/* bad: create succeeds, prepare_request fails: the || takes the return with a live thread */
int bad_short_circuit_or(struct request *req)
{
    pthread_t t;

    if (pthread_create(&t, NULL, request_worker, req) != 0 || prepare_request(req) < 0) /* expect: missing-join */ /* note[missing-join]: taking the false branch: 'pthread_create(&t, NULL, request_worker, req) != 0' is false */ /* note[missing-join]: taking the true branch: 'prepare_request(req) < 0' is true */
        return -1;
    pthread_join(t, NULL);
    return 0;
}

/* bad: created and joined per iteration, but the abort break leaves this iteration's worker unjoined */
int bad_break_before_join(struct job *jobs, int njobs)
{
    pthread_t t;
    int i;

    for (i = 0; i < njobs; i++) {
        if (pthread_create(&t, NULL, job_worker, &jobs[i]) != 0) /* expect: missing-join */
            return -1;
        if (jobs[i].abort)
            break;
        pthread_join(t, NULL);
    }
    return i;
}

/* bad: the reaper is joined only when the poll loop sees the stop flag; the timeout break skips it */
int bad_poll_loop_break(struct server *srv, int max_polls)
{
    pthread_t t;
    int polls = 0;

    if (pthread_create(&t, NULL, reaper_main, NULL) != 0) /* expect: missing-join */
        return -1;
    for (;;) {
        if (srv->stopping) { /* note[missing-join]: taking the false branch: 'srv->stopping' is false */
            pthread_join(t, NULL);
            break;
        }
        if (++polls > max_polls) /* note[missing-join]: taking the true branch: '++polls > max_polls' is true */
            break;
        usleep(1000);
    }
    return polls;
}

/* bad: the thread started through SPAWN_WORKER is never joined; reported at the macro use */
int bad_macro_spawn(struct job *job)
{
    pthread_t t;

    if (SPAWN_WORKER(t, job_worker, job) != 0) /* expect: missing-join */
        return -1;
    job->id++;
    return 0;
}

/* bad: the second create overwrites the live handle of the first worker, which is never joined */
int bad_overwritten_handle(struct job *first, struct job *second)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, first) != 0) /* expect: missing-join */
        return -1;
    first->id = second->id + 1;
    if (pthread_create(&t, NULL, job_worker, second) != 0) /* note[missing-join]: 't' overwritten here: the previous thread is lost */
        return -1;
    pthread_join(t, NULL);
    return 0;
}

/* bad: the attribute is explicitly joinable, so the fire-and-forget worker still needs a join */
int bad_joinable_attr(struct request *req)
{
    pthread_attr_t attr;
    pthread_t t;
    int rc;

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
    rc = pthread_create(&t, &attr, request_worker, req); /* expect: missing-join */ /* note[missing-join]: thread 't' created here by pthread_create() */
    pthread_attr_destroy(&attr);
    return rc; /* note[missing-join]: returning here: the thread is neither joined nor detached */
}

/* bad: only background requests get a detached attribute; foreground workers are never joined */
int bad_detached_on_some_path(struct request *req, bool background)
{
    pthread_attr_t attr;
    pthread_t t;
    int rc;

    pthread_attr_init(&attr);
    if (background) /* note-gap[missing-join]: taking the false branch: 'background' is false */
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&t, &attr, request_worker, req); /* expect: missing-join */
    pthread_attr_destroy(&attr);
    if (rc != 0)
        return -rc;
    return 0;
}

/* bad: pthread_cancel only asks the thread to stop; the error path still has to join it */
int bad_cancel_without_join(struct server *srv)
{
    pthread_t t;

    if (pthread_create(&t, NULL, reaper_main, NULL) != 0) /* expect: missing-join */
        return -1;
    if (srv->listen_fd < 0) { /* note[missing-join]: taking the true branch: 'srv->listen_fd < 0' is true */
        pthread_cancel(t);
        return -1; /* note[missing-join]: returning here: the thread is neither joined nor detached */
    }
    srv->stopping = 1;
    pthread_join(t, NULL);
    return 0;
}

/* bad: pthread_tryjoin_np fails with EBUSY while the thread runs, so it is not a join */
int bad_tryjoin_only(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0) /* expect: missing-join */
        return -1;
    usleep(500);
    pthread_tryjoin_np(t, NULL);
    return 0;
}

/* bad: the same-file helper only names the thread; nothing joins it afterwards */
int bad_helper_only_names(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0) /* expect: missing-join */
        return -1;
    name_thread(t, "job-worker");
    return job->id;
}

/* bad: multi-line create after "rc ="; the finding is on the line of the callee name */
int bad_multiline_create(struct request *req)
{
    pthread_t t;
    int rc;

    rc =
        pthread_create(&t, NULL, /* expect: missing-join */ /* note[missing-join]: thread 't' created here by pthread_create() */
                       request_worker,
                       req);
    if (rc != 0)
        return -1;
    if (req->fd < 0) /* note[missing-join]: taking the true branch: 'req->fd < 0' is true */
        return -EBADF;
    pthread_join(t, NULL);
    return 0;
}

/* bad: the reaper lives in a local struct field; the listener error returns without joining it */
int bad_local_struct_field(int port)
{
    struct server srv = { .listen_fd = -1 };

    if (pthread_create(&srv.reaper, NULL, reaper_main, NULL) != 0) /* expect: missing-join */ /* note[missing-join]: thread 'srv.reaper' created here by pthread_create() */
        return -1;
    srv.listen_fd = open_listener(port);
    if (srv.listen_fd < 0) /* note[missing-join]: taking the true branch: 'srv.listen_fd < 0' is true */
        return -1;
    srv.stopping = 1;
    pthread_join(srv.reaper, NULL);
    close(srv.listen_fd);
    return 0;
}
