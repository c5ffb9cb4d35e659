// scan: --link
/* A Zephyr accelerometer driver scanned with no Zephyr tree: nothing has
 * <zephyr/kernel.h>, so timerlint stands in for it from rules/zephyr.yaml
 * (struct k_timer as storage, k_timeout_t, K_MSEC and friends). Without
 * that, every `struct k_timer` local and field is dropped with its
 * declaration and the calls on them are expressions with errors.
 * <zephyr/drivers/i2c.h> is the family's directory too; the bus API in it
 * is not the family's and stays undeclared. */
#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/i2c.h>
#include <errno.h>

#define ACC_REG_WHOAMI 0x0f
#define ACC_WHOAMI     0x33

struct acc_data {
	const struct device *bus;
	struct k_timer poll;
	struct k_timer watchdog;
	uint32_t samples;
};

static int acc_read_reg(const struct device *bus, uint8_t reg, uint8_t *out);

static void acc_poll_expired(struct k_timer *t)
{
	struct acc_data *d = CONTAINER_OF(t, struct acc_data, poll);

	d->samples++;
}

static int acc_selftest(const struct device *bus)
{
	struct k_timer guard;
	uint8_t v;

	k_timer_init(&guard, NULL, NULL);
	k_timer_start(&guard, K_MSEC(50), K_NO_WAIT); /* expect: missing-stop */
	if (acc_read_reg(bus, ACC_REG_WHOAMI, &v) < 0) {
		return -EIO;
	}
	k_timer_stop(&guard);
	return v == ACC_WHOAMI ? 0 : -ENODEV;
}

static int acc_wait_idle(const struct device *bus)
{
	struct k_timer guard;
	uint8_t v = 0;
	int ret;

	k_timer_init(&guard, NULL, NULL);
	k_timer_start(&guard, K_MSEC(20), K_NO_WAIT);
	do {
		ret = acc_read_reg(bus, 0x27, &v);
	} while (ret == 0 && (v & 0x08) && k_timer_remaining_get(&guard) > 0);
	k_timer_stop(&guard);
	return ret;
}

int acc_start(struct acc_data *d)
{
	int ret = acc_selftest(d->bus);

	if (ret < 0) {
		return ret;
	}
	ret = acc_wait_idle(d->bus);
	if (ret < 0) {
		return ret;
	}
	k_timer_init(&d->poll, acc_poll_expired, NULL);
	k_timer_start(&d->poll, K_MSEC(100), K_MSEC(100));
	k_timer_init(&d->watchdog, NULL, NULL);
	k_timer_start(&d->watchdog, K_SECONDS(2), K_NO_WAIT); /* expect: field-never-stopped */
	return 0;
}

void acc_stop(struct acc_data *d)
{
	k_timer_stop(&d->poll);
}
