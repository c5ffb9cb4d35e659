// scan: --link
/* field-never-stopped, the teardown case: a timer field that is stopped
 * somewhere, but a teardown frees the object without stopping it first,
 * fires on freed memory. A teardown that calls the function that stops
 * it, or hands the object to code we cannot see, is fine. */
#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct conn {
    timer_t idle;
    int fd;
};

struct job {
    timer_t deadline;
};

extern void log_job(struct job *j);

int conn_open(struct conn *c)
{
    struct itimerspec its = {{0, 0}, {30, 0}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &c->idle) != 0)
        return -1;
    return timer_settime(c->idle, 0, &its, NULL); /* expect: field-never-stopped */
}

void conn_close(struct conn *c)
{
    timer_delete(c->idle);
}

/* bad: frees the connection without conn_close() */
void conn_destroy(struct conn *c)
{
    free(c);
}

/* good: the teardown stops the timer through conn_close() first */
void conn_free_closed(struct conn *c)
{
    conn_close(c);
    free(c);
}

int job_start(struct job *j)
{
    struct itimerspec its = {{0, 0}, {5, 0}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &j->deadline) != 0)
        return -1;
    return timer_settime(j->deadline, 0, &its, NULL);
}

void job_cancel(struct job *j)
{
    timer_delete(j->deadline);
}

/* good: log_job() (no body here) may stop it: unknown is not a finding */
void job_free(struct job *j)
{
    log_job(j);
    free(j);
}
