// scan: --link
/* A QEMU device model scanned outside a QEMU tree: "qemu/osdep.h" and
 * "qemu/timer.h" are found nowhere, so timerlint stands in for them from
 * rules/qemu.yaml (QEMUTimer as storage, QEMUClockType and its clocks,
 * QEMUTimerCB, SCALE_MS). The hw/ headers are not the family's and stay
 * missing. */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "hw/sysbus.h"

struct wdt_state {
	QEMUTimer *expiry;
	QEMUTimer tick;
	QEMUTimer *beacon;
	uint32_t reload;
	bool enabled;
};

static void wdt_expired(void *opaque)
{
	struct wdt_state *s = opaque;

	s->enabled = false;
}

static void wdt_tick(void *opaque)
{
	struct wdt_state *s = opaque;

	timer_mod(&s->tick, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + 10);
}

static void wdt_beacon(void *opaque)
{
	(void)opaque;
}

void wdt_realize(struct wdt_state *s)
{
	s->expiry = timer_new_ms(QEMU_CLOCK_VIRTUAL, wdt_expired, s);
	timer_init_ms(&s->tick, QEMU_CLOCK_VIRTUAL, wdt_tick, s);
	timer_mod(&s->tick, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + 10);
	s->beacon = timer_new_ms(QEMU_CLOCK_REALTIME, wdt_beacon, s);
	timer_mod(s->beacon, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + 1000); /* expect: field-never-stopped */
}

void wdt_kick(struct wdt_state *s)
{
	int64_t now = qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL);

	timer_mod(s->expiry, now + s->reload);
}

int wdt_selftest(struct wdt_state *s)
{
	QEMUTimer *probe = timer_new_ns(QEMU_CLOCK_VIRTUAL, wdt_beacon, s); /* expect: missing-stop */

	if (!s->enabled) {
		return -1;
	}
	timer_free(probe);
	return 0;
}

void wdt_unrealize(struct wdt_state *s)
{
	timer_free(s->expiry);
	timer_del(&s->tick);
}
