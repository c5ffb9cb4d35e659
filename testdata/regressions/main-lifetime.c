/*
 * Returning from main() is exit(): what is still running or armed then
 * ends with the process (Valgrind's "still reachable"), so a timer or a
 * thread main() leaves behind is no leak finding. The same code in any
 * other function is (#12 class 9: objects that live for the whole
 * program). libevent's sample/hello-world.c ends this way. So does a
 * function that runs once for the program: every call of it is in main()
 * (or in another such function), outside a loop; redis's initServer()
 * registers serverCron and never deletes it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void *pump(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

static int serve(void)
{
    return getchar() == EOF ? 0 : 1;
}

/* bad: a server loop that is not main(): its return leaks both */
int bad_run_server(void)
{
    timer_t tick;
    pthread_t th;
    struct sigevent sev = {0};

    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGALRM;
    if (timer_create(CLOCK_MONOTONIC, &sev, &tick) != 0) /* expect: missing-stop */
        return 1;
    if (pthread_create(&th, NULL, pump, NULL) != 0) /* expect: missing-join */
        return 1; /* note[missing-stop]: returning here without timer_delete() */
    return serve();
}

static int on_cron(void)
{
    return 100;
}

/* Stands for aeCreateTimeEvent: returns an id, -1 on failure. */
extern long long add_time_event(long long ms, int (*proc)(void));

/* good: called only from main(), before its loop: the registration and
 * the timer live for the program */
static int init_server(void)
{
    timer_t watchdog;
    struct sigevent sev = {0};

    if (add_time_event(1, on_cron) == -1)
        return -1;
    if (timerfd_create(CLOCK_MONOTONIC, 0) < 0)
        return -1;
    sev.sigev_notify = SIGEV_NONE;
    if (timer_create(CLOCK_MONOTONIC, &sev, &watchdog) != 0)
        return -1;
    return 0;
}

/* bad: called from main() and from a reload handler: not once */
static int init_stats(void)
{
    timer_t flush;
    struct sigevent sev = {0};

    if (timerfd_create(CLOCK_MONOTONIC, 0) < 0) /* expect: handle-discarded */
        return -1;
    sev.sigev_notify = SIGEV_NONE;
    if (timer_create(CLOCK_MONOTONIC, &sev, &flush) != 0) /* expect: missing-stop */
        return -1;
    return 0;
}

void on_reload(void)
{
    init_stats();
}

/* bad: called from main(), but in its loop: once per iteration */
static int init_session(void)
{
    timer_t idle;
    struct sigevent sev = {0};

    sev.sigev_notify = SIGEV_NONE;
    if (timer_create(CLOCK_MONOTONIC, &sev, &idle) != 0) /* expect: missing-stop */
        return -1;
    return 0;
}

int main(void)
{
    if (init_server() != 0 || init_stats() != 0)
        return 1;
    for (int i = 0; i < 3; i++)
        init_session();

    timer_t tick;
    pthread_t th;
    struct sigevent sev = {0};

    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGALRM;
    if (timer_create(CLOCK_MONOTONIC, &sev, &tick) != 0)
        return 1;
    if (pthread_create(&th, NULL, pump, NULL) != 0)
        return 1;
    return serve();
}
