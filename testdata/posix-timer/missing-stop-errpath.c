/*
 * missing-stop (posix-timer): a timer created with timer_create() is not
 * deleted on some path that leaves the function (early return, goto to a label
 * that skips the delete, break out of a loop, switch case, short-circuit
 * conditions, macro-wrapped creation, overwritten handle).
 * Every finding is reported on the line of the timer_create call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAKE_MONO_TIMER(sevp, tp) timer_create(CLOCK_MONOTONIC, (sevp), (tp))

enum tick_mode { TICK_ONESHOT, TICK_PERIODIC, TICK_ABSOLUTE };

struct svc_config {
    const char *name;
    int interval_ms;
    int max_retries;
    bool periodic;
    bool use_realtime;
};

struct svc_stats {
    long ticks;
    long overruns;
    int last_error;
};

static void fill_its(struct itimerspec *its, int ms, bool periodic)
{
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    if (periodic)
        its->it_interval = its->it_value;
    else
        its->it_interval.tv_sec = its->it_interval.tv_nsec = 0;
}

/* Same-file helper that only queries the timer: neither a release nor an escape. */
static int log_overruns(const char *name, timer_t t)
{
    int n = timer_getoverrun(t);
    if (n > 0)
        fprintf(stderr, "%s: %d timer overruns\n", name, n);
    return n;
}

/* bad: the timer_settime error path returns without timer_delete */
int bad_early_return_on_settime_error(const struct svc_config *cfg, struct svc_stats *st)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) { /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by timer_create() */ /* note[missing-stop]: taking the false branch: 'timer_create(CLOCK_MONOTONIC, &sev, &t) != 0' is false */
        st->last_error = errno;
        return -1;
    }
    fill_its(&its, cfg->interval_ms, cfg->periodic);
    if (timer_settime(t, 0, &its, NULL) != 0) { /* note[missing-stop]: taking the true branch: 'timer_settime(t, 0, &its, NULL) != 0' is true */
        st->last_error = errno;
        perror("timer_settime");
        return -1; /* note[missing-stop]: returning here without timer_delete() */
    }
    st->ticks++;
    timer_delete(t);
    return 0;
}

/* bad: the buffer allocation failure jumps to err_free, past the err_delete label */
int bad_goto_skips_delete(const struct svc_config *cfg, char **out_buf)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    char *buf = NULL;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by timer_create() */
        return -errno;

    buf = malloc(256);
    if (!buf) /* note[missing-stop]: taking the true branch: '!buf' is true */
        goto err_free;

    fill_its(&its, cfg->interval_ms, false);
    if (timer_settime(t, 0, &its, NULL) != 0)
        goto err_delete;

    snprintf(buf, 256, "%s armed for %d ms", cfg->name, cfg->interval_ms);
    timer_delete(t);
    *out_buf = buf;
    return 0;

err_delete:
    timer_delete(t);
err_free:
    free(buf);
    return -1; /* note[missing-stop]: returning here without timer_delete() */
}

/* bad: a failing calloc after the timer was created returns -ENOMEM and leaks it */
int bad_error_after_failing_call(const struct svc_config *cfg, struct svc_stats **out)
{
    struct sigevent sev;
    struct svc_stats *st;
    timer_t t;

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGALRM;

    if (timer_create(CLOCK_REALTIME, &sev, &t) == -1) { /* expect: missing-stop */ /* note[missing-stop]: taking the false branch: 'timer_create(CLOCK_REALTIME, &sev, &t) == -1' is false */
        perror("timer_create");
        return -errno;
    }

    st = calloc(1, sizeof(*st));
    if (st == NULL) /* note[missing-stop]: taking the true branch: 'st == NULL' is true */
        return -ENOMEM; /* note[missing-stop]: returning here without timer_delete() */

    st->overruns = log_overruns(cfg->name, t);
    timer_delete(t);
    *out = st;
    return 0;
}

/* bad: a retry loop breaks out with the timer alive when arming fails (leak by break) */
int bad_break_out_of_loop(const struct svc_config *cfg, struct svc_stats *st)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    int attempt;
    timer_t t;

    fill_its(&its, cfg->interval_ms, cfg->periodic);
    for (attempt = 0; attempt < cfg->max_retries; attempt++) {
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: missing-stop */
            return -1;
        if (timer_settime(t, 0, &its, NULL) != 0) { /* note[missing-stop]: taking the true branch: 'timer_settime(t, 0, &its, NULL) != 0' is true */
            st->last_error = errno;
            break;
        }
        st->ticks++;
        timer_delete(t);
    }
    return st->last_error ? -1 : 0; /* note[missing-stop]: returning here without timer_delete() */
}

/* bad: the default case of the switch rejects the mode without deleting the timer */
int bad_switch_default(enum tick_mode mode, int ms, struct svc_stats *st)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1 };
    struct itimerspec its;
    int flags = 0;
    timer_t t;

    if (timer_create(CLOCK_REALTIME, &sev, &t) != 0) /* expect: missing-stop */
        return -1;

    switch (mode) {
    case TICK_ONESHOT:
        fill_its(&its, ms, false);
        break;
    case TICK_PERIODIC:
        fill_its(&its, ms, true);
        break;
    default:
        st->last_error = EINVAL;
        return -EINVAL; /* note[missing-stop]: returning here without timer_delete() */
    }

    if (timer_settime(t, flags, &its, NULL) != 0)
        st->last_error = errno;
    else
        st->ticks++;
    timer_delete(t);
    return st->last_error ? -1 : 0;
}

/* bad: in `create != 0 || settime != 0` a failing settime returns with a live timer */
int bad_short_circuit_or(const struct svc_config *cfg, struct svc_stats *st)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    fill_its(&its, cfg->interval_ms, cfg->periodic);
    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0 || /* expect: missing-stop */ /* note[missing-stop]: taking the false branch: 'timer_create(CLOCK_MONOTONIC, &sev, &t) != 0' is false */
        timer_settime(t, 0, &its, NULL) != 0) { /* note[missing-stop]: taking the true branch: 'timer_settime(t, 0, &its, NULL) != 0' is true */
        st->last_error = errno;
        return -1;
    }
    st->overruns += log_overruns(cfg->name, t);
    timer_delete(t);
    return 0;
}

/* bad: `periodic && create == 0` succeeds, then the oversized-interval check returns */
int bad_short_circuit_and(const struct svc_config *cfg, struct svc_stats *st)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (cfg->periodic && timer_create(CLOCK_MONOTONIC, &sev, &t) == 0) { /* expect: missing-stop */ /* note[missing-stop]: taking the true branch: 'timer_create(CLOCK_MONOTONIC, &sev, &t) == 0' is true */
        if (cfg->interval_ms > 3600 * 1000) { /* note[missing-stop]: taking the true branch: 'cfg->interval_ms > 3600 * 1000' is true */
            fprintf(stderr, "%s: interval too large\n", cfg->name);
            return -ERANGE; /* note[missing-stop]: returning here without timer_delete() */
        }
        fill_its(&its, cfg->interval_ms, true);
        if (timer_settime(t, 0, &its, NULL) == 0)
            st->ticks++;
        timer_delete(t);
    }
    return 0;
}

/* bad: the creation is hidden in a macro; the leak is reported at the macro use */
int bad_macro_wrapped_create(const struct svc_config *cfg, struct svc_stats *st)
{
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
    struct itimerspec cur;
    timer_t t;

    if (MAKE_MONO_TIMER(&sev, &t) != 0) /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by timer_create() */
        return -1;

    if (timer_gettime(t, &cur) != 0) {
        fprintf(stderr, "%s: timer_gettime: %s\n", cfg->name, strerror(errno));
        st->last_error = errno;
        return -1;
    }
    if (cur.it_value.tv_sec != 0 || cur.it_value.tv_nsec != 0)
        st->ticks++;
    timer_delete(t);
    return 0;
}

/* bad: the second timer_create overwrites a live handle; the first timer is lost */
int bad_overwritten_handle(const struct svc_config *cfg, struct svc_stats *st)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: missing-stop */
        return -1;

    if (cfg->use_realtime) {
        /* switch to wall-clock time, forgetting the monotonic timer */
        if (timer_create(CLOCK_REALTIME, &sev, &t) != 0) /* note[missing-stop]: 't' overwritten here: the previous timer is lost */
            return -1;
    }

    fill_its(&its, cfg->interval_ms, cfg->periodic);
    if (timer_settime(t, 0, &its, NULL) != 0)
        st->last_error = errno;
    timer_delete(t);
    return st->last_error ? -1 : 0;
}

/* bad: the timer is only handed to a same-file helper that reads it, never deleted */
long bad_helper_only_reads(const struct svc_config *cfg)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    long total = 0;
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: missing-stop */
        return -1;
    fill_its(&its, cfg->interval_ms, true);
    if (timer_settime(t, 0, &its, NULL) == 0)
        total = log_overruns(cfg->name, t);
    return total;
}

/* bad: the status of timer_create is ignored, so the timer exists when validation fails */
int bad_unchecked_create_then_validate(const struct svc_config *cfg, struct svc_stats *st)
{
    struct itimerspec its;
    timer_t t;

    timer_create(CLOCK_MONOTONIC, NULL, &t); /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by timer_create() */
    if (cfg->interval_ms <= 0) { /* note[missing-stop]: taking the true branch: 'cfg->interval_ms <= 0' is true */
        st->last_error = EINVAL;
        return -EINVAL;
    }
    fill_its(&its, cfg->interval_ms, cfg->periodic);
    timer_settime(t, 0, &its, NULL);
    timer_delete(t);
    return 0;
}

/* bad: a creating call spanning several lines is reported on the callee's line */
int bad_multiline_create(const struct svc_config *cfg, struct svc_stats *st)
{
    struct sigevent sev = {
        .sigev_notify = SIGEV_SIGNAL,
        .sigev_signo = SIGRTMIN + 2,
    };
    struct itimerspec its;
    timer_t t;

    if (timer_create(cfg->use_realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, /* expect: missing-stop */
                     &sev,
                     &t) != 0)
        return -1;

    fill_its(&its, cfg->interval_ms, cfg->periodic);
    if (timer_settime(t, 0, &its, NULL) != 0) {
        if (errno == EINVAL)
            return -EINVAL;
        st->last_error = errno;
    }
    timer_delete(t);
    return 0;
}

/* bad: when the second timer cannot be created the first one is not deleted */
int bad_second_create_fails(const struct svc_config *cfg, struct svc_stats *st)
{
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its;
    timer_t tick, deadline;

    if (timer_create(CLOCK_MONOTONIC, &sev, &tick) != 0) /* expect: missing-stop */
        return -1;
    if (timer_create(CLOCK_MONOTONIC, &sev, &deadline) != 0) { /* note[missing-stop]: taking the true branch: 'timer_create(CLOCK_MONOTONIC, &sev, &deadline) != 0' is true */
        st->last_error = errno;
        return -1; /* note[missing-stop]: returning here without timer_delete() */
    }

    fill_its(&its, cfg->interval_ms, true);
    if (timer_settime(tick, 0, &its, NULL) == 0) {
        fill_its(&its, cfg->interval_ms * 10, false);
        timer_settime(deadline, 0, &its, NULL);
    }
    timer_delete(deadline);
    timer_delete(tick);
    return 0;
}
