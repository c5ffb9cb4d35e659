/*
 * #12 class 8: a field copy of a descriptor a cleanup attribute closes. The
 * worker started after the copy reads the field: the cleanup closing the
 * local at return is too late (stop-too-late at the declaration). Handing
 * it over first (`s->fd = fd; fd = -1;`) leaves the cleanup nothing to
 * close, on every path after the hand-over.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct src {
    int fd;
    pthread_t thr;
};

static void closep(int *fd)
{
    if (*fd >= 0)
        close(*fd);
}

#define AUTO_FD __attribute__((cleanup(closep)))

extern void *src_main(void *arg);

/* bad: the worker reads s->fd, which the cleanup closes at return */
int src_start(struct src *s)
{
    AUTO_FD int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: stop-too-late */

    if (fd < 0)
        return -errno;
    s->fd = fd;
    if (pthread_create(&s->thr, NULL, src_main, s) != 0)
        return -EAGAIN;
    return 0;
}

/* good: handed over before the worker starts */
int src_start_owned(struct src *s)
{
    AUTO_FD int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

    if (fd < 0)
        return -errno;
    s->fd = fd;
    fd = -1;
    if (pthread_create(&s->thr, NULL, src_main, s) != 0) {
        close(s->fd);
        s->fd = -1;
        return -EAGAIN;
    }
    return 0;
}
