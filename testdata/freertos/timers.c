/*
 * freertos: software timers from xTimerCreate() must be deleted with
 * xTimerDelete(). xTimerStart/Stop/Delete are macros over
 * xTimerGenericCommand(), whose role depends on its command argument: the
 * rule file cannot name them, so everything after the first command is a
 * known gap here.
 */
#include <stdbool.h>
#include "freertos-timers.h"

typedef struct {
    TimerHandle_t blink;
    TickType_t period;
    int toggles;
    bool enabled;
} LedCtx;

static TimerHandle_t xWatchdogTimer;

extern bool ledHardwareReady(void);
extern void ledRegisterTimer(LedCtx *ctx, TimerHandle_t t);

static void vBlinkCallback(TimerHandle_t xTimer)
{
    LedCtx *ctx = pvTimerGetTimerID(xTimer);

    ctx->toggles++;
}

static void vOneShotCallback(TimerHandle_t xTimer)
{
    LedCtx *ctx = pvTimerGetTimerID(xTimer);

    ctx->enabled = false;
    xTimerDelete(xTimer, 0);
}

/* bad: the hardware check fails after the create: the timer is never deleted */
BaseType_t bad_leak_before_start(LedCtx *ctx)
{
    TimerHandle_t t = xTimerCreate("blink", ctx->period, pdTRUE, ctx, vBlinkCallback); /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by xTimerCreate() */

    if (t == NULL) /* note[missing-stop]: taking the false branch: 't == NULL' is false */
        return pdFAIL;
    if (!ledHardwareReady()) /* note[missing-stop]: taking the true branch: '!ledHardwareReady()' is true */
        return pdFAIL; /* note[missing-stop]: returning here without xTimerDelete() */
    ctx->blink = t;
    return xTimerStart(t, 0);
}

/* bad: a timer per LED, dropped at the end of each iteration */
void bad_timer_per_led(LedCtx *leds, int n)
{
    for (int i = 0; i < n; i++) { /* note[created-in-loop]: taking the true branch: 'i < n' is true */
        TimerHandle_t t = xTimerCreate("led", leds[i].period, pdTRUE, &leds[i], vBlinkCallback); /* expect: created-in-loop */ /* note[created-in-loop]: xTimerCreate() runs again here */

        if (t == NULL) /* note[created-in-loop]: taking the false branch: 't == NULL' is false */
            return;
        leds[i].toggles = 0;
    }
}

/* bad: the handle is dropped */
void bad_handle_dropped(LedCtx *ctx)
{
    xTimerCreate("oneshot", pdMS_TO_TICKS(500), pdFALSE, ctx, vBlinkCallback); /* expect: handle-discarded */ /* note[handle-discarded]: xTimerCreate() called here */
}

/* bad: started, and the stop path forgets to delete (after a command: not seen) */
BaseType_t bad_started_then_leaked(LedCtx *ctx)
{
    TimerHandle_t t = xTimerCreate("blink", ctx->period, pdTRUE, ctx, vBlinkCallback); /* known-gap: missing-stop */

    if (t == NULL)
        return pdFAIL;
    if (xTimerStart(t, portMAX_DELAY) != pdPASS)
        return pdFAIL;
    while (ctx->toggles < 10)
        ;
    xTimerStop(t, portMAX_DELAY);
    return pdPASS;
}

/* bad: restarted after it was deleted (after a command: not seen) */
void bad_start_after_delete(LedCtx *ctx)
{
    TimerHandle_t t = xTimerCreate("blink", ctx->period, pdTRUE, ctx, vBlinkCallback);

    if (t == NULL)
        return;
    xTimerStart(t, 0);
    xTimerDelete(t, portMAX_DELAY);
    if (ctx->enabled)
        xTimerStart(t, 0); /* known-gap: use-after-release */
}

/* good: NULL means no timer; deleted on the failure path, kept on success */
BaseType_t good_checked_and_stored(LedCtx *ctx)
{
    TimerHandle_t t = xTimerCreate("blink", ctx->period, pdTRUE, ctx, vBlinkCallback);

    if (t == NULL)
        return pdFAIL;
    if (!ledHardwareReady()) {
        xTimerDelete(t, 0);
        return pdFAIL;
    }
    ctx->blink = t;
    return xTimerStart(ctx->blink, 0);
}

/* good: a global watchdog timer */
void good_global_timer(LedCtx *ctx)
{
    xWatchdogTimer = xTimerCreate("wdog", pdMS_TO_TICKS(1000), pdTRUE, ctx, vBlinkCallback);
    if (xWatchdogTimer != NULL)
        xTimerStart(xWatchdogTimer, 0);
}

/* good: handed to code outside this file */
void good_registered(LedCtx *ctx)
{
    TimerHandle_t t = xTimerCreate("blink", ctx->period, pdTRUE, ctx, vBlinkCallback);

    if (t != NULL)
        ledRegisterTimer(ctx, t);
}

/* good: a one-shot timer that deletes itself is started straight away */
void good_started_directly(LedCtx *ctx)
{
    xTimerStart(xTimerCreate("once", pdMS_TO_TICKS(100), pdFALSE, ctx, vOneShotCallback), 0);
}
