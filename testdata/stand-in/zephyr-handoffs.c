// scan: --link
/* What a Zephyr timer field handed to other code means for the link phase.
 * k_timer_init() and k_timer_user_data_set() are the family's own API,
 * declared by its header (here the stand-in for <zephyr/kernel.h>), and
 * rules/zephyr.yaml does not list them as stops: they stop nothing. A
 * function of the project with no body in the scanned code may stop what
 * it is given: the benefit of the doubt. */
#include <zephyr/kernel.h>

struct fan_ctl {
	struct k_timer spin_check;
	struct k_timer ramp;
	struct k_timer tach;
	int rpm;
};

/* In another file of the project, not scanned here. */
extern void fan_timer_park(struct k_timer *t);

static void fan_ramp_step(struct k_timer *t)
{
	struct fan_ctl *f = k_timer_user_data_get(t);

	f->rpm += 100;
}

void fan_start(struct fan_ctl *f)
{
	k_timer_init(&f->spin_check, NULL, NULL);
	k_timer_user_data_set(&f->spin_check, f);
	k_timer_start(&f->spin_check, K_MSEC(500), K_MSEC(500)); /* expect: field-never-stopped */

	k_timer_init(&f->ramp, fan_ramp_step, NULL);
	k_timer_user_data_set(&f->ramp, f);
	k_timer_start(&f->ramp, K_MSEC(50), K_MSEC(50));

	k_timer_init(&f->tach, NULL, NULL);
	k_timer_start(&f->tach, K_SECONDS(1), K_SECONDS(1));
}

void fan_stop(struct fan_ctl *f)
{
	k_timer_stop(&f->ramp);
	fan_timer_park(&f->tach);
	(void)k_timer_status_get(&f->spin_check);
}

/* A global lives for the program: a family call given it keeps the benefit
 * of the doubt (a one-shot that its own callback re-arms is the common
 * case, tmux's server_ev_tidy behind evtimer_pending()). */
static struct k_timer heartbeat;

void fan_heartbeat_start(void)
{
	k_timer_init(&heartbeat, NULL, NULL);
	k_timer_start(&heartbeat, K_SECONDS(1), K_SECONDS(1));
}
