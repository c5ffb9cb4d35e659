// scan: --link
/*
 * qemu: heap timers from timer_new_ns/us/ms() must be freed with
 * timer_free(); timer_del() only stops them (disarmed-not-released when
 * nothing frees them). Timers in device state escape: realize/unrealize
 * pairing is a cross-function question.
 */
#include "qemu-timer.h"

typedef struct Error Error;

typedef struct PollState {
    QEMUTimer *timer;
    QEMUTimer *watchdog;
    QEMUTimer embedded;
    int64_t period_ms;
    int fired;
    bool enabled;
} PollState;

extern int chardev_wait_ready(PollState *s, Error **errp);
extern void error_setg_timeout(Error **errp);

static void poll_cb(void *opaque)
{
    PollState *s = opaque;

    s->fired++;
}

/* Frees its parameter on every path. */
static void poll_timer_release(QEMUTimer *t)
{
    timer_del(t);
    timer_free(t);
}

/* bad: the wait fails and the temporary timer is never freed */
int bad_temp_timer_error_path(PollState *s, Error **errp)
{
    QEMUTimer *t = timer_new_ms(QEMU_CLOCK_REALTIME, poll_cb, s); /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by timer_new_ms() */

    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + s->period_ms);
    if (chardev_wait_ready(s, errp) < 0) /* note[missing-stop]: taking the true branch: 'chardev_wait_ready(s, errp) < 0' is true */
        return -1; /* note[missing-stop]: returning here without timer_free() */
    timer_free(t);
    return s->fired;
}

/* bad: the timer is stopped but never freed */
void bad_del_without_free(PollState *s, Error **errp)
{
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_VIRTUAL, poll_cb, s); /* expect: disarmed-not-released */ /* note[disarmed-not-released]: timer 't' created here by timer_new_ns() */

    timer_mod_ns(t, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 1000000);
    if (chardev_wait_ready(s, errp) < 0)
        error_setg_timeout(errp);
    timer_del(t); /* note[disarmed-not-released]: disarmed here by timer_del() */
} /* note[disarmed-not-released]: returning here without timer_free() */

/* bad: one timer per retry, never freed */
int bad_timer_per_retry(PollState *s, int retries, Error **errp)
{
    for (int i = 0; i < retries; i++) { /* note[created-in-loop]: taking the true branch: 'i < retries' is true */
        QEMUTimer *t = timer_new_us(QEMU_CLOCK_HOST, poll_cb, s); /* expect: created-in-loop */ /* note[created-in-loop]: timer_new_us() runs again here */

        timer_mod(t, qemu_clock_get_ns(QEMU_CLOCK_HOST) / SCALE_US + (1000 << i));
        if (chardev_wait_ready(s, errp) == 0) /* note[created-in-loop]: taking the false branch: 'chardev_wait_ready(s, errp) == 0' is false */
            return 0;
        timer_del(t);
    }
    return -1;
}

/* bad: a timer created and dropped */
void bad_timer_dropped(PollState *s)
{
    timer_new_ms(QEMU_CLOCK_VIRTUAL, poll_cb, s); /* expect: handle-discarded */ /* note[handle-discarded]: timer_new_ms() called here */
}

/* bad: re-armed after it was freed */
void bad_mod_after_free(PollState *s, Error **errp)
{
    QEMUTimer *t = timer_new_ms(QEMU_CLOCK_VIRTUAL, poll_cb, s);

    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + s->period_ms);
    chardev_wait_ready(s, errp);
    poll_timer_release(t); /* note[use-after-release]: released here by poll_timer_release() */
    if (s->enabled) /* note[use-after-release]: taking the true branch: 's->enabled' is true */
        timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + s->period_ms); /* expect: use-after-release */ /* note[use-after-release]: timer_mod() here */
}

/* bad: a device timer freed twice on the unrealize error path */
void bad_double_free_field(PollState *s, bool reset_failed)
{
    if (reset_failed) /* note[use-after-release]: taking the true branch: 'reset_failed' is true */
        timer_free(s->watchdog); /* note[use-after-release]: released here by timer_free() */
    s->enabled = false;
    timer_free(s->watchdog); /* expect: use-after-release */ /* note[use-after-release]: timer_free() here */
}

/* bad: an embedded timer initialised but not deinitialised on the error path */
int bad_embedded_not_deinit(PollState *s, Error **errp)
{
    QEMUTimer t;

    timer_init_ms(&t, QEMU_CLOCK_VIRTUAL, poll_cb, s); /* expect: missing-stop */ /* note[missing-stop]: created here by timer_init_ms() */
    if (chardev_wait_ready(s, errp) < 0) /* note[missing-stop]: taking the true branch: 'chardev_wait_ready(s, errp) < 0' is true */
        return -1; /* note-gap[missing-stop]: returning here without timer_deinit() */
    timer_deinit(&t);
    return 0;
}

/* good: freed on every path, through a same-file helper on one */
int good_freed_every_path(PollState *s, Error **errp)
{
    QEMUTimer *t = timer_new_ms(QEMU_CLOCK_REALTIME, poll_cb, s);

    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + s->period_ms);
    if (chardev_wait_ready(s, errp) < 0) {
        poll_timer_release(t);
        return -1;
    }
    timer_free(t);
    return s->fired;
}

/* good: timer_del() then timer_mod() is a restart */
void good_restart_after_del(PollState *s)
{
    timer_del(s->timer);
    s->fired = 0;
    timer_mod(s->timer, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + s->period_ms);
}

/* good: realize keeps the timers in the device state */
void good_realize_stores_timers(PollState *s)
{
    s->timer = timer_new_ms(QEMU_CLOCK_VIRTUAL, poll_cb, s);
    timer_init_ns(&s->embedded, QEMU_CLOCK_VIRTUAL, poll_cb, s);
    if (s->enabled)
        timer_mod(s->timer, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + s->period_ms);
}

/* good: the new timer is returned */
QEMUTimer *good_returned(PollState *s)
{
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_VIRTUAL, poll_cb, s);

    timer_mod_anticipate_ns(t, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    return t;
}

/* unrealize frees s->timer but not s->watchdog, which poll_arm_watchdog()
 * creates and arms: a cross-function bug for the link phase. */
void poll_unrealize(PollState *s)
{
    timer_free(s->timer);
    timer_deinit(&s->embedded);
}

void poll_arm_watchdog(PollState *s)
{
    s->watchdog = timer_new_ms(QEMU_CLOCK_VIRTUAL, poll_cb, s); /* note-gap[field-never-stopped]: created here by timer_new_ms() in poll_arm_watchdog() */
    timer_mod(s->watchdog, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + 5000); /* expect: field-never-stopped */ /* note[field-never-stopped]: armed here by timer_mod() in poll_arm_watchdog() */
}
