// flags: -std=c++20
// sampler_jthread.cpp - periodic CPU sampler and heartbeat emitter built on
// timerfds, std::jthread and small RAII owners for the descriptors.

#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

namespace monitor {

// Owns a timerfd and closes it on destruction.
class TimerFd {
public:
    explicit TimerFd(int fd) noexcept : fd_(fd) {}
    ~TimerFd()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    TimerFd(const TimerFd &) = delete;
    TimerFd &operator=(const TimerFd &) = delete;

    int get() const noexcept { return fd_; }
    bool valid() const noexcept { return fd_ >= 0; }

private:
    int fd_;
};

static itimerspec periodic(std::chrono::milliseconds period)
{
    itimerspec its{};
    its.it_value.tv_sec = static_cast<time_t>(period.count() / 1000);
    its.it_value.tv_nsec = static_cast<long>(period.count() % 1000) * 1000000L;
    its.it_interval = its.it_value;
    return its;
}

static double read_process_cpu_seconds()
{
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Waits up to timeout_ms for the timerfd to expire; returns the number of
// expirations, 0 on timeout.
static std::uint64_t wait_ticks(int fd, int timeout_ms)
{
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, timeout_ms) <= 0)
        return 0;
    std::uint64_t n = 0;
    if (::read(fd, &n, sizeof n) != static_cast<ssize_t>(sizeof n))
        return 0;
    return n;
}

class CpuSampler {
public:
    explicit CpuSampler(std::chrono::milliseconds period)
        : period_(period), thread_([this](std::stop_token st) { run(st); })
    {
    }

    std::vector<double> snapshot() const
    {
        std::lock_guard<std::mutex> lk(mu_);
        return samples_;
    }

private:
    void run(std::stop_token st)
    {
        TimerFd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
        if (!timer.valid())
            return;
        itimerspec its = periodic(period_);
        if (::timerfd_settime(timer.get(), 0, &its, nullptr) != 0)
            return;

        double last = read_process_cpu_seconds();
        while (!st.stop_requested()) {
            if (wait_ticks(timer.get(), 100) == 0)
                continue;
            double now = read_process_cpu_seconds();
            std::lock_guard<std::mutex> lk(mu_);
            samples_.push_back(now - last);
            if (samples_.size() > 600)
                samples_.erase(samples_.begin());
            last = now;
        }
    }

    std::chrono::milliseconds period_;
    mutable std::mutex mu_;
    std::vector<double> samples_;
    std::jthread thread_;
};

class HeartbeatSink {
public:
    virtual ~HeartbeatSink() = default;
    virtual void beat(int seq) = 0;
    virtual bool ready(std::chrono::milliseconds timeout) = 0;
};

class HeartbeatEmitter {
public:
    explicit HeartbeatEmitter(std::shared_ptr<HeartbeatSink> sink) : sink_(std::move(sink)) {}

    // Emits `count` heartbeats `interval` apart in the background.
    void burst(int count, std::chrono::milliseconds interval)
    {
        int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        if (fd < 0)
            return;
        TimerFd timer(fd); /* expect: stop-too-late */
        itimerspec its = periodic(interval);
        if (::timerfd_settime(fd, 0, &its, nullptr) != 0)
            return;

        std::thread([fd, count, sink = sink_] {
            for (int seq = 0; seq < count; ++seq) {
                std::uint64_t n = 0;
                if (::read(fd, &n, sizeof n) != static_cast<ssize_t>(sizeof n))
                    break;
                sink->beat(seq);
            }
        }).detach();
    }

    // Emits heartbeats until `count` were sent, the sink stops being ready,
    // or the caller's deadline passes; returns how many were sent.
    int burst_bounded(int count, std::chrono::milliseconds interval,
                      std::chrono::milliseconds ready_timeout)
    {
        int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (fd < 0)
            return 0;
        TimerFd timer(fd);
        itimerspec its = periodic(interval);
        if (::timerfd_settime(fd, 0, &its, nullptr) != 0)
            return 0;

        auto sent = std::make_shared<int>(0);
        std::jthread beats([fd, count, sent, sink = sink_](std::stop_token st) {
            while (*sent < count && !st.stop_requested()) {
                if (wait_ticks(fd, 50) == 0)
                    continue;
                sink->beat(*sent);
                ++*sent;
            }
        });

        if (!sink_->ready(ready_timeout))
            return 0;
        beats.join();
        return *sent;
    }

private:
    std::shared_ptr<HeartbeatSink> sink_;
};

} // namespace monitor

namespace {

class StdoutSink : public monitor::HeartbeatSink {
public:
    void beat(int seq) override { std::printf("beat %d\n", seq); }
    bool ready(std::chrono::milliseconds) override { return true; }
};

} // namespace

int heartbeat_demo()
{
    auto sink = std::make_shared<StdoutSink>();
    monitor::HeartbeatEmitter emitter(sink);
    monitor::CpuSampler sampler(std::chrono::milliseconds(20));

    int sent = emitter.burst_bounded(5, std::chrono::milliseconds(10), std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::printf("sent %d, %zu cpu samples\n", sent, sampler.snapshot().size());
    return sent == 5 ? 0 : 1;
}
