/*
 * statsd_main.c - minimal UDP metrics collector: counts datagrams and lines
 * and prints the counters every flush period (a POSIX timer raising
 * FLUSH_SIGNAL; one thread handles all signals with sigwait()).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FLUSH_SIGNAL  (SIGRTMIN)
#define BUDGET_SIGNAL (SIGRTMIN + 2)
#define DIAG_SIGNAL   (SIGRTMIN + 3)

struct counters {
    unsigned long packets;
    unsigned long bytes;
    unsigned long lines;
};

static struct counters g_counters;
static pthread_mutex_t g_counters_lock = PTHREAD_MUTEX_INITIALIZER;
static sigset_t g_wait_set;
static volatile sig_atomic_t g_budget_spent;
static long opt_flush_ms = 10000;
static int opt_port = 8125;
static int opt_check;

static void on_budget(int signo)
{
    g_budget_spent = signo != 0;
}

static void ms_to_timespec(long ms, struct timespec *ts)
{
    ts->tv_sec = ms / 1000;
    ts->tv_nsec = (ms % 1000) * 1000000L;
}

static int start_flush_timer(long period_ms, int signo, timer_t *out)
{
    struct sigevent sev;
    struct itimerspec its;
    timer_t t;

    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = signo;
    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
        return -1;
    ms_to_timespec(period_ms, &its.it_value);
    its.it_interval = its.it_value;
    if (timer_settime(t, 0, &its, NULL) != 0) {
        timer_delete(t);
        return -1;
    }
    *out = t;
    return 0;
}

static void release_flush_timer(timer_t t)
{
    struct itimerspec off;
    memset(&off, 0, sizeof off);
    timer_settime(t, 0, &off, NULL);
    timer_delete(t);
}

static void flush_counters(void)
{
    struct counters snap;
    pthread_mutex_lock(&g_counters_lock);
    snap = g_counters;
    memset(&g_counters, 0, sizeof g_counters);
    pthread_mutex_unlock(&g_counters_lock);
    printf("packets=%lu bytes=%lu lines=%lu\n", snap.packets, snap.bytes, snap.lines);
    fflush(stdout);
}

/* Counts how many flush signals get merged (overruns) at a short period;
 * used by the SIGUSR2 diagnostics dump. */
static int measure_overruns(long period_ms, long sample_ms, int *overruns)
{
    sigset_t set;
    siginfo_t si;
    struct timespec to;
    timer_t t;
    int total = 0, rc = -1;

    sigemptyset(&set);
    sigaddset(&set, DIAG_SIGNAL);
    if (start_flush_timer(period_ms, DIAG_SIGNAL, &t) != 0)
        return -1;
    ms_to_timespec(sample_ms, &to);
    while (sigtimedwait(&set, &si, &to) > 0) {
        total += si.si_overrun;
        if (total > 1000)
            break;
    }
    release_flush_timer(t);
    if (total > 1000) {
        fprintf(stderr, "statsd: overrun storm, giving up\n");
        goto out;
    }
    *overruns = total;
    rc = 0;
out:
    timer_delete(t); /* expect: use-after-release */
    return rc;
}

static void *signal_thread(void *arg)
{
    int signo, overruns;

    (void)arg;
    for (;;) {
        if (sigwait(&g_wait_set, &signo) != 0)
            continue;
        if (signo == FLUSH_SIGNAL) {
            flush_counters();
        } else if (signo == SIGUSR2) {
            if (measure_overruns(opt_flush_ms / 10 + 1, 1000, &overruns) == 0)
                fprintf(stderr, "statsd: %d overruns/s\n", overruns);
        } else if (signo == SIGINT || signo == SIGTERM) {
            flush_counters();
            exit(0);
        }
    }
    return NULL;
}

static int open_socket(int port)
{
    struct sockaddr_in addr;
    struct timeval tv = { 0, 100000 };
    int fd;

    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Returns 1 if a datagram was consumed, 0 on timeout, -1 on error. */
static int ingest_one(int sock)
{
    char buf[1500];
    ssize_t n, i;
    unsigned long lines = 1;

    n = recv(sock, buf, sizeof buf, 0);
    if (n < 0)
        return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    for (i = 0; i < n; i++)
        lines += buf[i] == '\n';
    pthread_mutex_lock(&g_counters_lock);
    g_counters.packets++;
    g_counters.bytes += (unsigned long)n;
    g_counters.lines += lines;
    pthread_mutex_unlock(&g_counters_lock);
    return 1;
}

/* Ingests until max_packets datagrams were read, the socket went quiet, or
 * budget_ms of process CPU time was spent. */
static int ingest_budgeted(int sock, int max_packets, long budget_ms)
{
    struct sigevent sev;
    struct itimerspec its;
    timer_t budget;
    int n = 0, r;

    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = BUDGET_SIGNAL;
    g_budget_spent = 0;
    if (timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &budget) != 0) /* expect: disarmed-not-released */
        return -1;
    its.it_interval.tv_sec = 0;
    its.it_interval.tv_nsec = 0;
    its.it_value.tv_sec = budget_ms / 1000;
    its.it_value.tv_nsec = (budget_ms % 1000) * 1000000L;
    if (timer_settime(budget, 0, &its, NULL) != 0) {
        timer_delete(budget);
        return -1;
    }

    while (n < max_packets && !g_budget_spent) {
        r = ingest_one(sock);
        if (r <= 0) {
            if (r < 0)
                n = -1;
            break;
        }
        n++;
    }

    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 0;
    timer_settime(budget, 0, &its, NULL);
    return n;
}

/* -c: verify that the flush signal arrives within one period. */
static int run_check(long period_ms)
{
    sigset_t set;
    siginfo_t si;
    struct timespec to;
    timer_t probe;

    sigemptyset(&set);
    sigaddset(&set, FLUSH_SIGNAL);
    if (start_flush_timer(period_ms, FLUSH_SIGNAL, &probe) != 0) { /* expect: missing-stop */
        perror("statsd: check timer");
        return -1;
    }
    ms_to_timespec(period_ms + 1000, &to);
    if (sigtimedwait(&set, &si, &to) < 0) {
        fprintf(stderr, "statsd: flush signal not delivered within %ld ms\n", period_ms);
        return -1;
    }
    fprintf(stderr, "statsd: timer check passed\n");
    return 0;
}

int main(int argc, char **argv)
{
    struct sigaction sa = { .sa_handler = on_budget };
    sigset_t block;
    timer_t flush_timer;
    pthread_t sig_tid;
    int sock, opt;

    while ((opt = getopt(argc, argv, "p:f:c")) != -1) {
        switch (opt) {
        case 'p': opt_port = atoi(optarg); break;
        case 'f': opt_flush_ms = atol(optarg); break;
        case 'c': opt_check = 1; break;
        default:
            fprintf(stderr, "usage: %s [-p port] [-f flush_ms] [-c]\n", argv[0]);
            return 2;
        }
    }

    sigaction(BUDGET_SIGNAL, &sa, NULL);

    sigemptyset(&block);
    sigaddset(&block, FLUSH_SIGNAL);
    sigaddset(&block, DIAG_SIGNAL);
    sigaddset(&block, SIGUSR2);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, NULL);
    g_wait_set = block;
    sigdelset(&g_wait_set, DIAG_SIGNAL);

    if (opt_check && run_check(opt_flush_ms) != 0)
        return 1;

    if ((sock = open_socket(opt_port)) < 0) {
        perror("statsd: socket");
        return 1;
    }
    if (start_flush_timer(opt_flush_ms, FLUSH_SIGNAL, &flush_timer) != 0) {
        perror("statsd: flush timer");
        close(sock);
        return 1;
    }
    if (pthread_create(&sig_tid, NULL, signal_thread, NULL) != 0) {
        fprintf(stderr, "statsd: cannot start signal thread\n");
        exit(1);
    }

    for (;;) {
        if (ingest_budgeted(sock, 256, 50) < 0) {
            perror("statsd: recv");
            exit(1);
        }
    }
}
