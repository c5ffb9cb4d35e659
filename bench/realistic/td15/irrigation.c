/*
 * irrigation.c - valve zone scheduler for the GC-4 garden controller.
 *
 * Each zone has a one-shot FreeRTOS software timer that closes its valve
 * when the run time is over. Commands (from the UART shell and the LoRa
 * link) arrive on a queue served by the command task; a watchdog timer
 * shuts every valve if the command task stops checking in.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "FreeRTOS.h"
#include "task.h"
#include "timers.h"
#include "queue.h"
#include "stm32f4xx_hal.h"

#define ZONE_MAX            8
#define CMD_QUEUE_LEN       8
#define CMD_TASK_STACK      384
#define CMD_TASK_PRIO       (tskIDLE_PRIORITY + 2)
#define WATCHDOG_MS         5000
#define HEARTBEAT_MS        1000

typedef enum { CMD_RUN, CMD_STOP, CMD_STOP_ALL } cmd_op_t;

typedef struct {
	cmd_op_t op;
	uint8_t zone;
	uint16_t minutes;
} zone_cmd_t;

typedef struct {
	bool enabled;
	GPIO_TypeDef *port;
	uint16_t pin;
} zone_cfg_t;

typedef struct {
	const zone_cfg_t *cfg;
	TimerHandle_t timer;
	bool open;
} zone_t;

typedef enum { LINK_DOWN, LINK_JOINING, LINK_UP } link_state_t;

typedef struct {
	link_state_t state;
	uint8_t retries;
	void (*resend)(void *ctx);
	void *resend_ctx;
} link_ctx_t;

static zone_t zones[ZONE_MAX];
static QueueHandle_t cmd_queue;
static TaskHandle_t cmd_task;
static TimerHandle_t watchdog;
static TimerHandle_t heartbeat;
static StaticTimer_t heartbeat_buf;

static void valve_set(zone_t *z, bool open)
{
	HAL_GPIO_WritePin(z->cfg->port, z->cfg->pin, open ? GPIO_PIN_SET : GPIO_PIN_RESET);
	z->open = open;
}

static void zone_timeout_cb(TimerHandle_t t)
{
	zone_t *z = pvTimerGetTimerID(t);

	valve_set(z, false);
}

static void close_all_valves(void)
{
	for (int i = 0; i < ZONE_MAX; i++) {
		if (zones[i].cfg && zones[i].open) {
			xTimerStop(zones[i].timer, 0);
			valve_set(&zones[i], false);
		}
	}
}

static void watchdog_cb(TimerHandle_t t)
{
	(void)t;
	/* the command task is stuck: fail safe, no water */
	close_all_valves();
}

static void heartbeat_cb(TimerHandle_t t)
{
	(void)t;
	HAL_GPIO_TogglePin(GPIOC, GPIO_PIN_13);
}

BaseType_t zones_init(const zone_cfg_t *cfg, size_t n)
{
	if (n > ZONE_MAX)
		n = ZONE_MAX;

	for (size_t i = 0; i < n; i++) {
		TimerHandle_t t = xTimerCreate("zone", pdMS_TO_TICKS(60000), pdFALSE, &zones[i], /* expect: created-in-loop */
					       zone_timeout_cb);
		if (t == NULL)
			return pdFAIL;
		if (!cfg[i].enabled)
			continue;
		zones[i].cfg = &cfg[i];
		zones[i].timer = t;
		valve_set(&zones[i], false);
	}
	return pdPASS;
}

void zones_deinit(void)
{
	for (int i = 0; i < ZONE_MAX; i++) {
		if (zones[i].timer != NULL) {
			xTimerDelete(zones[i].timer, portMAX_DELAY);
			zones[i].timer = NULL;
		}
		zones[i].cfg = NULL;
	}
}

static void zone_run(uint8_t zone, uint16_t minutes)
{
	zone_t *z;

	if (zone >= ZONE_MAX || zones[zone].cfg == NULL || minutes == 0)
		return;
	z = &zones[zone];
	if (xTimerChangePeriod(z->timer, pdMS_TO_TICKS(minutes * 60000UL), pdMS_TO_TICKS(10)) == pdPASS)
		valve_set(z, true);
}

static void cmd_task_fn(void *arg)
{
	zone_cmd_t cmd;

	(void)arg;
	for (;;) {
		xTimerReset(watchdog, 0);
		if (xQueueReceive(cmd_queue, &cmd, pdMS_TO_TICKS(WATCHDOG_MS / 2)) != pdPASS)
			continue;
		switch (cmd.op) {
		case CMD_RUN:
			zone_run(cmd.zone, cmd.minutes);
			break;
		case CMD_STOP:
			if (cmd.zone < ZONE_MAX && zones[cmd.zone].cfg) {
				xTimerStop(zones[cmd.zone].timer, 0);
				valve_set(&zones[cmd.zone], false);
			}
			break;
		case CMD_STOP_ALL:
			close_all_valves();
			break;
		}
	}
}

BaseType_t cmd_task_start(void)
{
	TimerHandle_t wd;

	wd = xTimerCreate("wd", pdMS_TO_TICKS(WATCHDOG_MS), pdFALSE, NULL, watchdog_cb); /* expect: missing-stop */
	if (wd == NULL)
		goto fail;

	cmd_queue = xQueueCreate(CMD_QUEUE_LEN, sizeof(zone_cmd_t));
	if (cmd_queue == NULL)
		goto fail;

	watchdog = wd;
	if (xTaskCreate(cmd_task_fn, "cmd", CMD_TASK_STACK, NULL, CMD_TASK_PRIO, &cmd_task) != pdPASS)
		goto fail_queue;

	if (xTimerStart(wd, 0) != pdPASS) {
		vTaskDelete(cmd_task);
		goto fail_queue;
	}
	return pdPASS;

fail_queue:
	watchdog = NULL;
	xTimerDelete(wd, 0);
	vQueueDelete(cmd_queue);
	cmd_queue = NULL;
fail:
	return pdFAIL;
}

BaseType_t heartbeat_start(void)
{
	heartbeat = xTimerCreateStatic("hb", pdMS_TO_TICKS(HEARTBEAT_MS), pdTRUE, NULL,
				       heartbeat_cb, &heartbeat_buf);
	if (heartbeat == NULL)
		return pdFAIL;
	return xTimerStart(heartbeat, 0);
}

static void link_retry_cb(TimerHandle_t t)
{
	link_ctx_t *link = pvTimerGetTimerID(t);

	if (link->state == LINK_UP)
		link->resend(link->resend_ctx);
	/* one-shot: this timer is done for good */
	xTimerDelete(t, 0);
}

BaseType_t link_schedule_resend(link_ctx_t *link, uint32_t delay_ms)
{
	TimerHandle_t t;

	if (link->retries >= 5)
		return pdFAIL;

	t = xTimerCreate("resend", pdMS_TO_TICKS(delay_ms), pdFALSE, link, link_retry_cb); /* expect: missing-stop */
	if (t == NULL)
		return pdFAIL;
	link->retries++;

	if (link->state == LINK_DOWN) {
		/* nothing to resend into while the link is down; the join
		 * handler resets the retry budget */
		return pdPASS;
	}
	if (xTimerStart(t, pdMS_TO_TICKS(10)) != pdPASS) {
		xTimerDelete(t, 0);
		return pdFAIL;
	}
	return pdPASS;
}

BaseType_t zone_post(cmd_op_t op, uint8_t zone, uint16_t minutes)
{
	zone_cmd_t cmd = { .op = op, .zone = zone, .minutes = minutes };

	if (cmd_queue == NULL)
		return pdFAIL;
	return xQueueSend(cmd_queue, &cmd, pdMS_TO_TICKS(50));
}

BaseType_t zone_post_from_isr(cmd_op_t op, uint8_t zone)
{
	zone_cmd_t cmd = { .op = op, .zone = zone };
	BaseType_t woken = pdFALSE;
	BaseType_t ret = xQueueSendFromISR(cmd_queue, &cmd, &woken);

	portYIELD_FROM_ISR(woken);
	return ret;
}
