/* ops.h: devices of teardown-through-ops.c, whose modules plug in
 * through a table of functions. */
#ifndef TESTDATA_OPS_H
#define TESTDATA_OPS_H

struct dev;

struct dev_ops {
    const char *name;
    int (*init)(struct dev *d);
    void (*deinit)(struct dev *d);
};

struct dev {
    int id;
    int polls;
    int retries;
    const struct dev_ops *ops;
};

struct peer {
    int addr;
    void (*on_close)(struct peer *p); /* set by the library's user */
};

void dev_poll(void *eloop_ctx, void *timeout_ctx);
extern const struct dev_ops fast_ops, slow_ops;

#endif
