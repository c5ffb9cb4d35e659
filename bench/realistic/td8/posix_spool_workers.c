/* spoold: a write-ahead spool.  A worker thread drains the journal into
 * segment files, one flusher thread per shard fsyncs dirty segments, a
 * reaper removes expired segments, and a periodic POSIX timer drives the
 * flush cadence. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SHARDS   16
#define TICK_MS      250

/* journal.c, segdir.c */
extern int spool_replay_journal(const char *dir);
extern int spool_lock_dir(const char *dir);
extern void spool_unlock_dir(const char *dir);
extern void segments_fsync_dirty(int shard);
extern void segments_reap_expired(const char *dir);

struct shard {
    int index;
    volatile int stopping;
};

struct spool {
    char dir[256];
    volatile int stopping;
    pthread_t worker;
    pthread_t reaper;
    timer_t tick;
    unsigned long ticks;
    int nshards;
    struct shard shards[MAX_SHARDS];
    pthread_t flushers[MAX_SHARDS];
};

static void *spool_worker_main(void *arg)
{
    struct spool *sp = arg;

    while (!sp->stopping)
        usleep(10000);
    return NULL;
}

static void *shard_flusher_main(void *arg)
{
    struct shard *sh = arg;

    while (!sh->stopping) {
        segments_fsync_dirty(sh->index);
        usleep(50000);
    }
    return NULL;
}

static void *spool_reaper_main(void *arg)
{
    struct spool *sp = arg;

    while (!sp->stopping) {
        segments_reap_expired(sp->dir);
        sleep(1);
    }
    return NULL;
}

static void spool_tick(union sigval sv)
{
    struct spool *sp = sv.sival_ptr;

    __atomic_add_fetch(&sp->ticks, 1, __ATOMIC_RELAXED);
}

static pthread_t start_worker(struct spool *sp)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, spool_worker_main, sp);

    if (rc != 0) {
        fprintf(stderr, "spoold: worker: %s\n", strerror(rc));
        abort();
    }
    return t;
}

static pthread_t start_flusher(struct shard *sh)
{
    pthread_t t;

    if (pthread_create(&t, NULL, shard_flusher_main, sh) != 0) {
        perror("spoold: flusher");
        abort();
    }
    return t;
}

static pthread_t start_reaper(struct spool *sp)
{
    if (pthread_create(&sp->reaper, NULL, spool_reaper_main, sp) != 0) {
        perror("spoold: reaper");
        abort();
    }
    return sp->reaper;
}

static timer_t make_tick_timer(struct spool *sp)
{
    timer_t t;
    struct sigevent sev;
    struct itimerspec its;

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = spool_tick;
    sev.sigev_value.sival_ptr = sp;
    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) {
        perror("spoold: timer_create");
        abort();
    }
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = TICK_MS * 1000000L;
    its.it_interval = its.it_value;
    timer_settime(t, 0, &its, NULL);
    return t;
}

int spool_open(struct spool *sp)
{
    pthread_t w = start_worker(sp); /* expect: missing-join */

    if (spool_replay_journal(sp->dir) < 0) {
        fprintf(stderr, "spoold: journal replay failed in %s\n", sp->dir);
        sp->stopping = 1;
        return -1;
    }
    sp->worker = w;
    return 0;
}

int spool_reopen(struct spool *sp)
{
    pthread_t w = start_worker(sp);

    if (spool_replay_journal(sp->dir) < 0) {
        sp->stopping = 1;
        pthread_join(w, NULL);
        return -1;
    }
    sp->worker = w;
    return 0;
}

int spool_start_ticks(struct spool *sp)
{
    timer_t tick = make_tick_timer(sp); /* expect: missing-stop */

    if (spool_lock_dir(sp->dir) < 0) {
        fprintf(stderr, "spoold: %s is locked by another instance\n", sp->dir);
        return -1;
    }
    sp->tick = tick;
    return 0;
}

int spool_start_reaper(struct spool *sp)
{
    pthread_t r = start_reaper(sp);

    if (spool_lock_dir(sp->dir) < 0)
        return -1;
    fprintf(stderr, "spoold: reaper %lu running\n", (unsigned long)r);
    return 0;
}

void spool_start_flushers(struct spool *sp)
{
    pthread_t t;
    int i;

    for (i = 0; i < sp->nshards; i++) {
        sp->shards[i].index = i;
        t = start_flusher(&sp->shards[i]); /* expect: created-in-loop */
        fprintf(stderr, "spoold: shard %d flusher started\n", i);
    }
}

void spool_restart_flushers(struct spool *sp)
{
    int i;

    for (i = 0; i < sp->nshards; i++) {
        sp->shards[i].stopping = 0;
        sp->flushers[i] = start_flusher(&sp->shards[i]);
    }
}

void spool_close(struct spool *sp)
{
    int i;

    sp->stopping = 1;
    for (i = 0; i < sp->nshards; i++) {
        sp->shards[i].stopping = 1;
        pthread_join(sp->flushers[i], NULL);
    }
    pthread_join(sp->worker, NULL);
    pthread_join(sp->reaper, NULL);
    timer_delete(sp->tick);
    spool_unlock_dir(sp->dir);
}
