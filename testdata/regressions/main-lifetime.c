/*
 * Returning from main() is exit(): what is still running or armed then
 * ends with the process (Valgrind's "still reachable"), so a timer or a
 * thread main() leaves behind is no leak finding. The same code in any
 * other function is (#12 class 9: objects that live for the whole
 * program). libevent's sample/hello-world.c ends this way.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
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

int main(void)
{
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
