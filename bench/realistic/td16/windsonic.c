// scan: --link
/*
 * Copyright (c) 2024 Nordlys Instruments AS
 * SPDX-License-Identifier: Apache-2.0
 *
 * Gill WindSonic ultrasonic anemometer on a UART.
 */

#define DT_DRV_COMPAT gill_windsonic

#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/gpio.h>
#include <zephyr/drivers/sensor.h>
#include <zephyr/drivers/uart.h>
#include <zephyr/logging/log.h>
#include <zephyr/pm/device.h>

#include <stdlib.h>
#include <string.h>

LOG_MODULE_REGISTER(windsonic, CONFIG_SENSOR_LOG_LEVEL);

#define WS_FRAME_MAX		64
#define WS_CMD_TIMEOUT_MS	500
#define WS_STALE_MS		3000
#define WS_HEATER_HALF_PERIOD_S	30
#define SENSOR_CHAN_WS_SPEED	SENSOR_CHAN_PRIV_START

struct windsonic_config {
	const struct device *uart;
	struct gpio_dt_spec heater_gpio;
};

struct windsonic_data {
	const struct device *dev;
	struct k_sem frame_sem;
	struct k_timer stale_timer;	/* no frame for WS_STALE_MS: resync */
	struct k_timer heater_timer;	/* transducer de-icing duty cycle */
	char rx_buf[WS_FRAME_MAX];
	size_t rx_len;
	char frame[WS_FRAME_MAX];
	bool cmd_mode;
	bool stale;
	int32_t speed_cms;
};

/* A command deadline on the caller's stack. */
struct ws_deadline {
	struct k_timer timer;
	struct windsonic_data *data;
	volatile bool expired;
};

/* reply NULL: the unit does not answer that setting */
static const struct ws_setup_cmd {
	const char *cmd, *reply;
} ws_setup_cmds[] = {
	{ "M2\r\n", "M2" },	/* polar, continuous */
	{ "U1\r\n", "U1" },	/* metres per second */
	{ "P1\r\n", NULL },	/* one output per second */
	{ "K50\r\n", "K50" },	/* direction threshold 0.5 m/s */
};

static void ws_deadline_expiry(struct k_timer *timer)
{
	struct ws_deadline *dl = CONTAINER_OF(timer, struct ws_deadline, timer);

	dl->expired = true;
	k_sem_give(&dl->data->frame_sem);
}

static int windsonic_send_cmd(const struct device *uart, const char *cmd)
{
	if (!device_is_ready(uart)) {
		return -ENODEV;
	}
	for (const char *p = cmd; *p != '\0'; p++) {
		uart_poll_out(uart, *p);
	}
	return 0;
}

static int windsonic_enter_cmd_mode(const struct device *dev)
{
	const struct windsonic_config *cfg = dev->config;
	struct windsonic_data *data = dev->data;
	struct ws_deadline dl = { .data = data };

	k_timer_init(&dl.timer, ws_deadline_expiry, NULL);
	data->cmd_mode = true;
	k_timer_start(&dl.timer, K_MSEC(4 * WS_CMD_TIMEOUT_MS), K_NO_WAIT); /* expect: missing-stop */
	if (windsonic_send_cmd(cfg->uart, "*") < 0) {
		data->cmd_mode = false;
		return -EIO;
	}
	do {
		k_sem_take(&data->frame_sem, K_FOREVER);
	} while (!dl.expired && strncmp(data->frame, "CONFIGURATION MODE", 18) != 0);
	k_timer_stop(&dl.timer);
	data->cmd_mode = !dl.expired;
	return dl.expired ? -ETIMEDOUT : 0;
}

static int windsonic_apply_config(const struct device *dev)
{
	const struct windsonic_config *cfg = dev->config;
	struct windsonic_data *data = dev->data;
	int ret;

	ret = windsonic_enter_cmd_mode(dev);
	if (ret < 0) {
		return ret;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ws_setup_cmds); i++) {
		const struct ws_setup_cmd *c = &ws_setup_cmds[i];
		struct ws_deadline dl = { .data = data };

		k_timer_init(&dl.timer, ws_deadline_expiry, NULL);
		k_timer_start(&dl.timer, K_MSEC(WS_CMD_TIMEOUT_MS), K_NO_WAIT); /* expect: created-in-loop */

		ret = windsonic_send_cmd(cfg->uart, c->cmd);
		if (ret < 0) {
			k_timer_stop(&dl.timer);
			goto out;
		}
		if (c->reply == NULL) {
			/* write-only setting: nothing is echoed back */
			continue;
		}
		do {
			k_sem_take(&data->frame_sem, K_FOREVER);
		} while (!dl.expired && strncmp(data->frame, c->reply, strlen(c->reply)) != 0);
		k_timer_stop(&dl.timer);
		if (dl.expired) {
			ret = -ETIMEDOUT;
			goto out;
		}
	}
	ret = 0;
out:
	/* leave configuration mode whatever happened, streaming resumes */
	(void)windsonic_send_cmd(cfg->uart, "Q\r\n");
	data->cmd_mode = false;
	return ret;
}

static void windsonic_uart_isr(const struct device *uart, void *user_data)
{
	const struct device *dev = user_data;
	struct windsonic_data *data = dev->data;
	uint8_t c;

	if (!uart_irq_update(uart) || !uart_irq_rx_ready(uart)) {
		return;
	}
	while (uart_fifo_read(uart, &c, 1) == 1) {
		if ((c == '\r' || c == '\n') && data->rx_len > 0) {
			memcpy(data->frame, data->rx_buf, data->rx_len);
			data->frame[data->rx_len] = '\0';
			data->rx_len = 0;
			if (data->cmd_mode) {
				k_sem_give(&data->frame_sem);
			} else {
				/* fresh frame: push the watchdog out (a restart) */
				data->stale = false;
				k_timer_start(&data->stale_timer, K_MSEC(WS_STALE_MS), K_NO_WAIT);
			}
		} else if (c != '\r' && c != '\n' && data->rx_len < sizeof(data->rx_buf) - 1) {
			data->rx_buf[data->rx_len++] = c;
		}
	}
}

static void windsonic_stale_expiry(struct k_timer *timer)
{
	struct windsonic_data *data = CONTAINER_OF(timer, struct windsonic_data, stale_timer);

	data->stale = true;
}

static void ws_heater_expiry(struct k_timer *timer)
{
	struct windsonic_data *data = CONTAINER_OF(timer, struct windsonic_data, heater_timer);
	const struct windsonic_config *cfg = data->dev->config;

	gpio_pin_toggle_dt(&cfg->heater_gpio);
}

static int windsonic_heater_enable(const struct device *dev)
{
	const struct windsonic_config *cfg = dev->config;
	struct windsonic_data *data = dev->data;

	if (!gpio_is_ready_dt(&cfg->heater_gpio) ||
	    gpio_pin_configure_dt(&cfg->heater_gpio, GPIO_OUTPUT_INACTIVE) < 0) {
		return -ENODEV;
	}
	/* 50 % duty: on for one half period, off for the next */
	k_timer_start(&data->heater_timer, K_NO_WAIT, K_SECONDS(WS_HEATER_HALF_PERIOD_S)); /* expect: field-never-stopped */
	return 0;
}

static int windsonic_sample_fetch(const struct device *dev, enum sensor_channel chan)
{
	struct windsonic_data *data = dev->data;
	char *end = strchr(&data->frame[2], ',');

	ARG_UNUSED(chan);
	/* "Q,<dir>,<speed>,M,<status>,": <dir> is empty below the threshold */
	if (data->stale || data->frame[0] != 'Q' || end == NULL) {
		return -EAGAIN;
	}
	data->speed_cms = (int32_t)strtol(end + 1, &end, 10) * 100;
	if (*end != '.') {
		return -EIO;
	}
	data->speed_cms += (int32_t)strtol(end + 1, NULL, 10);
	return 0;
}

static int windsonic_channel_get(const struct device *dev, enum sensor_channel chan,
				 struct sensor_value *val)
{
	struct windsonic_data *data = dev->data;

	if ((int)chan != SENSOR_CHAN_WS_SPEED) {
		return -ENOTSUP;
	}
	val->val1 = data->speed_cms / 100;
	val->val2 = (data->speed_cms % 100) * 10000;
	return 0;
}

static const struct sensor_driver_api windsonic_api = {
	.sample_fetch = windsonic_sample_fetch,
	.channel_get = windsonic_channel_get,
};

static int windsonic_pm_action(const struct device *dev, enum pm_device_action action)
{
	const struct windsonic_config *cfg = dev->config;
	struct windsonic_data *data = dev->data;

	switch (action) {
	case PM_DEVICE_ACTION_SUSPEND:
		uart_irq_rx_disable(cfg->uart);
		k_timer_stop(&data->stale_timer);
		return 0;
	case PM_DEVICE_ACTION_RESUME:
		data->stale = true;
		uart_irq_rx_enable(cfg->uart);
		k_timer_start(&data->stale_timer, K_MSEC(WS_STALE_MS), K_NO_WAIT);
		return 0;
	default:
		return -ENOTSUP;
	}
}

static int windsonic_init(const struct device *dev)
{
	const struct windsonic_config *cfg = dev->config;
	struct windsonic_data *data = dev->data;
	int ret;

	data->dev = dev;
	data->stale = true;
	k_sem_init(&data->frame_sem, 0, 1);
	k_timer_init(&data->stale_timer, windsonic_stale_expiry, NULL);
	k_timer_init(&data->heater_timer, ws_heater_expiry, NULL);

	if (uart_irq_callback_user_data_set(cfg->uart, windsonic_uart_isr, (void *)dev) < 0) {
		return -ENOTSUP;
	}
	uart_irq_rx_enable(cfg->uart);

	ret = windsonic_apply_config(dev);
	if (ret < 0) {
		uart_irq_rx_disable(cfg->uart);
		return ret;
	}
	if (cfg->heater_gpio.port != NULL && windsonic_heater_enable(dev) < 0) {
		LOG_WRN("heater not available");
	}
	k_timer_start(&data->stale_timer, K_MSEC(WS_STALE_MS), K_NO_WAIT);
	return 0;
}

#define WINDSONIC_DEFINE(inst)                                                        \
	static struct windsonic_data windsonic_data_##inst;                           \
	static const struct windsonic_config windsonic_config_##inst = {             \
		.uart = DEVICE_DT_GET(DT_INST_BUS(inst)),                             \
		.heater_gpio = GPIO_DT_SPEC_INST_GET_OR(inst, heater_gpios, {0}),     \
	};                                                                            \
	PM_DEVICE_DT_INST_DEFINE(inst, windsonic_pm_action);                          \
	SENSOR_DEVICE_DT_INST_DEFINE(inst, windsonic_init, PM_DEVICE_DT_INST_GET(inst), \
				     &windsonic_data_##inst, &windsonic_config_##inst,    \
				     POST_KERNEL, CONFIG_SENSOR_INIT_PRIORITY, &windsonic_api);

DT_INST_FOREACH_STATUS_OKAY(WINDSONIC_DEFINE)
