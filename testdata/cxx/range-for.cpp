// flags: -std=c++17
// Range-based for loops are loops (#12 class 6): a timerfd left open by a
// `continue` is created again on the next element; one closed before each
// continue, or threads joined element by element, are no finding.
#include <sys/timerfd.h>
#include <unistd.h>

#include <cstdint>
#include <thread>
#include <vector>

struct Job {
    long delay_ms;
    bool urgent;
};

extern void run_job(const Job &j) noexcept; // no unwind paths here: exceptions are another file's subject

// bad: a failed arm skips to the next job with the fd open
int wait_jobs(const std::vector<Job> &jobs)
{
    int done = 0;
    for (const auto &job : jobs) {
        int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: created-in-loop */
        if (fd < 0)
            continue;
        itimerspec its{};
        its.it_value.tv_sec = job.delay_ms / 1000;
        if (timerfd_settime(fd, 0, &its, nullptr) != 0)
            continue;
        std::uint64_t n;
        if (read(fd, &n, sizeof n) == sizeof n)
            run_job(job), ++done;
        close(fd);
    }
    return done;
}

// good: closed before every continue
int wait_jobs_closed(const std::vector<Job> &jobs)
{
    int done = 0;
    for (const Job &job : jobs) {
        int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        if (fd < 0)
            continue;
        itimerspec its{};
        its.it_value.tv_sec = job.delay_ms / 1000;
        if (job.urgent || timerfd_settime(fd, 0, &its, nullptr) != 0) {
            close(fd);
            continue;
        }
        std::uint64_t n;
        if (read(fd, &n, sizeof n) == sizeof n)
            run_job(job), ++done;
        close(fd);
    }
    return done;
}

// good: every thread joined through the loop's reference
void run_all(const std::vector<Job> &jobs)
{
    std::vector<std::thread> ts;
    for (const auto &job : jobs)
        ts.emplace_back(run_job, job);
    for (auto &t : ts)
        t.join();
}
