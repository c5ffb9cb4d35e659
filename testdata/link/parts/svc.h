/* svc.h: the service of teardown-wrapper.c and parts/wrapper-deinit.c. */
#ifndef TESTDATA_SVC_H
#define TESTDATA_SVC_H

struct svc {
    int state;
    int retries;
};

void svc_log(struct svc *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void svc_start(struct svc *s);
void svc_cancel_poll(struct svc *s);
void svc_ack(struct svc *s);

#endif
