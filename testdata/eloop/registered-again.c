/* missing-stop for a registration the code has just asked about: where
 * eloop_is_timeout_registered() says yes, the timeout is pending, and
 * registering it again without cancelling it first leaves two of them
 * (eloop keeps both: the first still fires, on its old schedule). A
 * cancel first, a test that says no, another handler or another object,
 * or a call that may cancel it (code with no body here given the
 * object) is fine. A printf-like logger given the object only formats
 * it. */
#include <stddef.h>
#include "eloop.h"

struct sess {
    int secs;
    int restarts;
};

extern void sess_reset(struct sess *s);
extern void sess_log(struct sess *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sess_timeout(void *eloop_ctx, void *timeout_ctx)
{
    struct sess *s = eloop_ctx;

    (void)timeout_ctx;
    s->restarts = 0;
}

static void sess_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct sess *s = eloop_ctx;

    (void)timeout_ctx;
    s->restarts++;
}

void bad_restart(struct sess *s, int secs)
{
    if (eloop_is_timeout_registered(sess_timeout, s, NULL)) {
        s->secs = secs;
        eloop_register_timeout(secs, 0, sess_timeout, s, NULL); /* expect: missing-stop */ /* note: registered again here */
    }
}

void bad_logged_restart(struct sess *s, int secs)
{
    if (eloop_is_timeout_registered(sess_timeout, s, NULL)) {
        sess_log(s, "timeout restart: %d s", secs);
        eloop_register_timeout(secs, 0, sess_timeout, s, NULL); /* expect: missing-stop */
    }
}

void good_restart(struct sess *s, int secs)
{
    if (eloop_is_timeout_registered(sess_timeout, s, NULL)) {
        eloop_cancel_timeout(sess_timeout, s, NULL);
        eloop_register_timeout(secs, 0, sess_timeout, s, NULL);
    }
}

void good_start_if_idle(struct sess *s)
{
    if (!eloop_is_timeout_registered(sess_timeout, s, NULL))
        eloop_register_timeout(5, 0, sess_timeout, s, NULL);
}

void good_other_object(struct sess *s, struct sess *t)
{
    if (eloop_is_timeout_registered(sess_timeout, s, NULL))
        eloop_register_timeout(5, 0, sess_timeout, t, NULL);
}

void good_other_handler(struct sess *s)
{
    if (eloop_is_timeout_registered(sess_timeout, s, NULL))
        eloop_register_timeout(1, 0, sess_retry, s, NULL);
}

void good_reset_may_cancel(struct sess *s)
{
    if (eloop_is_timeout_registered(sess_timeout, s, NULL)) {
        sess_reset(s);
        eloop_register_timeout(5, 0, sess_timeout, s, NULL);
    }
}

void good_pending_kept(struct sess *s)
{
    int pending = eloop_is_timeout_registered(sess_timeout, s, NULL);

    if (pending)
        eloop_cancel_timeout(sess_timeout, s, NULL);
    eloop_register_timeout(5, 0, sess_timeout, s, NULL);
}

void bad_pending_kept(struct sess *s)
{
    int pending = eloop_is_timeout_registered(sess_timeout, s, NULL);

    if (pending)
        eloop_register_timeout(5, 0, sess_timeout, s, NULL); /* expect: missing-stop */
}
