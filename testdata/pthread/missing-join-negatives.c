/*
 * missing-join (pthread), negatives: every thread below is joined, detached,
 * created detached, never created on the leaving path (status checks), handed
 * off (returned, stored through a pointer, global, *out, extern call, thread
 * argument), released by a same-file helper, or the path ends in a noreturn
 * call. No line in this file may produce a finding.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_PAYLOAD 65536

/* Starts a worker or returns -1 from the calling function. */
#define START_OR_FAIL(tid, fn, arg)                                  \
    do {                                                             \
        if (pthread_create(&(tid), NULL, (fn), (arg)) != 0)          \
            return -1;                                               \
    } while (0)

enum req_kind { REQ_PING, REQ_UPLOAD, REQ_DOWNLOAD, REQ_SHUTDOWN };

struct request {
    enum req_kind kind;
    int fd;
    size_t len;
    char *payload;
    bool wait;
};

struct job {
    int id;
    bool last;
    size_t nbytes;
};

struct server {
    pthread_t acceptor;
    pthread_t reaper;
    int listen_fd;
    volatile int stopping;
};

struct pool {
    pthread_t workers[16];
    int nworkers;
};

struct config {
    bool threaded;
    int port;
};

static pthread_t g_stats_thread;
static pthread_t g_flusher;

extern int open_listener(int port);
extern int send_reply(int fd, const char *msg);
extern int serve_forever(int fd);
extern int thread_registry_add(pthread_t tid, const char *name);
extern void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

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

static void *stats_main(void *arg)
{
    (void)arg;
    sleep(1);
    return NULL;
}

/* Waits for the thread whose handle it was given as argument. */
static void *supervisor_main(void *arg)
{
    pthread_t *worker = arg;

    pthread_join(*worker, NULL);
    return NULL;
}

/* Same-file helper: joins its parameter on every path. */
static int reap_thread(pthread_t t, const char *what)
{
    void *res = NULL;
    int rc = pthread_join(t, &res);

    if (rc != 0) {
        fprintf(stderr, "join %s: %s\n", what, strerror(rc));
        return -1;
    }
    return res == PTHREAD_CANCELED ? 1 : 0;
}

/* Same-file helper: joins its parameter only when asked to (state unknown after the call). */
static void maybe_reap(pthread_t t, bool wait)
{
    if (wait)
        pthread_join(t, NULL);
}

/* good: every exit after the create goes through the join label */
int good_joined_on_every_path(int port, struct request *req)
{
    pthread_t t;
    int fd, rc = 0;

    if (pthread_create(&t, NULL, request_worker, req) != 0)
        return -1;
    fd = open_listener(port);
    if (fd < 0) {
        rc = -1;
        goto join;
    }
    if (send_reply(fd, "ready") < 0)
        rc = -1;
    close(fd);
join:
    pthread_join(t, NULL);
    return rc;
}

/* good: the fire-and-forget worker is detached right after it starts */
int good_detached(struct request *req)
{
    pthread_t t;
    int rc;

    rc = pthread_create(&t, NULL, request_worker, req);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    pthread_detach(t);
    return 0;
}

/* good: the thread is created with a detached attribute and needs no join */
int good_detached_attr(struct request *req)
{
    pthread_attr_t attr;
    pthread_t t;
    int rc;

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&t, &attr, request_worker, req);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        fprintf(stderr, "spawn: %s\n", strerror(rc));
        return -1;
    }
    return 0;
}

/* good: the early return happens only when the create failed, so no thread exists there */
int good_status_check_return(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    job->id++;
    pthread_join(t, NULL);
    return 0;
}

/* good: bare nonzero test of the create result; the return is the failure path */
int good_status_check_bare(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job))
        return -EAGAIN;
    pthread_join(t, NULL);
    return (int)job->nbytes;
}

/* good: the status is assigned inside the condition; the error branch has no thread */
int good_status_assigned_in_condition(struct job *job)
{
    pthread_t t;
    int rc;

    if ((rc = pthread_create(&t, NULL, job_worker, job)) != 0) {
        fprintf(stderr, "job %d: %s\n", job->id, strerror(rc));
        return -rc;
    }
    pthread_join(t, NULL);
    return 0;
}

/* good: "rc = create; if (rc) goto fail" — fail has no join because no thread exists there */
int good_rc_goto_fail(struct request *req, size_t bufsize)
{
    pthread_t t;
    char *buf;
    int rc;

    buf = malloc(bufsize);
    if (buf == NULL)
        return -ENOMEM;
    req->payload = buf;
    req->len = bufsize;
    rc = pthread_create(&t, NULL, request_worker, req);
    if (rc)
        goto fail;
    pthread_join(t, NULL);
    req->payload = NULL;
    free(buf);
    return 0;
fail:
    req->payload = NULL;
    free(buf);
    return -rc;
}

/* good: the create sits in the if condition and the success block joins */
int good_join_in_success_block(struct request *req)
{
    pthread_t t;

    if (pthread_create(&t, NULL, request_worker, req) == 0) {
        send_reply(req->fd, "processing");
        pthread_join(t, NULL);
        return 0;
    }
    send_reply(req->fd, "busy");
    return -1;
}

/* good: the create is only evaluated when threading is on, and its failure returns */
int good_short_circuit_guard(struct config *cfg, struct job *job)
{
    pthread_t t;

    if (!cfg->threaded || pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    pthread_join(t, NULL);
    return 0;
}

/* good: the macro returns only when the create failed; the thread is joined */
int good_macro_checked(struct job *job)
{
    pthread_t t;

    START_OR_FAIL(t, job_worker, job);
    job->id++;
    pthread_join(t, NULL);
    return 0;
}

/* good: every switch case joins before leaving */
int good_switch_all_join(struct request *req)
{
    pthread_t t;

    if (pthread_create(&t, NULL, request_worker, req) != 0)
        return -1;
    switch (req->kind) {
    case REQ_PING:
        pthread_join(t, NULL);
        return send_reply(req->fd, "pong");
    case REQ_SHUTDOWN:
        pthread_join(t, NULL);
        return 1;
    default:
        break;
    }
    pthread_join(t, NULL);
    return 0;
}

/* good: the handle is returned to the caller, who owns it */
pthread_t good_returned_handle(struct job *job)
{
    pthread_t t;
    int rc;

    rc = pthread_create(&t, NULL, job_worker, job);
    if (rc != 0) {
        errno = rc;
        return 0;
    }
    return t;
}

/* good: created straight into a field reached through the server pointer */
int good_created_through_pointer(struct server *srv)
{
    srv->stopping = 0;
    if (pthread_create(&srv->acceptor, NULL, stats_main, NULL) != 0)
        return -1;
    return 0;
}

/* good: a local handle copied into srv->reaper belongs to the server from then on */
int good_copied_to_field(struct server *srv)
{
    pthread_t t;

    if (pthread_create(&t, NULL, stats_main, NULL) != 0)
        return -1;
    srv->reaper = t;
    return 0;
}

/* good: the handle goes out through *out */
int good_out_param(struct job *job, pthread_t *out)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    *out = t;
    return 0;
}

/* good: the handle is put into the pool's worker array */
int good_stored_in_pool(struct pool *pool, struct job *job)
{
    pthread_t t;

    if (pool->nworkers >= 16)
        return -ENOSPC;
    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    pool->workers[pool->nworkers++] = t;
    return 0;
}

/* good: the stats thread is created straight into a global */
int good_created_into_global(void)
{
    return pthread_create(&g_stats_thread, NULL, stats_main, NULL);
}

/* good: the flusher handle is copied into a global and joined at shutdown elsewhere */
int good_copied_to_global(struct job *job)
{
    pthread_t t;
    int rc;

    rc = pthread_create(&t, NULL, job_worker, job);
    if (rc != 0)
        return -rc;
    g_flusher = t;
    return 0;
}

/* good: the registry (no body in this file) takes ownership of the handle */
int good_passed_to_extern(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    return thread_registry_add(t, "flusher");
}

/* good: the worker handle is the supervisor thread's argument; the supervisor is joined */
int good_handle_passed_as_thread_arg(struct job *job)
{
    pthread_t worker, sup;

    if (pthread_create(&worker, NULL, job_worker, job) != 0)
        return -1;
    if (pthread_create(&sup, NULL, supervisor_main, &worker) != 0) {
        pthread_join(worker, NULL);
        return -1;
    }
    pthread_join(sup, NULL);
    return 0;
}

/* good: the same-file helper joins its parameter on every path */
int good_joined_in_helper(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    job->id++;
    return reap_thread(t, "job");
}

/* good: the helper joins only on some paths, so the state after it is unknown: no finding */
int good_helper_joins_sometimes(struct request *req)
{
    pthread_t t;

    if (pthread_create(&t, NULL, request_worker, req) != 0)
        return -1;
    maybe_reap(t, req->wait);
    return 0;
}

/* good: a failed bind is fatal for the daemon; exit() ends that path */
int good_exit_path(struct server *srv, int port)
{
    pthread_t t;
    int fd;

    if (pthread_create(&t, NULL, stats_main, NULL) != 0)
        return -1;
    fd = open_listener(port);
    if (fd < 0) {
        perror("listen");
        exit(EXIT_FAILURE);
    }
    srv->listen_fd = fd;
    serve_forever(fd);
    pthread_join(t, NULL);
    return 0;
}

/* good: a corrupted job aborts the process; abort() ends that path */
int good_abort_path(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    if (job->id < 0) {
        fprintf(stderr, "corrupted job id %d\n", job->id);
        abort();
    }
    pthread_join(t, NULL);
    return 0;
}

/* good: the main thread leaves with pthread_exit on the last job, so no join is owed there */
void good_pthread_exit_path(struct job *job)
{
    pthread_t t;

    if (pthread_create(&t, NULL, job_worker, job) != 0) {
        perror("pthread_create");
        return;
    }
    if (job->last)
        pthread_exit(NULL);
    pthread_join(t, NULL);
}

/* good: the parser guarantees the size; assert(0) ends the impossible path */
int good_assert_path(struct request *req)
{
    pthread_t t;

    if (pthread_create(&t, NULL, request_worker, req) != 0)
        return -1;
    if (req->len > MAX_PAYLOAD) {
        assert(0);
        return -1;
    }
    pthread_join(t, NULL);
    return 0;
}

/* good: die() is declared noreturn, so the fatal path leaks nothing */
int good_noreturn_function(struct config *cfg, struct job *job)
{
    pthread_t t;
    int fd;

    if (pthread_create(&t, NULL, job_worker, job) != 0)
        return -1;
    fd = open_listener(cfg->port);
    if (fd < 0)
        die("cannot listen on port %d", cfg->port);
    serve_forever(fd);
    close(fd);
    pthread_join(t, NULL);
    return 0;
}

/* good: the watchdog exists only when enabled, and is joined under the same flag */
int good_flag_tested_twice(int fd, bool watchdog)
{
    pthread_t wd;
    int rc;

    if (watchdog)
        pthread_create(&wd, NULL, stats_main, NULL);
    rc = serve_forever(fd);
    if (watchdog)
        pthread_join(wd, NULL);
    return rc;
}
