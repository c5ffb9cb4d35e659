/*
 * hub_task.c - sensor hub: polls the I2C sensors on the carrier board at
 * their own rates and hands the samples to the telemetry task.
 *
 * Every present sensor has an auto-reload software timer whose callback
 * notifies the hub task with the sensor's bit; the hub task does the bus
 * transfers (timer callbacks run in the timer service task and must not
 * block on the bus).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "FreeRTOS.h"
#include "task.h"
#include "timers.h"
#include "queue.h"
#include "semphr.h"
#include "event_groups.h"

#include "bsp_i2c.h"
#include "hub_task.h"

#define HUB_MAX_SENSORS       8
#define HUB_POLL_MIN_MS       20
#define HUB_RECOVER_MS        2000
#define HUB_QUEUE_LEN         16
#define HUB_TASK_STACK_WORDS  512
#define HUB_TASK_PRIO         (tskIDLE_PRIORITY + 2)
#define HUB_BUS_LOCK_TICKS    pdMS_TO_TICKS(50)
#define HUB_WATCHDOG_MS       5000

#define HUB_EVT_RECOVER       (1u << 0)
#define HUB_EVT_STALLED       (1u << 1)

typedef struct {
	uint8_t       addr;
	uint8_t       reg;
	uint16_t      period_ms;
	uint8_t       present;
	uint8_t       errors;
	TimerHandle_t timer;
	int32_t       last;
} hub_sensor_t;

static hub_sensor_t        sensors[HUB_MAX_SENSORS];
static size_t              sensor_count;
static QueueHandle_t       sample_q;
static SemaphoreHandle_t   bus_lock;
static EventGroupHandle_t  hub_events;
static TaskHandle_t        hub_task_handle;
static TimerHandle_t       recover_timer;
static TimerHandle_t       watchdog_timer;
static StaticTimer_t       watchdog_buf;
static volatile uint32_t   hub_loops;

static void sensor_poll_cb(TimerHandle_t t)
{
	uint32_t idx = (uint32_t)(uintptr_t)pvTimerGetTimerID(t);

	xTaskNotify(hub_task_handle, 1u << idx, eSetBits);
}

static void hub_recover_cb(TimerHandle_t t)
{
	(void)t;
	xEventGroupSetBits(hub_events, HUB_EVT_RECOVER);
}

static void hub_watchdog_cb(TimerHandle_t t)
{
	static uint32_t seen;

	(void)t;
	if (hub_loops == seen)
		xEventGroupSetBits(hub_events, HUB_EVT_STALLED);
	seen = hub_loops;
}

static void reprobe_cb(TimerHandle_t t)
{
	hub_sensor_t *s = pvTimerGetTimerID(t);

	s->present = (bsp_i2c_probe(s->addr) == 0);
	s->errors = 0;
	xEventGroupSetBits(hub_events, HUB_EVT_RECOVER);
	/* one-shot: nobody else keeps this handle */
	xTimerDelete(t, 0);
}

static size_t hub_probe_bus(void)
{
	size_t i, found = 0;

	for (i = 0; i < sensor_count; i++) {
		sensors[i].present = (bsp_i2c_probe(sensors[i].addr) == 0);
		if (sensors[i].present)
			found++;
	}
	return found;
}

/* Called at start-up and from the hub task on HUB_EVT_RECOVER. */
static BaseType_t hub_create_sensor_timers(void)
{
	size_t i;

	for (i = 0; i < sensor_count; i++) {
		TimerHandle_t t;
		uint16_t period = sensors[i].period_ms;

		if (!sensors[i].present)
			continue;
		if (period < HUB_POLL_MIN_MS)
			period = HUB_POLL_MIN_MS;
		t = xTimerCreate("poll", pdMS_TO_TICKS(period), pdTRUE, (void *)(uintptr_t)i, sensor_poll_cb); /* expect: created-in-loop */
		if (t == NULL)
			return pdFAIL;
		if (sensors[i].timer != NULL) {
			/* already polling since the last rescan */
			continue;
		}
		sensors[i].timer = t;
		if (xTimerStart(t, 0) != pdPASS)
			return pdFAIL;
	}
	return pdPASS;
}

static void hub_read_sensor(size_t idx)
{
	hub_sensor_t *s = &sensors[idx];
	uint8_t raw[3];

	if (xSemaphoreTake(bus_lock, HUB_BUS_LOCK_TICKS) != pdTRUE)
		return;
	if (bsp_i2c_read_reg(s->addr, s->reg, raw, sizeof(raw)) != 0) {
		xSemaphoreGive(bus_lock);
		if (++s->errors >= 3) {
			s->present = 0;
			xTimerStop(s->timer, 0);
			xTimerStart(recover_timer, 0);
		}
		return;
	}
	xSemaphoreGive(bus_lock);
	s->errors = 0;
	s->last = (int32_t)((uint32_t)raw[0] << 16 | (uint32_t)raw[1] << 8 | raw[2]);
	{
		hub_sample_t smp = { .index = (uint8_t)idx, .value = s->last,
				     .stamp = xTaskGetTickCount() };
		(void)xQueueSend(sample_q, &smp, 0);
	}
}

static void hub_task(void *arg)
{
	uint32_t bits;
	size_t i;

	(void)arg;
	for (;;) {
		if (xTaskNotifyWait(0, UINT32_MAX, &bits, pdMS_TO_TICKS(100)) == pdTRUE) {
			for (i = 0; i < sensor_count; i++)
				if (bits & (1u << i))
					hub_read_sensor(i);
		}
		if (xEventGroupClearBits(hub_events, HUB_EVT_RECOVER) & HUB_EVT_RECOVER)
			(void)hub_create_sensor_timers();
		hub_loops++;
	}
}

/* Poll one sensor faster for a while (calibration, a user request). */
BaseType_t hub_set_burst(size_t idx, uint32_t period_ms)
{
	TimerHandle_t t, old;

	if (idx >= sensor_count || !sensors[idx].present)
		return pdFAIL;
	t = xTimerCreate("burst", pdMS_TO_TICKS(period_ms), pdTRUE, (void *)(uintptr_t)idx, sensor_poll_cb); /* expect: missing-stop */
	if (t == NULL)
		return pdFAIL;
	if (period_ms < HUB_POLL_MIN_MS) {
		/* the bus cannot keep up below HUB_POLL_MIN_MS: clamp */
		t = xTimerCreate("burst", pdMS_TO_TICKS(HUB_POLL_MIN_MS), pdTRUE,
				 (void *)(uintptr_t)idx, sensor_poll_cb);
		if (t == NULL)
			return pdFAIL;
	}
	if (xTimerStart(t, 0) != pdPASS) {
		xTimerDelete(t, 0);
		return pdFAIL;
	}
	old = sensors[idx].timer;
	sensors[idx].timer = t;
	if (old != NULL)
		xTimerDelete(old, 0);
	return pdPASS;
}

/* Reset a sensor that stopped answering and look for it again later. */
BaseType_t hub_schedule_reprobe(size_t idx, uint32_t delay_ms)
{
	TimerHandle_t t;

	if (idx >= sensor_count)
		return pdFAIL;
	t = xTimerCreate("reprobe", pdMS_TO_TICKS(delay_ms), pdFALSE, &sensors[idx], reprobe_cb); /* expect: missing-stop */
	if (t == NULL)
		return pdFAIL;
	if (xSemaphoreTake(bus_lock, HUB_BUS_LOCK_TICKS) != pdTRUE) {
		/* bus busy: the caller retries on the next error */
		return pdFAIL;
	}
	bsp_i2c_reset_device(sensors[idx].addr);
	xSemaphoreGive(bus_lock);
	if (xTimerStart(t, 0) != pdPASS) {
		xTimerDelete(t, 0);
		return pdFAIL;
	}
	return pdPASS;
}

BaseType_t hub_watchdog_start(void)
{
	watchdog_timer = xTimerCreateStatic("hubwd", pdMS_TO_TICKS(HUB_WATCHDOG_MS), pdTRUE,
					    NULL, hub_watchdog_cb, &watchdog_buf);
	if (watchdog_timer == NULL)
		return pdFAIL;
	return xTimerStart(watchdog_timer, 0);
}

BaseType_t hub_task_start(const hub_sensor_cfg_t *cfg, size_t n)
{
	TimerHandle_t rt;
	size_t i;

	if (n > HUB_MAX_SENSORS)
		n = HUB_MAX_SENSORS;
	memset(sensors, 0, sizeof(sensors));
	for (i = 0; i < n; i++) {
		sensors[i].addr = cfg[i].addr;
		sensors[i].reg = cfg[i].reg;
		sensors[i].period_ms = cfg[i].period_ms;
	}
	sensor_count = n;

	bus_lock = xSemaphoreCreateMutex();
	if (bus_lock == NULL)
		return pdFAIL;

	rt = xTimerCreate("recover", pdMS_TO_TICKS(HUB_RECOVER_MS), pdFALSE, NULL, hub_recover_cb); /* expect: missing-stop */
	if (rt == NULL)
		goto fail_lock;
	sample_q = xQueueCreate(HUB_QUEUE_LEN, sizeof(hub_sample_t));
	if (sample_q == NULL)
		goto fail_timer;
	hub_events = xEventGroupCreate();
	if (hub_events == NULL)
		goto fail_queue;

	if (hub_probe_bus() == 0) {
		printf("hub: no sensor answered, task not started\r\n");
		vEventGroupDelete(hub_events);
		vQueueDelete(sample_q);
		hub_events = NULL;
		sample_q = NULL;
		vSemaphoreDelete(bus_lock);
		bus_lock = NULL;
		return pdFAIL;
	}
	if (xTaskCreate(hub_task, "hub", HUB_TASK_STACK_WORDS, NULL, HUB_TASK_PRIO,
			&hub_task_handle) != pdPASS)
		goto fail_events;

	recover_timer = rt;
	return hub_create_sensor_timers();

fail_events:
	vEventGroupDelete(hub_events);
	hub_events = NULL;
fail_queue:
	vQueueDelete(sample_q);
	sample_q = NULL;
fail_timer:
	xTimerDelete(rt, 0);
fail_lock:
	vSemaphoreDelete(bus_lock);
	bus_lock = NULL;
	return pdFAIL;
}

QueueHandle_t hub_sample_queue(void)
{
	return sample_q;
}
