/* The data a create hands its callback reaches that callback only. When
 * the callback is in the file and does nothing to a timer it can reach
 * through the data but use or re-arm it, creating the second timer with
 * the same device state leaves what is known of the first as it was: a
 * second timer_free() of it on an error path is still a double free. A
 * callback that may end it (frees it, or hands the state to code not
 * seen) keeps the benefit of the doubt. */
#include "qemu-timer.h"

extern void board_raise_irq(void *dev);

typedef struct Dev {
    QEMUTimer *poll;
    QEMUTimer *retry;
    int64_t period;
    int fails;
} Dev;

static void dev_poll(void *opaque)
{
    Dev *d = opaque;

    timer_mod(d->poll, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + d->period);
}

static void dev_retry(void *opaque)
{
    Dev *d = opaque;

    d->fails++;
}

static void dev_retry_drop(void *opaque)
{
    Dev *d = opaque;

    timer_free(d->poll);
    d->poll = NULL;
}

static void dev_retry_irq(void *opaque)
{
    board_raise_irq(opaque);
}

int dev_init(Dev *d)
{
    d->poll = timer_new_ms(QEMU_CLOCK_VIRTUAL, dev_poll, d);
    d->retry = timer_new_ms(QEMU_CLOCK_VIRTUAL, dev_retry, d);
    if (d->period <= 0) {
        timer_free(d->poll);
        goto fail;
    }
    return 0;
fail:
    timer_free(d->poll); /* expect: use-after-release */
    timer_free(d->retry);
    return -1;
}

int dev_init_dropping(Dev *d)
{
    d->poll = timer_new_ms(QEMU_CLOCK_VIRTUAL, dev_poll, d);
    d->retry = timer_new_ms(QEMU_CLOCK_VIRTUAL, dev_retry_drop, d);
    if (d->period <= 0) {
        timer_free(d->poll);
        goto fail;
    }
    return 0;
fail:
    timer_free(d->poll);
    timer_free(d->retry);
    return -1;
}

int dev_init_irq(Dev *d)
{
    d->poll = timer_new_ms(QEMU_CLOCK_VIRTUAL, dev_poll, d);
    d->retry = timer_new_ms(QEMU_CLOCK_VIRTUAL, dev_retry_irq, d);
    if (d->period <= 0) {
        timer_free(d->poll);
        goto fail;
    }
    return 0;
fail:
    timer_free(d->poll);
    timer_free(d->retry);
    return -1;
}
