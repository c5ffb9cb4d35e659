/* The goto-cleanup idiom with a sentinel: fd starts at -1, every exit goes
 * through `out`, which closes only what was opened. The facts on fd (it is
 * >= 0 after the success branch) must make the close certain there. */
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

extern int configure(void);

/* good: one exit, closes what it opened (fd is known >= 0 at the label on the success paths) */
int good_sentinel_cleanup(void)
{
    int fd = -1;
    int rc = -1;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        goto out;
    if (configure() < 0)
        goto out;
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/* bad: the label closes only on failure, the success path leaks */
int bad_sentinel_cleanup_on_error_only(void)
{
    int fd = -1;
    int rc = -1;

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */
    if (fd < 0)
        goto out;
    if (configure() < 0)
        goto err;
    rc = 0;
    goto out;
err:
    close(fd);
out:
    return rc;
}

/* good: two labels in reverse order of acquisition */
int good_two_labels(int use_second)
{
    int a, b = -1;

    a = timerfd_create(CLOCK_MONOTONIC, 0);
    if (a < 0)
        return -1;
    if (use_second) {
        b = timerfd_create(CLOCK_REALTIME, 0);
        if (b < 0)
            goto close_a;
    }
    if (configure() < 0)
        goto close_b;
    if (b >= 0)
        close(b);
    close(a);
    return 0;
close_b:
    if (b >= 0)
        close(b);
close_a:
    close(a);
    return -1;
}
