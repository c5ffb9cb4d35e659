/*
 * #12 class 2: a thread whose handle lives in memory this function just
 * allocated. Freeing that memory, or dropping its last pointer, while the
 * thread runs unjoined loses the thread (missing-join at pthread_create).
 * No finding once the holder escaped or the thread was joined or detached.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct job {
    pthread_t tid;
    int done;
    struct job *next;
};

static struct job *g_jobs;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_closing;

extern void *job_main(void *arg);

/* bad: a closing queue frees the job with its thread running */
int job_start(void)
{
    struct job *j = malloc(sizeof *j);

    if (!j)
        return -ENOMEM;
    j->done = 0;
    if (pthread_create(&j->tid, NULL, job_main, NULL) != 0) { /* expect: missing-join */
        free(j);
        return -EAGAIN;
    }
    pthread_mutex_lock(&g_lock);
    if (g_closing) {
        pthread_mutex_unlock(&g_lock);
        free(j);
        return -ECANCELED;
    }
    j->next = g_jobs;
    g_jobs = j;
    pthread_mutex_unlock(&g_lock);
    return 0;
}

/* good: joined before the free on the closing path */
int job_start_waiting(void)
{
    struct job *j = malloc(sizeof *j);

    if (!j)
        return -ENOMEM;
    if (pthread_create(&j->tid, NULL, job_main, NULL) != 0) {
        free(j);
        return -EAGAIN;
    }
    pthread_mutex_lock(&g_lock);
    if (g_closing) {
        pthread_mutex_unlock(&g_lock);
        pthread_join(j->tid, NULL);
        free(j);
        return -ECANCELED;
    }
    j->next = g_jobs;
    g_jobs = j;
    pthread_mutex_unlock(&g_lock);
    return 0;
}

/* good: detached, the holder may go */
int job_fire(void)
{
    struct job *j = calloc(1, sizeof *j);

    if (!j)
        return -ENOMEM;
    if (pthread_create(&j->tid, NULL, job_main, NULL) != 0) {
        free(j);
        return -EAGAIN;
    }
    pthread_detach(j->tid);
    free(j);
    return 0;
}
