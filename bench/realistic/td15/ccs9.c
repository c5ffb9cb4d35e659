// scan: --link
/* SPDX-License-Identifier: Apache-2.0 */
/* ACME CCS9 metal-oxide air quality sensor (eCO2 / TVOC), I2C. */
#define DT_DRV_COMPAT acme_ccs9

#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/i2c.h>
#include <zephyr/drivers/sensor.h>
#include <zephyr/pm/device.h>
#include <zephyr/sys/byteorder.h>
#include <zephyr/logging/log.h>

LOG_MODULE_REGISTER(ccs9, CONFIG_SENSOR_LOG_LEVEL);

#define CCS9_REG_STATUS     0x00
#define CCS9_REG_MODE       0x01
#define CCS9_REG_RESULT     0x02
#define CCS9_REG_HEATER     0x05
#define CCS9_REG_BASELINE   0x11
#define CCS9_STATUS_DRDY    BIT(3)
#define CCS9_MODE_IDLE      0x00
#define CCS9_MODE_1S        0x10
#define CCS9_RESET_MS       2
#define CCS9_WARMUP_MS      20000
#define CCS9_HEATER_MAX_MS  500

struct ccs9_config {
	struct i2c_dt_spec i2c;
	uint32_t baseline_period_s;
};

struct ccs9_data {
	const struct device *dev;
	uint16_t eco2;
	uint16_t tvoc;
	uint16_t baseline;
	bool warm;
	struct k_timer sample_timer;
	struct k_work sample_work;
	sensor_trigger_handler_t drdy_handler;
	const struct sensor_trigger *drdy_trigger;
	struct k_timer baseline_timer;
	struct k_work baseline_work;
	struct k_work heater_off_work;
	struct k_work_delayable warmup_work;
	struct k_work_sync sync;
};

static int ccs9_write_reg(const struct device *dev, uint8_t reg, uint8_t val)
{
	const struct ccs9_config *cfg = dev->config;
	return i2c_reg_write_byte_dt(&cfg->i2c, reg, val);
}

static void ccs9_timer_expired(struct k_timer *timer)
{
	/* expiry runs in ISR context: the bus work goes to the system queue */
	k_work_submit(k_timer_user_data_get(timer));
}

struct ccs9_guard {
	struct k_timer timer;
	atomic_t expired;
};

static void ccs9_guard_expired(struct k_timer *timer)
{
	struct ccs9_guard *g = CONTAINER_OF(timer, struct ccs9_guard, timer);
	atomic_set(&g->expired, 1);
}

static int ccs9_wait_ready(const struct device *dev, int32_t timeout_ms)
{
	const struct ccs9_config *cfg = dev->config;
	struct ccs9_guard guard = { .expired = ATOMIC_INIT(0) };
	uint8_t status;
	int ret;

	k_timer_init(&guard.timer, ccs9_guard_expired, NULL);
	k_timer_start(&guard.timer, K_MSEC(timeout_ms), K_NO_WAIT); /* expect: missing-stop */

	while (!atomic_get(&guard.expired)) {
		ret = i2c_reg_read_byte_dt(&cfg->i2c, CCS9_REG_STATUS, &status);
		if (ret < 0) {
			return ret;
		}
		if (status & CCS9_STATUS_DRDY) {
			break;
		}
		k_sleep(K_MSEC(1));
	}
	k_timer_stop(&guard.timer);
	return atomic_get(&guard.expired) ? -ETIMEDOUT : 0;
}

static int ccs9_heater_cycle(const struct device *dev, uint8_t profile)
{
	struct ccs9_data *data = dev->data;
	struct k_timer heater_guard;
	int ret;

	/* if the cycle hangs, the guard cuts heater power from the work queue */
	k_timer_init(&heater_guard, ccs9_timer_expired, NULL);
	k_timer_user_data_set(&heater_guard, &data->heater_off_work);
	k_timer_start(&heater_guard, K_MSEC(CCS9_HEATER_MAX_MS), K_NO_WAIT); /* expect: missing-stop */

	ret = ccs9_write_reg(dev, CCS9_REG_HEATER, profile);
	if (ret < 0) {
		goto restore;
	}
	ret = ccs9_wait_ready(dev, CCS9_HEATER_MAX_MS);
	k_timer_stop(&heater_guard);
	if (ret < 0) {
		goto restore;
	}
	return 0;

restore:
	(void)ccs9_write_reg(dev, CCS9_REG_HEATER, 0);
	return ret;
}

static int ccs9_soft_reset(const struct device *dev)
{
	static const uint8_t seq[] = { 0xff, 0x11, 0xe5, 0x72, 0x8a }; /* SW_RESET */
	const struct ccs9_config *cfg = dev->config;
	struct k_timer settle;
	int ret;

	k_timer_init(&settle, NULL, NULL);
	k_timer_start(&settle, K_MSEC(CCS9_RESET_MS), K_NO_WAIT);
	ret = i2c_write_dt(&cfg->i2c, seq, sizeof(seq));
	/* the part ignores the bus for CCS9_RESET_MS after a reset */
	k_timer_status_sync(&settle);
	return ret;
}

static int ccs9_sample_fetch(const struct device *dev, enum sensor_channel chan)
{
	const struct ccs9_config *cfg = dev->config;
	struct ccs9_data *data = dev->data;
	uint8_t buf[4];
	int ret;

	if (chan != SENSOR_CHAN_ALL && chan != SENSOR_CHAN_CO2 && chan != SENSOR_CHAN_VOC) {
		return -ENOTSUP;
	}
	ret = i2c_burst_read_dt(&cfg->i2c, CCS9_REG_RESULT, buf, sizeof(buf));
	if (ret < 0) {
		return ret;
	}
	data->eco2 = sys_get_be16(&buf[0]);
	data->tvoc = sys_get_be16(&buf[2]);
	return 0;
}

static int ccs9_channel_get(const struct device *dev, enum sensor_channel chan,
			    struct sensor_value *val)
{
	struct ccs9_data *data = dev->data;
	if (!data->warm) {
		return -EAGAIN;
	}
	if (chan != SENSOR_CHAN_CO2 && chan != SENSOR_CHAN_VOC) {
		return -ENOTSUP;
	}
	val->val1 = chan == SENSOR_CHAN_CO2 ? data->eco2 : data->tvoc;
	val->val2 = 0;
	return 0;
}

static void ccs9_sample_work_handler(struct k_work *work)
{
	struct ccs9_data *data = CONTAINER_OF(work, struct ccs9_data, sample_work);
	if (ccs9_sample_fetch(data->dev, SENSOR_CHAN_ALL) == 0 && data->drdy_handler) {
		data->drdy_handler(data->dev, data->drdy_trigger);
	}
}

static void ccs9_baseline_work_handler(struct k_work *work)
{
	struct ccs9_data *data = CONTAINER_OF(work, struct ccs9_data, baseline_work);
	const struct ccs9_config *cfg = data->dev->config;
	uint8_t bl[2];
	/* keep the auto-calibrated baseline so a reset can restore it */
	if (i2c_burst_read_dt(&cfg->i2c, CCS9_REG_BASELINE, bl, sizeof(bl)) == 0) {
		data->baseline = sys_get_be16(bl);
	}
}

static void ccs9_heater_off_handler(struct k_work *work)
{
	struct ccs9_data *data = CONTAINER_OF(work, struct ccs9_data, heater_off_work);
	LOG_WRN("heater cycle timed out");
	(void)ccs9_write_reg(data->dev, CCS9_REG_HEATER, 0);
}

static void ccs9_warmup_done(struct k_work *work)
{
	struct k_work_delayable *dwork = k_work_delayable_from_work(work);
	struct ccs9_data *data = CONTAINER_OF(dwork, struct ccs9_data, warmup_work);
	const struct ccs9_config *cfg = data->dev->config;
	k_timeout_t period = K_SECONDS(cfg->baseline_period_s);

	data->warm = true;
	k_timer_start(&data->baseline_timer, period, period); /* expect: field-never-stopped */
}

static void ccs9_stop_sampling(struct ccs9_data *data)
{
	k_timer_stop(&data->sample_timer);
	k_work_cancel_sync(&data->sample_work, &data->sync);
}

static int ccs9_trigger_set(const struct device *dev, const struct sensor_trigger *trig,
			    sensor_trigger_handler_t handler)
{
	struct ccs9_data *data = dev->data;

	if (trig->type != SENSOR_TRIG_DATA_READY) {
		return -ENOTSUP;
	}
	if (handler == NULL) {
		ccs9_stop_sampling(data);
		data->drdy_handler = NULL;
		return 0;
	}
	data->drdy_handler = handler;
	data->drdy_trigger = trig;
	k_timer_start(&data->sample_timer, K_SECONDS(1), K_SECONDS(1));
	return 0;
}

static int ccs9_pm_action(const struct device *dev, enum pm_device_action action)
{
	struct ccs9_data *data = dev->data;

	switch (action) {
	case PM_DEVICE_ACTION_SUSPEND:
		ccs9_stop_sampling(data);
		k_work_cancel_delayable_sync(&data->warmup_work, &data->sync);
		data->warm = false;
		return ccs9_write_reg(dev, CCS9_REG_MODE, CCS9_MODE_IDLE);
	case PM_DEVICE_ACTION_RESUME:
		k_work_schedule(&data->warmup_work, K_MSEC(CCS9_WARMUP_MS));
		return ccs9_write_reg(dev, CCS9_REG_MODE, CCS9_MODE_1S);
	default:
		return -ENOTSUP;
	}
}

static int ccs9_init(const struct device *dev)
{
	const struct ccs9_config *cfg = dev->config;
	struct ccs9_data *data = dev->data;
	int ret;

	if (!i2c_is_ready_dt(&cfg->i2c)) {
		LOG_ERR("bus %s not ready", cfg->i2c.bus->name);
		return -ENODEV;
	}
	data->dev = dev;
	k_work_init(&data->sample_work, ccs9_sample_work_handler);
	k_work_init(&data->baseline_work, ccs9_baseline_work_handler);
	k_work_init(&data->heater_off_work, ccs9_heater_off_handler);
	k_work_init_delayable(&data->warmup_work, ccs9_warmup_done);
	k_timer_init(&data->sample_timer, ccs9_timer_expired, NULL);
	k_timer_user_data_set(&data->sample_timer, &data->sample_work);
	k_timer_init(&data->baseline_timer, ccs9_timer_expired, NULL);
	k_timer_user_data_set(&data->baseline_timer, &data->baseline_work);
	ret = ccs9_soft_reset(dev);
	if (ret == 0 && (ret = ccs9_heater_cycle(dev, 0x3f)) == 0) {
		ret = ccs9_write_reg(dev, CCS9_REG_MODE, CCS9_MODE_1S);
	}
	if (ret < 0) {
		LOG_ERR("init failed (%d)", ret);
		return ret;
	}
	k_work_schedule(&data->warmup_work, K_MSEC(CCS9_WARMUP_MS));
	return 0;
}

static const struct sensor_driver_api ccs9_api = {
	.sample_fetch = ccs9_sample_fetch,
	.channel_get = ccs9_channel_get,
	.trigger_set = ccs9_trigger_set,
};

#define CCS9_DEFINE(inst)								\
	static struct ccs9_data ccs9_data_##inst;					\
	static const struct ccs9_config ccs9_config_##inst = {				\
		.i2c = I2C_DT_SPEC_INST_GET(inst),					\
		.baseline_period_s = DT_INST_PROP_OR(inst, baseline_period_s, 3600),	\
	};										\
	PM_DEVICE_DT_INST_DEFINE(inst, ccs9_pm_action);					\
	SENSOR_DEVICE_DT_INST_DEFINE(inst, ccs9_init, PM_DEVICE_DT_INST_GET(inst),	\
				     &ccs9_data_##inst, &ccs9_config_##inst,		\
				     POST_KERNEL, CONFIG_SENSOR_INIT_PRIORITY, &ccs9_api);
DT_INST_FOREACH_STATUS_OKAY(CCS9_DEFINE)
