// flags: -std=c++17
// frame_capture.cpp - camera capture service: a grabber thread, a pool of
// encoder threads, a statistics publisher, batched flushing of encoded frames
// and timerfd-driven exposure triggers.
#include <sys/timerfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace capture {

struct Frame {
    std::uint64_t seq = 0;
    std::uint64_t timestamp_ns = 0;
    std::vector<std::uint8_t> pixels;
};

struct CaptureConfig {
    std::string device = "/dev/video0";
    unsigned encoder_threads = 2;
    unsigned batch_size = 16;
    unsigned stats_interval_ms = 1000;
    std::string snapshot_dir = "/var/lib/capture";
};

template <typename F>
class ScopeExit {
public:
    explicit ScopeExit(F f) : f_(std::move(f)) {}
    ScopeExit(const ScopeExit &) = delete;
    ScopeExit &operator=(const ScopeExit &) = delete;
    ~ScopeExit() {
        if (active_)
            f_();
    }
    void dismiss() { active_ = false; }

private:
    F f_;
    bool active_ = true;
};

template <typename F>
ScopeExit<F> make_scope_exit(F f) {
    return ScopeExit<F>(std::move(f));
}

class ScopedFd {
public:
    explicit ScopedFd(int fd) : fd_(fd) {}
    ScopedFd(const ScopedFd &) = delete;
    ScopedFd &operator=(const ScopedFd &) = delete;
    ~ScopedFd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }

private:
    int fd_;
};

static itimerspec interval_spec(unsigned ms, bool periodic) {
    itimerspec its{};
    its.it_value.tv_sec = ms / 1000;
    its.it_value.tv_nsec = static_cast<long>(ms % 1000) * 1000000L;
    if (periodic)
        its.it_interval = its.it_value;
    return its;
}

static void count_ticks(int fd, unsigned want, std::atomic<unsigned> &seen) {
    while (seen.load() < want) {
        std::uint64_t n = 0;
        if (::read(fd, &n, sizeof n) != static_cast<ssize_t>(sizeof n)) {
            if (errno == EINTR)
                continue;
            return;
        }
        seen += static_cast<unsigned>(n);
    }
}

static void write_snapshot(std::string path, Frame frame) {
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f)
        return;
    std::fwrite(frame.pixels.data(), 1, frame.pixels.size(), f);
    std::fclose(f);
}

class CaptureService {
public:
    explicit CaptureService(CaptureConfig cfg) : cfg_(std::move(cfg)) {}
    ~CaptureService() { stop(); }
    CaptureService(const CaptureService &) = delete;
    CaptureService &operator=(const CaptureService &) = delete;

    bool start();
    void stop();
    void submit(Frame f);
    void snapshot(const Frame &f);
    int schedule_exposure(unsigned ms);
    bool calibrate(unsigned ticks_wanted);

private:
    void grab_loop();
    void encode_worker(unsigned idx);
    void publish_stats();
    void flush_frames(std::vector<Frame> batch);
    void wait_and_trigger(int fd);
    bool pop_frame(Frame &out);

    CaptureConfig cfg_;
    std::atomic<bool> running_{false};
    std::atomic<std::uint64_t> grabbed_{0};
    std::atomic<std::uint64_t> encoded_{0};
    std::atomic<std::uint64_t> flushed_{0};
    std::atomic<std::uint64_t> triggers_{0};
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Frame> queue_;
    std::vector<Frame> pending_;
    std::thread grab_thread_;
    std::thread stats_thread_;
    std::vector<std::thread> encoders_;
};

bool CaptureService::start() {
    if (running_.exchange(true))
        return false;
    grab_thread_ = std::thread(&CaptureService::grab_loop, this);
    encoders_.reserve(cfg_.encoder_threads);
    for (unsigned i = 0; i < cfg_.encoder_threads; ++i) {
        std::thread worker(&CaptureService::encode_worker, this, i);
        encoders_.push_back(std::move(worker));
    }
    stats_thread_ = std::thread(&CaptureService::publish_stats, this); /* expect: thread-joinable-destroyed */
    return true;
}

void CaptureService::stop() {
    if (!running_.exchange(false))
        return;
    cv_.notify_all();
    if (grab_thread_.joinable())
        grab_thread_.join();
    for (auto &t : encoders_)
        t.join();
    encoders_.clear();
}

void CaptureService::grab_loop() {
    std::uint64_t seq = 0;
    while (running_.load()) {
        Frame f;
        f.seq = seq++;
        f.timestamp_ns = static_cast<std::uint64_t>(
            std::chrono::steady_clock::now().time_since_epoch().count());
        f.pixels.resize(640 * 480);
        ++grabbed_;
        {
            std::lock_guard<std::mutex> lk(mu_);
            queue_.push_back(std::move(f));
        }
        cv_.notify_one();
        std::this_thread::sleep_for(std::chrono::milliseconds(33));
    }
}

bool CaptureService::pop_frame(Frame &out) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return !queue_.empty() || !running_.load(); });
    if (queue_.empty())
        return false;
    out = std::move(queue_.front());
    queue_.pop_front();
    return true;
}

void CaptureService::encode_worker(unsigned idx) {
    Frame f;
    while (pop_frame(f)) {
        if (f.seq % cfg_.encoder_threads != idx % cfg_.encoder_threads)
            f.pixels.shrink_to_fit();
        ++encoded_;
        submit(std::move(f));
    }
}

void CaptureService::submit(Frame f) {
    std::vector<Frame> batch;
    {
        std::lock_guard<std::mutex> lk(mu_);
        pending_.push_back(std::move(f));
        if (pending_.size() < cfg_.batch_size)
            return;
        batch.swap(pending_);
    }
    std::thread(&CaptureService::flush_frames, this, std::move(batch)); /* expect: thread-joinable-destroyed */
}

void CaptureService::flush_frames(std::vector<Frame> batch) {
    for (const Frame &f : batch)
        if (!f.pixels.empty())
            ++flushed_;
}

void CaptureService::snapshot(const Frame &f) {
    std::string path = cfg_.snapshot_dir + "/frame-" + std::to_string(f.seq) + ".raw";
    std::thread(write_snapshot, std::move(path), f).detach();
}

void CaptureService::publish_stats() {
    while (running_.load()) {
        std::fprintf(stderr, "capture %s: grabbed=%llu encoded=%llu flushed=%llu triggers=%llu\n",
                     cfg_.device.c_str(),
                     static_cast<unsigned long long>(grabbed_.load()),
                     static_cast<unsigned long long>(encoded_.load()),
                     static_cast<unsigned long long>(flushed_.load()),
                     static_cast<unsigned long long>(triggers_.load()));
        std::this_thread::sleep_for(std::chrono::milliseconds(cfg_.stats_interval_ms));
    }
}

void CaptureService::wait_and_trigger(int fd) {
    std::uint64_t n = 0;
    while (::read(fd, &n, sizeof n) < 0) {
        if (errno != EINTR)
            return;
    }
    triggers_ += n;
}

// Fire the external exposure trigger once, ms milliseconds from now.
int CaptureService::schedule_exposure(unsigned ms) {
    if (ms == 0)
        ms = 1;
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    auto close_fd = make_scope_exit([fd] { ::close(fd); }); /* expect: stop-too-late */
    const itimerspec its = interval_spec(ms, false);
    if (timerfd_settime(fd, 0, &its, nullptr) < 0)
        return -errno;
    std::thread([this, fd] { wait_and_trigger(fd); }).detach();
    return 0;
}

// Compare the monotonic and boot-time clocks over ticks_wanted 5 ms periods.
bool CaptureService::calibrate(unsigned ticks_wanted) {
    ScopedFd mono(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    ScopedFd boot(timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC));
    if (!mono.valid() || !boot.valid())
        return false;
    const itimerspec period = interval_spec(5, true);
    if (timerfd_settime(mono.get(), 0, &period, nullptr) < 0 ||
        timerfd_settime(boot.get(), 0, &period, nullptr) < 0)
        return false;

    std::atomic<unsigned> mono_ticks{0};
    std::atomic<unsigned> boot_ticks{0};
    std::thread mono_probe(count_ticks, mono.get(), ticks_wanted, std::ref(mono_ticks));
    std::thread boot_probe(count_ticks, boot.get(), ticks_wanted, std::ref(boot_ticks));
    for (std::thread *t : {&mono_probe, &boot_probe})
        t->join();

    const unsigned a = mono_ticks.load();
    const unsigned b = boot_ticks.load();
    const unsigned diff = a > b ? a - b : b - a;
    return diff <= ticks_wanted / 10;
}

} // namespace capture
