/*
 * ell_timeout.c - station probing, connect supervision and DHCP lease
 * timers of a small iwd-style daemon running on the ELL main loop.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ell/ell.h>

#define PROBE_TIMEOUT_MS	300
#define CONNECT_TIMEOUT_S	10
#define REKEY_INTERVAL_S	600

struct bss {
	uint8_t addr[6];
	int16_t signal;
	uint32_t frequency;
};

struct station {
	uint32_t ifindex;
	struct l_timeout *roam_trigger_timeout;
	struct l_timeout *lease_timeout;
	struct bss *connected;
	unsigned int roam_attempts;
	bool scanning;
};

extern int netdev_send_probe(uint32_t ifindex, const struct bss *bss);
extern int netdev_wait_response(uint32_t ifindex, unsigned int ms);

static void roam_trigger_cb(struct l_timeout *timeout, void *user_data)
{
	struct station *station = user_data;
	station->roam_attempts++;
	l_timeout_modify(timeout, 5);
}

static void probe_timeout_cb(struct l_timeout *timeout, void *user_data)
{
	bool *expired = user_data;
	*expired = true;
}

static void deferred_scan_cb(struct l_timeout *timeout, void *user_data)
{
	struct station *station = user_data;
	station->scanning = true;
	l_timeout_remove(timeout);
}

static void rekey_cb(struct l_timeout *timeout, void *user_data)
{
	struct station *station = user_data;
	station->roam_attempts = 0;
}

static void station_watchdog_stop(struct l_timeout *watchdog)
{
	l_timeout_remove(watchdog);
}

void station_schedule_scan(struct station *station)
{
	station->scanning = false;
	l_timeout_create_ms(100, deferred_scan_cb, station, NULL);
}

void station_start_rekey(struct station *station)
{
	station->roam_attempts = 0;
	l_timeout_create(REKEY_INTERVAL_S, rekey_cb, station, NULL); /* expect: handle-discarded */
}

int station_arm_roam_trigger(struct station *station, unsigned int seconds)
{
	if (station->roam_trigger_timeout) {
		l_timeout_modify(station->roam_trigger_timeout, seconds);
		return 0;
	}

	station->roam_trigger_timeout = l_timeout_create(seconds,
					roam_trigger_cb, station, NULL);
	return station->roam_trigger_timeout ? 0 : -ENOMEM;
}

int station_probe_bss(struct station *station, const struct bss *bss)
{
	struct l_timeout *timeout;
	bool expired = false;
	int err;

	timeout = l_timeout_create_ms(PROBE_TIMEOUT_MS, probe_timeout_cb, /* expect: missing-stop */
							&expired, NULL);
	if (!timeout)
		return -ENOMEM;

	err = netdev_send_probe(station->ifindex, bss);
	if (err < 0)
		return err;

	err = netdev_wait_response(station->ifindex, PROBE_TIMEOUT_MS);
	l_timeout_remove(timeout);

	return expired ? -ETIMEDOUT : err;
}

int station_probe_best(struct station *station, const struct bss *list,
								size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		bool expired = false;
		struct l_timeout *timeout;
		int err;

		timeout = l_timeout_create_ms(PROBE_TIMEOUT_MS,
					probe_timeout_cb, &expired, NULL);
		if (!timeout)
			return -ENOMEM;

		if (netdev_send_probe(station->ifindex, &list[i]) < 0) {
			l_timeout_remove(timeout);
			continue;
		}

		err = netdev_wait_response(station->ifindex, PROBE_TIMEOUT_MS);
		station_watchdog_stop(timeout);
		if (!err && !expired)
			return (int)i;
	}

	return -ENOENT;
}

void station_announce_all(struct station *station, const struct bss *list,
								size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct l_timeout *timeout;
		timeout = l_timeout_create(1, roam_trigger_cb, station, NULL); /* expect: created-in-loop */
		if (!timeout)
			break;

		if (netdev_send_probe(station->ifindex, &list[i]) < 0)
			continue;

		station->roam_attempts++;
	}
}

int station_measure_link(struct station *station, unsigned int seconds)
{
	struct l_timeout *watchdog;
	int err;

	watchdog = l_timeout_create(seconds, roam_trigger_cb, station, NULL);
	if (!watchdog)
		return -ENOMEM;

	err = netdev_send_probe(station->ifindex, station->connected);
	l_timeout_remove(watchdog);
	if (err == -EAGAIN) {
		/* give the firmware a second window */
		l_timeout_modify(watchdog, seconds * 2); /* expect: use-after-release */
		return -EAGAIN;
	}

	return err;
}

int station_connect_bss(struct station *station, const struct bss *bss)
{
	struct l_timeout *connect_timeout;
	struct bss *copy;
	int err;

	copy = malloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, bss, sizeof(*copy));

	connect_timeout = l_timeout_create(CONNECT_TIMEOUT_S, roam_trigger_cb, /* expect: missing-stop */
							station, NULL);
	if (!connect_timeout) {
		err = -ENOMEM;
		goto free_copy;
	}

	err = netdev_send_probe(station->ifindex, copy);
	if (err < 0)
		goto free_copy;

	err = netdev_wait_response(station->ifindex, CONNECT_TIMEOUT_S * 1000);
	l_timeout_remove(connect_timeout);
	if (err < 0)
		goto free_copy;

	station->connected = copy;
	return 0;

free_copy:
	free(copy);
	return err;
}

struct l_timeout *station_lease_timer_new(struct station *station,
							unsigned int seconds)
{
	struct l_timeout *timeout;

	timeout = l_timeout_create(seconds, rekey_cb, station, NULL);
	return timeout;
}

void station_free(struct station *station)
{
	l_timeout_remove(station->roam_trigger_timeout);
	l_timeout_remove(station->lease_timeout);
	free(station->connected);
	free(station);
}
