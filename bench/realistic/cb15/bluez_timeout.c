/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bluez_timeout.c - LE link supervision, RSSI monitoring and discovery
 * windows of a small BlueZ-style adapter daemon, on top of the shared
 * timeout helpers (src/shared/timeout.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "bluez-timeout.h"

#define CONN_SUPERVISION_MS	2000
#define RSSI_POLL_MS		250
#define DISCOVERY_POLL_MS	500
#define MAX_PROBES		4

struct bt_adapter {
	uint16_t index;
	bool powered;
	unsigned int probes;
	unsigned int found;
};

struct bt_conn {
	struct bt_adapter *adapter;
	uint16_t handle;
	unsigned int supervision_id;
	unsigned int rssi_id;
	int rssi;
};

extern int hci_send_cmd(uint16_t index, uint16_t opcode);
extern int hci_wait_samples(uint16_t handle, unsigned int count);
extern int hci_collect_reports(uint16_t index, unsigned int *found);

static unsigned int pending_reports;

static bool rssi_poll(void *user_data)
{
	struct bt_conn *conn = user_data;
	conn->rssi--;
	return true;
}

static bool discovery_poll(void *user_data)
{
	struct bt_adapter *adapter = user_data;
	adapter->found++;
	return true;
}

static bool discovery_window_end(void *user_data)
{
	struct bt_adapter *adapter = user_data;
	adapter->powered = adapter->found > 0;
	return false;
}

static bool supervision_expired(void *user_data)
{
	struct bt_conn *conn = user_data;
	conn->supervision_id = 0;
	return false;
}

static bool flush_reports(void *user_data)
{
	unsigned int *count = user_data;
	*count = 0;
	return false;
}

static bool probe_retry(void *user_data)
{
	struct bt_adapter *adapter = user_data;
	adapter->probes++;
	return adapter->probes < MAX_PROBES;
}

static void conn_stop_timer(unsigned int id)
{
	timeout_remove(id);
}

void report_queue_kick(void)
{
	pending_reports++;
	timeout_add(50, flush_reports, &pending_reports, NULL);
}

bool conn_supervision_start(struct bt_conn *conn)
{
	conn->supervision_id = timeout_add(CONN_SUPERVISION_MS,
					supervision_expired, conn, NULL);
	return conn->supervision_id != 0;
}

void conn_enable_rssi_monitor(struct bt_conn *conn)
{
	if (conn->rssi_id)
		return;
	(void) timeout_add(RSSI_POLL_MS * 4, rssi_poll, conn, NULL); /* expect: handle-discarded */
}

int conn_measure_rssi(struct bt_conn *conn, unsigned int samples)
{
	unsigned int id;
	int err;

	id = timeout_add(RSSI_POLL_MS, rssi_poll, conn, NULL); /* expect: missing-stop */
	if (!id)
		return -ENOMEM;

	err = hci_send_cmd(conn->adapter->index, 0x1405);
	if (err < 0)
		return err;

	err = hci_wait_samples(conn->handle, samples);
	timeout_remove(id);
	return err;
}

int conn_list_poll_rssi(struct bt_conn **conns, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		unsigned int id;
		id = timeout_add(RSSI_POLL_MS, rssi_poll, conns[i], NULL); /* expect: created-in-loop */
		if (!id)
			return -ENOMEM;

		if (hci_send_cmd(conns[i]->adapter->index, 0x1405) < 0)
			conns[i]->rssi = -127;
	}

	return 0;
}

int conn_list_sample_once(struct bt_conn **conns, size_t count)
{
	size_t i;
	int err = 0;

	for (i = 0; i < count; i++) {
		unsigned int id;
		id = timeout_add(RSSI_POLL_MS, rssi_poll, conns[i], NULL);
		if (!id)
			return -ENOMEM;

		if (hci_send_cmd(conns[i]->adapter->index, 0x1405) < 0) {
			timeout_remove(id);
			continue;
		}

		err = hci_wait_samples(conns[i]->handle, 1);
		conn_stop_timer(id);
		if (err < 0)
			break;
	}

	return err;
}

void adapter_start_heartbeat(struct bt_adapter *adapter)
{
	if (!adapter->powered)
		return;
	timeout_add_seconds(5, discovery_poll, adapter, NULL); /* expect: handle-discarded */
}

int adapter_run_discovery(struct bt_adapter *adapter, unsigned int window)
{
	unsigned int poll_id, stop_id;
	int err;

	poll_id = timeout_add(DISCOVERY_POLL_MS, discovery_poll, adapter, NULL); /* expect: missing-stop */
	if (!poll_id)
		return -ENOMEM;

	stop_id = timeout_add_seconds(window, discovery_window_end,
							adapter, NULL);
	if (!stop_id) {
		err = -ENOMEM;
		goto out;
	}

	err = hci_send_cmd(adapter->index, 0x2041);
	if (err < 0)
		goto remove_all;

	err = hci_collect_reports(adapter->index, &adapter->found);

remove_all:
	timeout_remove(stop_id);
	timeout_remove(poll_id);
out:
	return err;
}

int adapter_probe_controller(struct bt_adapter *adapter)
{
	unsigned int id;
	int err;

	adapter->probes = 0;
	id = timeout_add(100, probe_retry, adapter, NULL);
	if (!id)
		return -ENOMEM;

	err = hci_send_cmd(adapter->index, 0x1001);
	if (err < 0)
		goto done;

	err = hci_send_cmd(adapter->index, 0x1009);
	if (err < 0 && adapter->probes >= MAX_PROBES)
		err = -ETIMEDOUT;

done:
	conn_stop_timer(id);
	return err;
}

void conn_free(struct bt_conn *conn)
{
	timeout_remove(conn->supervision_id);
	timeout_remove(conn->rssi_id);
	free(conn);
}
