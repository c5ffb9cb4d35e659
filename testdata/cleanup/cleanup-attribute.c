/* __attribute__((cleanup(fn))) runs fn at every exit of the variable's
 * scope. Until deferred cleanups are modelled in full (stop-too-late), a
 * handle held by such a variable is owned by its cleanup: no leak finding,
 * ever (the Clang analyzer and Infer report false leaks here). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void timer_deletep(timer_t *t) { timer_delete(*t); }
static void closep(int *fd) { if (*fd >= 0) close(*fd); }
#define _cleanup_(f) __attribute__((cleanup(f)))

extern int configure(void);

/* good: the cleanup deletes the timer on the early return */
int good_cleanup_timer(void)
{
    __attribute__((cleanup(timer_deletep))) timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (configure() < 0)
        return -1;
    return 0;
}

/* good: systemd-style macro around the attribute */
int good_cleanup_macro_fd(void)
{
    _cleanup_(closep) int fd = -1;

    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (fd < 0)
        return -1;
    if (configure() < 0)
        return -1;
    return 0;
}

/* good: a cleanup variable in a loop body runs at the end of each iteration */
int good_cleanup_in_loop(int n)
{
    for (int i = 0; i < n; i++) {
        _cleanup_(closep) int fd = timerfd_create(CLOCK_MONOTONIC, 0);
        if (fd < 0)
            return -1;
    }
    return 0;
}

/* bad: the cleanup guards another variable; this one still leaks */
int bad_cleanup_on_other_var(void)
{
    _cleanup_(closep) int guard = -1;
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */ /* note[missing-stop]: timer 'fd' created here by timerfd_create() */

    if (fd < 0) /* note[missing-stop]: taking the false branch: 'fd < 0' is false */
        return -1;
    if (configure() < 0) /* note[missing-stop]: taking the true branch: 'configure() < 0' is true */
        return -1; /* note[missing-stop]: returning here without close() */
    close(fd);
    return 0;
}
