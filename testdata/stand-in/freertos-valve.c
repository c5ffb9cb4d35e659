/* FreeRTOS application code scanned with no FreeRTOS tree: "FreeRTOS.h"
 * and "timers.h" are found nowhere, so timerlint stands in for them from
 * rules/freertos.yaml (TimerHandle_t, TickType_t, pdMS_TO_TICKS, pdPASS).
 * xTimerStart() and xTimerDelete() are macros over xTimerGenericCommand()
 * there as in the real header: what happens after the first command is not
 * judged (rules/freertos.yaml says why). */
#include "FreeRTOS.h"
#include "task.h"
#include "timers.h"

#define VALVES 4

struct valve {
	TimerHandle_t close_timer;
	int gpio;
	int open;
};

static struct valve valves[VALVES];

static void valve_close_cb(TimerHandle_t t)
{
	struct valve *v = pvTimerGetTimerID(t);

	v->open = 0;
}

static int valve_gpio_ready(int gpio);

int valve_arm(struct valve *v, uint32_t open_ms)
{
	TimerHandle_t t = xTimerCreate("valve", pdMS_TO_TICKS(open_ms), pdFALSE, /* expect: missing-stop */
	                               v, valve_close_cb);

	if (t == NULL) {
		return -1;
	}
	if (!valve_gpio_ready(v->gpio)) {
		return -2;
	}
	if (xTimerStart(t, 0) != pdPASS) {
		xTimerDelete(t, 0);
		return -3;
	}
	v->close_timer = t;
	return 0;
}

int valve_arm_all(uint32_t open_ms)
{
	for (int i = 0; i < VALVES; i++) {
		TimerHandle_t t = xTimerCreate("valve", pdMS_TO_TICKS(open_ms), /* expect: created-in-loop */
		                               pdFALSE, &valves[i], valve_close_cb);
		if (t == NULL) {
			return -1;
		}
	}
	return 0;
}

int valve_pulse(struct valve *v, uint32_t ms)
{
	TimerHandle_t t = xTimerCreate("pulse", pdMS_TO_TICKS(ms), pdFALSE,
	                               v, valve_close_cb);

	if (t == NULL) {
		return -1;
	}
	if (xTimerStart(t, portMAX_DELAY) != pdPASS) {
		xTimerDelete(t, portMAX_DELAY);
		return -1;
	}
	v->close_timer = t;
	return 0;
}
