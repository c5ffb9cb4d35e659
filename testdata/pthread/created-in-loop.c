/*
 * created-in-loop (pthread): a thread created in a loop body that is still
 * alive (not joined, not detached, not handed off) when the iteration ends
 * (back edge or continue). Reported on the pthread_create inside the loop;
 * created-in-loop wins over missing-join for the same call.
 * A thread created in the loop that leaks only by leaving the loop (break,
 * return) is missing-join instead. The negatives below must stay silent.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WORKERS 32

struct conn {
    int fd;
    char peer[64];
};

struct request {
    int fd;
    size_t len;
    int priority;
};

struct job {
    int id;
    bool last;
    size_t nbytes;
};

struct job_queue;

struct pool {
    pthread_t workers[MAX_WORKERS];
    int nworkers;
};

extern int accept_client(int listen_fd);
extern struct request *queue_pop(struct job_queue *q);
extern struct job *next_job(struct job_queue *q);
extern int send_reply(int fd, const char *msg);
extern int thread_registry_add(pthread_t tid, const char *name);

static void *conn_main(void *arg)
{
    struct conn *c = arg;

    send_reply(c->fd, "hello");
    close(c->fd);
    return NULL;
}

static void *request_worker(void *arg)
{
    struct request *req = arg;

    req->len = 0;
    return NULL;
}

static void *job_worker(void *arg)
{
    struct job *job = arg;

    job->nbytes = 0;
    return NULL;
}

/* Same-file helper: joins its parameter on every path. */
static void reap(pthread_t t)
{
    void *res;

    if (pthread_join(t, &res) != 0)
        fprintf(stderr, "join failed\n");
}

/* bad: one thread per accepted connection, never joined nor detached */
int bad_thread_per_connection(int listen_fd, struct conn *conns, int max)
{
    int n;

    for (n = 0; n < max; n++) {
        pthread_t t;

        conns[n].fd = accept_client(listen_fd);
        if (conns[n].fd < 0)
            return -1;
        if (pthread_create(&t, NULL, conn_main, &conns[n]) != 0) /* expect: created-in-loop */
            return -1;
    }
    return n;
}

/* bad: an empty job is skipped with continue while its worker is still running */
int bad_continue_skips_join(struct job *jobs, int n)
{
    int i, done = 0;

    for (i = 0; i < n; i++) {
        pthread_t t;

        if (pthread_create(&t, NULL, job_worker, &jobs[i]) != 0) /* expect: created-in-loop */
            return -1;
        if (jobs[i].nbytes == 0)
            continue;
        pthread_join(t, NULL);
        done++;
    }
    return done;
}

/* bad: every iteration overwrites t; only the last worker is joined after the loop */
int bad_join_only_last(struct job *jobs, int n)
{
    pthread_t t;
    int i;

    if (n <= 0)
        return 0;
    for (i = 0; i < n; i++) {
        if (pthread_create(&t, NULL, job_worker, &jobs[i]) != 0) /* expect: created-in-loop */
            return -1;
    }
    pthread_join(t, NULL);
    return 0;
}

/* bad: requests drained from the queue get a thread each; only urgent ones are waited for */
int bad_join_only_urgent(struct job_queue *q)
{
    struct request *req;
    int served = 0;

    while ((req = queue_pop(q)) != NULL) {
        pthread_t t;

        if (pthread_create(&t, NULL, request_worker, req) != 0) /* expect: created-in-loop */
            break;
        if (req->priority > 0)
            pthread_join(t, NULL);
        served++;
    }
    return served;
}

/* bad: each retry starts a new probe thread without reaping the previous one */
int bad_retry_spawns_probe(struct job *job, int retries)
{
    pthread_t probe;
    int attempt = 0;

    do {
        if (pthread_create(&probe, NULL, job_worker, job) != 0) /* expect: created-in-loop */
            return -1;
        usleep(1000u << attempt);
    } while (!job->last && ++attempt < retries);
    pthread_join(probe, NULL);
    return attempt;
}

/* bad: the inner loop starts one thread per shard, but only one join happens per batch */
int bad_nested_loop(struct job *batches, int nbatches, int nshards)
{
    int b, s;

    for (b = 0; b < nbatches; b++) {
        pthread_t t;

        for (s = 0; s < nshards; s++) {
            if (pthread_create(&t, NULL, job_worker, &batches[b]) != 0) /* expect: created-in-loop */
                return -1;
        }
        pthread_join(t, NULL);
    }
    return 0;
}

/* bad: a failed create is skipped with continue (fine), but a successful one is never reaped */
int bad_spawn_count_only(struct job *jobs, int n)
{
    int i, started = 0;

    for (i = 0; i < n; i++) {
        pthread_t t;
        int rc = pthread_create(&t, NULL, job_worker, &jobs[i]); /* expect: created-in-loop */

        if (rc != 0)
            continue;
        started++;
    }
    return started;
}

/* bad (missing-join): joined every iteration, except the final-job break which leaves it running */
int bad_break_leaves_worker(struct job_queue *q)
{
    struct job *job;

    while ((job = next_job(q)) != NULL) {
        pthread_t t;

        if (pthread_create(&t, NULL, job_worker, job) != 0) /* expect: missing-join */
            return -1;
        if (job->last)
            break;
        pthread_join(t, NULL);
    }
    return 0;
}

/* bad (missing-join): a send failure returns from inside the loop with this worker unjoined */
int bad_return_inside_loop(struct request *reqs, int n)
{
    for (int i = 0; i < n; i++) {
        pthread_t t;

        if (pthread_create(&t, NULL, request_worker, &reqs[i]) != 0) /* expect: missing-join */
            return -1;
        if (send_reply(reqs[i].fd, "accepted") < 0)
            return -1;
        pthread_join(t, NULL);
    }
    return 0;
}

/* good: each batch worker is created and joined in the same iteration */
int good_create_join_same_iteration(struct job *jobs, int n)
{
    size_t total = 0;

    for (int i = 0; i < n; i++) {
        pthread_t t;

        if (pthread_create(&t, NULL, job_worker, &jobs[i]) != 0)
            return -1;
        pthread_join(t, NULL);
        total += jobs[i].nbytes;
    }
    return (int)total;
}

/* good: one detached thread per connection */
int good_create_detach_same_iteration(int listen_fd, struct conn *conns, int max)
{
    int n;

    for (n = 0; n < max; n++) {
        pthread_t t;

        conns[n].fd = accept_client(listen_fd);
        if (conns[n].fd < 0)
            break;
        if (pthread_create(&t, NULL, conn_main, &conns[n]) != 0) {
            close(conns[n].fd);
            continue;
        }
        pthread_detach(t);
    }
    return n;
}

/* good: per-request threads get a detached attribute */
int good_detached_attr_in_loop(struct job_queue *q)
{
    pthread_attr_t attr;
    struct request *req;
    int served = 0;

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    while ((req = queue_pop(q)) != NULL) {
        pthread_t t;

        if (pthread_create(&t, &attr, request_worker, req) != 0)
            break;
        served++;
    }
    pthread_attr_destroy(&attr);
    return served;
}

/* good: workers are kept in tids[i] and all joined in a second loop */
int good_tids_array_joined_after(struct job *jobs, int n)
{
    pthread_t tids[MAX_WORKERS];
    int i, started;

    if (n > MAX_WORKERS)
        n = MAX_WORKERS;
    for (i = 0; i < n; i++) {
        if (pthread_create(&tids[i], NULL, job_worker, &jobs[i]) != 0)
            break;
    }
    started = i;
    for (i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    return started == n ? 0 : -1;
}

/* good: the logger thread is created once before the request loop and joined after it */
int good_create_before_loop(struct job *logger, struct job_queue *q)
{
    pthread_t log_thread;
    struct request *req;
    int served = 0;

    if (pthread_create(&log_thread, NULL, job_worker, logger) != 0)
        return -1;
    while ((req = queue_pop(q)) != NULL) {
        if (send_reply(req->fd, "ok") < 0)
            break;
        served++;
    }
    logger->last = true;
    pthread_join(log_thread, NULL);
    return served;
}

/* good: a failed create continues (no thread then); a successful one is joined */
int good_failure_continue_then_join(struct job *jobs, int n)
{
    int failed = 0;

    for (int i = 0; i < n; i++) {
        pthread_t t;

        if (pthread_create(&t, NULL, job_worker, &jobs[i]) != 0) {
            failed++;
            continue;
        }
        pthread_join(t, NULL);
    }
    return failed;
}

/* good: each worker is stored into the pool reached through a pointer */
int good_stored_into_pool(struct pool *pool, struct job *jobs, int n)
{
    for (int i = 0; i < n && pool->nworkers < MAX_WORKERS; i++) {
        pthread_t t;

        if (pthread_create(&t, NULL, job_worker, &jobs[i]) != 0)
            return -1;
        pool->workers[pool->nworkers++] = t;
    }
    return pool->nworkers;
}

/* good: each worker is handed to the registry (no body here) before the iteration ends */
int good_registered_each_iteration(struct job *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        pthread_t t;

        if (pthread_create(&t, NULL, job_worker, &jobs[i]) != 0)
            return -1;
        if (thread_registry_add(t, "job") < 0)
            return -1;
    }
    return 0;
}

/* good: the same-file helper joins the worker at the end of each iteration */
int good_helper_join_in_loop(struct job_queue *q)
{
    struct job *job;
    int n = 0;

    while ((job = next_job(q)) != NULL) {
        pthread_t t;

        if (pthread_create(&t, NULL, job_worker, job) != 0)
            return -1;
        reap(t);
        n++;
    }
    return n;
}
