/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_timers.c - flow aging and peer liveness probes of a small packet
 * forwarder built on the OpenDataPlane timer API.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odp-timer.h"

#define FLOW_TABLE_SIZE	1024
#define FLOW_IDLE_NS	(30ULL * 1000000000ULL)
#define PROBE_NS	(200ULL * 1000000ULL)

struct flow_entry {
	uint32_t hash;
	uint64_t last_seen;
	odp_timer_t tim;
	bool active;
};

struct flow_table {
	odp_timer_pool_t tp;
	odp_queue_t queue;
	odp_pool_t tmo_pool;
	uint64_t now;
	unsigned int dropped;
	struct flow_entry flows[FLOW_TABLE_SIZE];
};

extern int peer_wait_reply(struct flow_table *ft, uint32_t hash);
extern uint64_t peer_measure_rtt(struct flow_table *ft, uint32_t hash);

static int flow_start_params(struct flow_table *ft, odp_timer_start_t *p,
			     uint64_t ns)
{
	odp_timeout_t tmo = odp_timeout_alloc(ft->tmo_pool);
	if (tmo == ODP_TIMEOUT_INVALID)
		return -1;
	p->tick_type = ODP_TIMER_TICK_REL;
	p->tick = odp_timer_ns_to_tick(ft->tp, ns);
	p->tmo_ev = odp_timeout_to_event(tmo);
	return 0;
}

static void flow_timer_destroy(odp_timer_t tim)
{
	odp_event_t ev = ODP_EVENT_INVALID;
	if (odp_timer_cancel(tim, &ev) == ODP_TIMER_SUCCESS)
		odp_event_free(ev);
	odp_timer_free(tim);
}

int flow_table_add(struct flow_table *ft, uint32_t hash)
{
	uint32_t idx = hash % FLOW_TABLE_SIZE;
	odp_timer_start_t start;
	odp_timer_t tim;

	tim = odp_timer_alloc(ft->tp, ft->queue, &ft->flows[idx]);
	if (tim == ODP_TIMER_INVALID)
		return -1;
	if (flow_start_params(ft, &start, FLOW_IDLE_NS) < 0) {
		odp_timer_free(tim);
		return -1;
	}
	if (odp_timer_start(tim, &start) != ODP_TIMER_SUCCESS) {
		odp_event_free(start.tmo_ev);
		odp_timer_free(tim);
		return -1;
	}

	ft->flows[idx].hash = hash;
	ft->flows[idx].last_seen = ft->now;
	ft->flows[idx].tim = tim;
	ft->flows[idx].active = true;
	return 0;
}

odp_timer_t flow_probe_timer_new(struct flow_table *ft, const void *ctx)
{
	odp_timer_t tim = odp_timer_alloc(ft->tp, ft->queue, ctx);
	if (tim == ODP_TIMER_INVALID)
		ft->dropped++;
	return tim;
}

int flow_probe_peer(struct flow_table *ft, uint32_t hash)
{
	odp_timer_start_t start;
	odp_event_t ev;
	odp_timer_t tim;
	int ret;

	tim = odp_timer_alloc(ft->tp, ft->queue, NULL); /* expect: missing-stop */
	if (tim == ODP_TIMER_INVALID)
		return -1;
	if (flow_start_params(ft, &start, PROBE_NS) < 0)
		return -1;
	if (odp_timer_start(tim, &start) != ODP_TIMER_SUCCESS) {
		odp_event_free(start.tmo_ev);
		odp_timer_free(tim);
		return -1;
	}

	ret = peer_wait_reply(ft, hash);
	if (odp_timer_cancel(tim, &ev) == ODP_TIMER_SUCCESS)
		odp_event_free(ev);
	odp_timer_free(tim);
	return ret;
}

uint64_t flow_sample_rtt(struct flow_table *ft, uint32_t hash)
{
	odp_timer_start_t start;
	odp_event_t ev;
	odp_timer_t tim;
	uint64_t rtt;

	tim = odp_timer_alloc(ft->tp, ft->queue, NULL); /* expect: disarmed-not-released */
	if (tim == ODP_TIMER_INVALID)
		return 0;
	if (flow_start_params(ft, &start, PROBE_NS) < 0) {
		odp_timer_free(tim);
		return 0;
	}
	if (odp_timer_start(tim, &start) != ODP_TIMER_SUCCESS) {
		odp_event_free(start.tmo_ev);
		odp_timer_free(tim);
		return 0;
	}

	rtt = peer_measure_rtt(ft, hash);
	if (odp_timer_cancel(tim, &ev) == ODP_TIMER_SUCCESS)
		odp_event_free(ev);
	return rtt;
}

int flow_check_liveness(struct flow_table *ft, uint32_t hash)
{
	odp_timer_start_t start;
	odp_timer_t tim;
	int ret = -1;

	tim = odp_timer_alloc(ft->tp, ft->queue, NULL);
	if (tim == ODP_TIMER_INVALID)
		return -1;
	if (flow_start_params(ft, &start, PROBE_NS) < 0)
		goto out;
	if (odp_timer_start(tim, &start) != ODP_TIMER_SUCCESS) {
		odp_event_free(start.tmo_ev);
		goto out;
	}

	ret = peer_wait_reply(ft, hash);
	if (ret < 0 && odp_timer_restart(tim, &start) == ODP_TIMER_SUCCESS)
		ret = peer_wait_reply(ft, hash);
out:
	flow_timer_destroy(tim);
	return ret;
}

int flow_reprobe(struct flow_table *ft, uint32_t hash)
{
	odp_timer_start_t start;
	odp_event_t ev;
	odp_timer_t tim;
	int ret = -1;

	tim = odp_timer_alloc(ft->tp, ft->queue, NULL);
	if (tim == ODP_TIMER_INVALID)
		return -1;
	if (flow_start_params(ft, &start, PROBE_NS) < 0)
		goto free_timer;
	if (odp_timer_start(tim, &start) != ODP_TIMER_SUCCESS) {
		odp_event_free(start.tmo_ev);
		goto free_timer;
	}
	ret = peer_wait_reply(ft, hash);

free_timer:
	odp_timer_free(tim);
	if (odp_timer_cancel(tim, &ev) == ODP_TIMER_SUCCESS) /* expect: use-after-release */
		odp_event_free(ev);
	return ret;
}

unsigned int flow_burst_track(struct flow_table *ft, odp_packet_t pkts[],
			      unsigned int num)
{
	odp_timer_start_t start;
	unsigned int i, tracked = 0;

	for (i = 0; i < num; i++) {
		uint32_t hash = odp_packet_flow_hash(pkts[i]);
		odp_timer_t tim;
		tim = odp_timer_alloc(ft->tp, ft->queue, pkts[i]); /* expect: created-in-loop */
		if (tim == ODP_TIMER_INVALID) {
			ft->dropped++;
			continue;
		}
		if (flow_start_params(ft, &start, FLOW_IDLE_NS) < 0) {
			odp_timer_free(tim);
			continue;
		}
		if (odp_timer_start(tim, &start) != ODP_TIMER_SUCCESS) {
			odp_event_free(start.tmo_ev);
			odp_timer_free(tim);
			continue;
		}
		ft->flows[hash % FLOW_TABLE_SIZE].last_seen = ft->now;
		tracked++;
	}

	return tracked;
}

int flow_claim_slot(struct flow_table *ft, uint32_t hash)
{
	odp_timer_start_t start;
	unsigned int i;

	for (i = 0; i < FLOW_TABLE_SIZE; i++) {
		odp_timer_t tim;
		if (ft->flows[i].active)
			continue;
		tim = odp_timer_alloc(ft->tp, ft->queue, &ft->flows[i]); /* expect: missing-stop */
		if (tim == ODP_TIMER_INVALID)
			return -1;
		if (flow_start_params(ft, &start, FLOW_IDLE_NS) < 0)
			break;
		if (odp_timer_start(tim, &start) != ODP_TIMER_SUCCESS) {
			odp_event_free(start.tmo_ev);
			odp_timer_free(tim);
			return -1;
		}
		ft->flows[i].hash = hash;
		ft->flows[i].tim = tim;
		ft->flows[i].active = true;
		return (int)i;
	}

	return -1;
}

void flow_table_term(struct flow_table *ft)
{
	unsigned int i;

	for (i = 0; i < FLOW_TABLE_SIZE; i++) {
		if (!ft->flows[i].active)
			continue;
		flow_timer_destroy(ft->flows[i].tim);
		ft->flows[i].tim = ODP_TIMER_INVALID;
		ft->flows[i].active = false;
	}
}
