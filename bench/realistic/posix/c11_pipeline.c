/*
 * c11_pipeline.c - staged processing pipeline on ISO C11 threads.
 *
 * Items flow through bounded rings; each stage thread pops from its input
 * ring, applies a transform and pushes to its output ring.  Closing the
 * first ring makes the stages drain and exit in order.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#define RING_CAP   32
#define MAX_STAGES 8

struct ring {
    mtx_t lock;
    cnd_t not_empty;
    cnd_t not_full;
    void *slots[RING_CAP];
    size_t head, count;
    int closed;
};

struct stage {
    const char *name;
    thrd_t thr;
    struct ring *in, *out;
    void *(*xform)(void *);
};

struct flush_req {
    struct ring *ring;
    atomic_int done;
};

struct pipeline {
    struct ring rings[MAX_STAGES + 1];
    struct stage stages[MAX_STAGES];
    size_t nstages;
    struct flush_req flush;
};

struct probe_args {
    struct stage *st;
    void *sample;
    atomic_int finished;
    int verdict;
};

static void ring_init(struct ring *r)
{
    memset(r, 0, sizeof *r);
    mtx_init(&r->lock, mtx_plain);
    cnd_init(&r->not_empty);
    cnd_init(&r->not_full);
}

static void ring_destroy(struct ring *r)
{
    cnd_destroy(&r->not_full);
    cnd_destroy(&r->not_empty);
    mtx_destroy(&r->lock);
}

static int ring_push(struct ring *r, void *item)
{
    mtx_lock(&r->lock);
    while (r->count == RING_CAP && !r->closed)
        cnd_wait(&r->not_full, &r->lock);
    if (r->closed) {
        mtx_unlock(&r->lock);
        return -1;
    }
    r->slots[(r->head + r->count) % RING_CAP] = item;
    r->count++;
    cnd_signal(&r->not_empty);
    mtx_unlock(&r->lock);
    return 0;
}

static void *ring_pop(struct ring *r)
{
    void *item = NULL;

    mtx_lock(&r->lock);
    while (r->count == 0 && !r->closed)
        cnd_wait(&r->not_empty, &r->lock);
    if (r->count) {
        item = r->slots[r->head];
        r->head = (r->head + 1) % RING_CAP;
        r->count--;
        cnd_signal(&r->not_full);
    }
    mtx_unlock(&r->lock);
    return item;
}

static void ring_close(struct ring *r)
{
    mtx_lock(&r->lock);
    r->closed = 1;
    cnd_broadcast(&r->not_empty);
    cnd_broadcast(&r->not_full);
    mtx_unlock(&r->lock);
}

static int stage_main(void *arg)
{
    struct stage *st = arg;
    void *item;

    while ((item = ring_pop(st->in)) != NULL) {
        void *res = st->xform(item);
        if (res && ring_push(st->out, res) != 0)
            break;
    }
    ring_close(st->out);
    return 0;
}

static int spawn_stage(thrd_t *out, struct stage *st)
{
    thrd_t t;

    if (thrd_create(&t, stage_main, st) != thrd_success)
        return -1;
    *out = t;
    return 0;
}

int pipeline_start(struct pipeline *p, void *(**xforms)(void *), size_t n)
{
    size_t i, started;

    if (n == 0 || n > MAX_STAGES)
        return -1;
    memset(p, 0, sizeof *p);
    for (i = 0; i <= n; i++)
        ring_init(&p->rings[i]);
    for (started = 0; started < n; started++) {
        struct stage *st = &p->stages[started];

        st->name = "stage";
        st->in = &p->rings[started];
        st->out = &p->rings[started + 1];
        st->xform = xforms[started];
        if (spawn_stage(&st->thr, st) != 0)
            goto unwind;
    }
    p->nstages = n;
    return 0;

unwind:
    ring_close(&p->rings[0]);
    for (i = 0; i < started; i++)
        thrd_join(p->stages[i].thr, NULL);
    for (i = 0; i <= n; i++)
        ring_destroy(&p->rings[i]);
    return -1;
}

void pipeline_stop(struct pipeline *p)
{
    size_t i;

    ring_close(&p->rings[0]);
    for (i = 0; i < p->nstages; i++)
        thrd_join(p->stages[i].thr, NULL);
    for (i = 0; i <= p->nstages; i++)
        ring_destroy(&p->rings[i]);
    p->nstages = 0;
}

/* Pushes one item through a single transform on a scratch stage; the config
 * validator uses it to dry-run transforms. */
int pipeline_dry_run(void *(*xform)(void *), void *item, void **result)
{
    struct ring in, out;
    struct stage st;
    thrd_t worker;
    int rc = -1;

    ring_init(&in);
    ring_init(&out);
    st.name = "dry-run";
    st.in = &in;
    st.out = &out;
    st.xform = xform;
    if (spawn_stage(&worker, &st) != 0) /* expect: missing-join */
        goto done;
    if (ring_push(&in, item) != 0)
        goto done;
    ring_close(&in);
    *result = ring_pop(&out);
    rc = *result ? 0 : -1;
done:
    ring_destroy(&out);
    ring_destroy(&in);
    return rc;
}

static int flush_main(void *arg)
{
    struct flush_req *req = arg;

    while (ring_pop(req->ring) != NULL)
        ;
    atomic_store(&req->done, 1);
    return 0;
}

static int wait_flag(atomic_int *flag, unsigned timeout_ms)
{
    struct timespec step = { 0, 1000000L };
    unsigned waited;

    for (waited = 0; waited < timeout_ms; waited++) {
        if (atomic_load(flag))
            return 0;
        thrd_sleep(&step, NULL);
    }
    return atomic_load(flag) ? 0 : -1;
}

static void stage_abandon(thrd_t t, const char *why)
{
    fprintf(stderr, "pipeline: abandoning thread: %s\n", why);
    thrd_detach(t);
}

/* Discards whatever is left in the last ring, giving up after timeout_ms. */
int pipeline_flush_tail(struct pipeline *p, unsigned timeout_ms)
{
    thrd_t flusher;
    int res = 0;

    p->flush.ring = &p->rings[p->nstages];
    atomic_store(&p->flush.done, 0);
    if (thrd_create(&flusher, flush_main, &p->flush) != thrd_success)
        return -1;
    if (wait_flag(&p->flush.done, timeout_ms) != 0)
        stage_abandon(flusher, "tail flush timed out");
    thrd_join(flusher, &res); /* expect: use-after-release */
    return res;
}

static int probe_main(void *arg)
{
    struct probe_args *pa = arg;

    pa->verdict = pa->st->xform(pa->sample) != NULL ? 0 : -1;
    atomic_store(&pa->finished, 1);
    return pa->verdict;
}

/* Runs each stage's transform on a sample in isolation, one thread per
 * stage, and stops at the first stage that rejects or hangs. */
int pipeline_probe_stages(struct pipeline *p, void *sample)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < p->nstages; i++) {
        struct probe_args pa;
        thrd_t t;
        int res = 0;

        pa.st = &p->stages[i];
        pa.sample = sample;
        pa.verdict = 0;
        atomic_init(&pa.finished, 0);
        if (thrd_create(&t, probe_main, &pa) != thrd_success) { /* expect: missing-join */
            rc = -1;
            break;
        }
        if (wait_flag(&pa.finished, 200) != 0) {
            fprintf(stderr, "pipeline: stage %zu hangs on sample\n", i);
            rc = -1;
            break;
        }
        thrd_join(t, &res);
        if (res != 0) {
            rc = -1;
            break;
        }
    }
    return rc;
}
