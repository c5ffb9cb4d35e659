// scan: --link
/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * le_link.c - LE link bookkeeping of a BlueZ-style daemon (idle disconnect,
 * pairing deadline, parameter update retries, RSSI polling, discovery
 * window, ATT retransmission) on the shared timeout helpers.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "bluez-timeout.h"

#define IDLE_TIMEOUT_SECS	30
#define PAIRING_TIMEOUT_SECS	60
#define CONN_UPDATE_MS		500
#define CONN_UPDATE_TRIES	3
#define RSSI_POLL_MS		2000
#define DISCOVERY_WINDOW_MS	10240
#define POWER_TIMEOUT_MS	3000
#define ATT_RETRANSMIT_MS	1000
#define ATT_MAX_TRIES		4

#define OP_RESET		0x03
#define OP_CONN_UPDATE		0x13
#define OP_WRITE_LOCAL_NAME	0x14

struct le_conn {
	uint16_t handle;
	int8_t rssi;
	unsigned int update_id;		/* connection parameter retry */
	unsigned int update_tries;
	bool update_done;
};

struct le_device {
	char address[18];
	struct le_conn *conn;
	unsigned int idle_id;		/* auto-disconnect */
	unsigned int pairing_id;	/* pairing deadline */
};

struct att_req {
	uint8_t opcode;
	uint16_t conn_handle;
	unsigned int tries;
	bool acked;
};

struct adapter {
	unsigned int discovery_id;
	unsigned int power_id;
	bool discovering;
	struct le_device *devices[16];
	unsigned int n_devices;
};

int hci_send_cmd(uint16_t handle, uint8_t opcode);
int hci_set_scan_enable(bool enable);
int hci_read_rssi(uint16_t handle, int8_t *rssi);
int hci_disconnect(uint16_t handle);
int att_send(uint16_t handle, uint8_t opcode);
void mgmt_emit_pairing_failed(const char *address);

static bool conn_update_retry(void *user_data)
{
	struct le_conn *conn = user_data;

	if (conn->update_done || ++conn->update_tries > CONN_UPDATE_TRIES) {
		conn->update_id = 0;
		return false;
	}

	hci_send_cmd(conn->handle, OP_CONN_UPDATE);
	return true;
}

static int conn_request_update(struct le_conn *conn)
{
	if (conn->update_id)
		return 0;

	conn->update_tries = 0;
	conn->update_done = false;
	conn->update_id = timeout_add(CONN_UPDATE_MS, conn_update_retry,
							conn, NULL);
	return conn->update_id ? 0 : -ENOMEM;
}

static bool rssi_poll(void *user_data)
{
	struct le_conn *conn = user_data;
	hci_read_rssi(conn->handle, &conn->rssi);
	return true;
}

static void conn_free(struct le_conn *conn)
{
	timeout_remove(conn->update_id);
	free(conn);
}

static void device_disconnect(struct le_device *dev)
{
	timeout_remove(dev->idle_id);

	if (dev->conn) {
		hci_disconnect(dev->conn->handle);
		conn_free(dev->conn);
		dev->conn = NULL;
	}
}

static bool device_idle_expired(void *user_data)
{
	struct le_device *dev = user_data;

	dev->idle_id = 0;
	device_disconnect(dev);
	return false;
}

void device_set_active(struct le_device *dev)
{
	if (dev->idle_id)
		timeout_remove(dev->idle_id);

	dev->idle_id = timeout_add_seconds(IDLE_TIMEOUT_SECS,
					device_idle_expired, dev, NULL);
}

static bool pairing_expired(void *user_data)
{
	struct le_device *dev = user_data;

	dev->pairing_id = 0;
	mgmt_emit_pairing_failed(dev->address);
	return false;
}

void device_start_pairing(struct le_device *dev)
{
	dev->pairing_id = timeout_add_seconds(PAIRING_TIMEOUT_SECS, /* expect: field-never-stopped */
					pairing_expired, dev, NULL);
}

void device_pairing_complete(struct le_device *dev)
{
	timeout_remove(dev->pairing_id);
	dev->pairing_id = 0;
}

int device_connected(struct le_device *dev, uint16_t handle)
{
	dev->conn = calloc(1, sizeof(*dev->conn));
	if (!dev->conn)
		return -ENOMEM;
	dev->conn->handle = handle;

	timeout_add(RSSI_POLL_MS, rssi_poll, dev->conn, NULL); /* expect: handle-discarded */

	device_set_active(dev);
	return conn_request_update(dev->conn);
}

void device_free(struct le_device *dev)
{
	/* device_disconnect() drops the idle timeout again: harmless, the
	 * shared helpers look the id up before removing it */
	timeout_remove(dev->idle_id);
	device_disconnect(dev);
	free(dev);
}

static bool discovery_window_expired(void *user_data)
{
	struct adapter *adapter = user_data;

	adapter->discovery_id = 0;
	adapter->discovering = false;
	hci_set_scan_enable(false);
	return false;
}

int adapter_start_discovery(struct adapter *adapter)
{
	unsigned int id;
	int err;

	if (adapter->discovering)
		return -EALREADY;

	id = timeout_add(DISCOVERY_WINDOW_MS, discovery_window_expired, /* expect: missing-stop */
							adapter, NULL);
	if (!id)
		return -ENOMEM;

	err = hci_set_scan_enable(true);
	if (err < 0)
		return err;

	adapter->discovery_id = id;
	adapter->discovering = true;
	return 0;
}

static bool power_cycle_expired(void *user_data)
{
	struct adapter *adapter = user_data;

	adapter->power_id = 0;
	adapter->discovering = false;
	return false;
}

int adapter_power_cycle(struct adapter *adapter)
{
	unsigned int id;
	int err;

	id = timeout_add(POWER_TIMEOUT_MS, power_cycle_expired, adapter, NULL);
	if (!id)
		return -ENOMEM;

	err = hci_send_cmd(0, OP_RESET);
	if (err < 0)
		goto fail;

	err = hci_set_scan_enable(false);
	if (err < 0)
		goto fail;

	adapter->power_id = id;
	return 0;

fail:
	timeout_remove(id);
	return err;
}

static bool refresh_local_name(void *user_data)
{
	(void)user_data;
	hci_send_cmd(0, OP_WRITE_LOCAL_NAME);
	return false;
}

void adapter_name_changed(void)
{
	/* write the new name once the current burst of events is handled */
	timeout_add_seconds(1, refresh_local_name, NULL, NULL);
}

static bool att_retransmit(void *user_data)
{
	struct att_req *req = user_data;

	if (req->acked || ++req->tries > ATT_MAX_TRIES)
		return false;

	att_send(req->conn_handle, req->opcode);
	return true;
}

unsigned int att_flush_queue(struct att_req *reqs, unsigned int count)
{
	unsigned int i, sent = 0;

	for (i = 0; i < count; i++) {
		struct att_req *req = &reqs[i];
		unsigned int id;

		id = timeout_add(ATT_RETRANSMIT_MS, att_retransmit, req, NULL); /* expect: created-in-loop */
		if (!id)
			continue;

		if (att_send(req->conn_handle, req->opcode) < 0) {
			timeout_remove(id);
			continue;
		}

		req->tries = 1;
		sent++;
	}

	return sent;
}

void adapter_free(struct adapter *adapter)
{
	unsigned int i;

	timeout_remove(adapter->discovery_id);
	timeout_remove(adapter->power_id);
	for (i = 0; i < adapter->n_devices; i++)
		device_free(adapter->devices[i]);

	free(adapter);
}
