/* A branch note describes the condition as written. `!x` is lowered as a
 * test of x with the successors swapped; the note must still quote '!x'
 * with the branch the code takes (the issue: "taking the true branch: 't'
 * is true" on the false branch of `if (!t)`). In a chain, each operand
 * is quoted as written and the branch is the one its value leads to, so
 * under `!(a && b)` a false 'b' takes the true branch. Each function leaks
 * on exactly one path, so its notes are determined. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

extern int configure(void);
extern bool device_ready(void);

struct conn {
    bool ready;
    bool busy;
    volatile bool done;
};

/* bad: the true branch of `if (!ok)` returns with the fd open */
int bad_not_flag_true(bool ok)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */ /* note[missing-stop]: timer 'fd' created here by timerfd_create() */

    if (fd < 0) /* note[missing-stop]: taking the false branch: 'fd < 0' is false */
        return -1;
    if (!ok) /* note[missing-stop]: taking the true branch: '!ok' is true */
        return -1; /* note[missing-stop]: returning here without close() */
    close(fd);
    return 0;
}

/* bad: the false branch of `if (!device_ready())` goes on to a leaking return */
int bad_not_call_false(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */

    if (fd < 0)
        return -1;
    if (!device_ready()) { /* note[missing-stop]: taking the false branch: '!device_ready()' is false */
        close(fd);
        return -1;
    }
    if (configure() < 0) /* note[missing-stop]: taking the true branch: 'configure() < 0' is true */
        return -1; /* note[missing-stop]: returning here without close() */
    close(fd);
    return 0;
}

/* bad: `if (!rc)` on the create's status: its true branch has the timer */
int bad_not_status(void)
{
    timer_t t;
    int rc = timer_create(CLOCK_MONOTONIC, NULL, &t); /* expect: missing-stop */

    if (!rc) { /* note[missing-stop]: taking the true branch: '!rc' is true */
        if (configure() < 0) /* note[missing-stop]: taking the true branch: 'configure() < 0' is true */
            return -1; /* note[missing-stop]: returning here without timer_delete() */
        timer_delete(t);
    }
    return rc;
}

/* bad: the same with `rc == 0`: the same notes but for the text */
int bad_status_eq_zero(void)
{
    timer_t t;
    int rc = timer_create(CLOCK_MONOTONIC, NULL, &t); /* expect: missing-stop */

    if (rc == 0) { /* note[missing-stop]: taking the true branch: 'rc == 0' is true */
        if (configure() < 0)
            return -1; /* note[missing-stop]: returning here without timer_delete() */
        timer_delete(t);
    }
    return rc;
}

/* bad: `while (!c->done)` ends on its false branch, and the fd leaks after */
int bad_leak_after_wait(struct conn *c)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */

    if (fd < 0)
        return -1;
    while (!c->done) /* note[missing-stop]: taking the false branch: '!c->done' is false */
        usleep(1000);
    return 0; /* note[missing-stop]: returning here without close() */
}

/* bad: a timer per turn of `while (!c->done)`, entered on its true branch */
void bad_loop_while_not_done(struct conn *c)
{
    while (!c->done) { /* note[created-in-loop]: taking the true branch: '!c->done' is true */
        timer_t t;

        if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: created-in-loop */ /* note[created-in-loop]: timer_create() runs again here */
            return;
        usleep(1000);
    }
}

/* bad: negated operands in chains: `!a || b` false, then `!a && !b` true */
int bad_negated_chains(struct conn *c)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */

    if (fd < 0)
        return -1;
    if (!c->ready || configure() < 0) { /* note[missing-stop]: taking the false branch: '!c->ready' is false */ /* note[missing-stop]: taking the false branch: 'configure() < 0' is false */
        close(fd);
        return -1;
    }
    if (!c->busy && !device_ready()) /* note[missing-stop]: taking the true branch: '!c->busy' is true */ /* note[missing-stop]: taking the true branch: '!device_ready()' is true */
        return -2; /* note[missing-stop]: returning here without close() */
    close(fd);
    return 0;
}

/* bad: under `!(a && b)` a true 'a' leads toward the false branch, a false 'b'
 * takes the true branch */
int bad_not_of_and(struct conn *c)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */

    if (fd < 0)
        return -1;
    if (!c->ready) { /* note[missing-stop]: taking the false branch: '!c->ready' is false */
        close(fd);
        return -1;
    }
    if (!(c->ready && c->busy)) /* note[missing-stop]: taking the false branch: 'c->ready' is true */ /* note[missing-stop]: taking the true branch: 'c->busy' is false */
        return -2; /* note[missing-stop]: returning here without close() */
    close(fd);
    return 0;
}

/* bad: `!!ok` is ok; the note quotes it whole */
int bad_double_negation(bool ok)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); /* expect: missing-stop */

    if (fd < 0)
        return -1;
    if (!!ok) /* note[missing-stop]: taking the true branch: '!!ok' is true */
        return 1; /* note[missing-stop]: returning here without close() */
    close(fd);
    return 0;
}

/* good: the fd is closed on the false branch of `if (!ok)` too */
int good_not_flag_closed(bool ok)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);

    if (fd < 0)
        return -1;
    if (!ok) {
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}
