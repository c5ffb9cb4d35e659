// flags: -std=c++17
// #12 class 8: an RAII guard whose constructor keeps its argument closes
// that descriptor when it goes out of scope. A detached thread still
// reading it makes the guard's release come too late (stop-too-late at
// the guard's declaration). Joining first, or a guard over another fd, is
// no finding.
#include <sys/timerfd.h>
#include <unistd.h>

#include <cstdint>
#include <thread>

class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    ~Fd()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

extern void tick(std::uint64_t n) noexcept;

static void pump(int fd)
{
    std::uint64_t n;
    while (::read(fd, &n, sizeof n) == sizeof n)
        tick(n);
}

// bad: the guard closes fd while the detached pump reads it
void start_pump(long ms)
{
    int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return;
    Fd guard(fd); /* expect: stop-too-late */
    itimerspec its{};
    its.it_value.tv_nsec = ms * 1000000L;
    its.it_interval = its.it_value;
    if (::timerfd_settime(fd, 0, &its, nullptr) != 0)
        return;
    std::thread(pump, fd).detach();
}

// good: the pump is joined before the guard closes it
void run_pump(long ms)
{
    int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return;
    Fd guard(fd);
    itimerspec its{};
    its.it_value.tv_nsec = ms * 1000000L;
    if (::timerfd_settime(fd, 0, &its, nullptr) != 0)
        return;
    std::thread t(pump, fd);
    t.join();
}

// good: the guard owns another descriptor than the one the thread reads
void start_pump_dup(long ms)
{
    int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return;
    itimerspec its{};
    its.it_value.tv_nsec = ms * 1000000L;
    its.it_interval = its.it_value;
    if (::timerfd_settime(fd, 0, &its, nullptr) != 0) {
        ::close(fd);
        return;
    }
    int spare = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    Fd guard(spare);
    std::thread(pump, fd).detach();
}
