/* Part of teardown-through-ops.c: two device modules. Each one's deinit
 * cancels the poll; neither knows about the retry. */
#include <stddef.h>
#include "../../eloop/eloop.h"
#include "ops.h"

static int fast_init(struct dev *d)
{
    d->polls = 0;
    eloop_register_timeout(0, 10000, dev_poll, d, NULL);
    return 0;
}

static void fast_deinit(struct dev *d)
{
    eloop_cancel_timeout(dev_poll, d, NULL);
}

static int slow_init(struct dev *d)
{
    d->polls = 0;
    eloop_register_timeout(1, 0, dev_poll, d, NULL);
    return 0;
}

static void slow_deinit(struct dev *d)
{
    eloop_cancel_timeout(dev_poll, ELOOP_ALL_CTX, NULL);
    d->polls = -1;
}

const struct dev_ops fast_ops = {
    .name = "fast",
    .init = fast_init,
    .deinit = fast_deinit,
};

const struct dev_ops slow_ops = {"slow", slow_init, slow_deinit};
