// flags: -std=c++17
// replica_sync.cpp - replication agent: parallel shard fetch, index rebuild,
// snapshot transfer under a deadline, per-peer liveness and catch-up pacing.
#include <signal.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace replica {

class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : fd_(fd) {}
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_;
};

struct TimerDeleter {
    using pointer = timer_t;
    void operator()(timer_t t) const noexcept { timer_delete(t); }
};
using TimerPtr = std::unique_ptr<std::remove_pointer_t<timer_t>, TimerDeleter>;

struct Peer {
    std::string host;
    std::uint16_t port = 0;
    int liveness_fd = -1;
    int pace_fd = -1;
    std::atomic<bool> alive{false};
    std::atomic<std::uint64_t> applied{0};
    std::atomic<std::uint64_t> target{0};
    std::atomic<std::uint64_t> last_heartbeat{0};
};

static itimerspec period_spec(unsigned ms) {
    if (ms == 0)
        ms = 1;
    itimerspec its{};
    its.it_value.tv_sec = ms / 1000;
    its.it_value.tv_nsec = static_cast<long>(ms % 1000) * 1000000L;
    its.it_interval = its.it_value;
    return its;
}

static std::uint64_t drain_expirations(int fd) {
    std::uint64_t n = 0;
    return ::read(fd, &n, sizeof n) == static_cast<ssize_t>(sizeof n) ? n : 0;
}

static void report_progress(timer_t deadline, std::string host) {
    itimerspec left{};
    do {
        if (timer_gettime(deadline, &left) != 0)
            return;
        std::fprintf(stderr, "replica: snapshot from %s, %lds left\n", host.c_str(),
                     static_cast<long>(left.it_value.tv_sec));
        std::this_thread::sleep_for(std::chrono::seconds(1));
    } while (left.it_value.tv_sec != 0 || left.it_value.tv_nsec != 0);
}

class LagMonitor {
public:
    explicit LagMonitor(std::function<std::uint64_t()> probe) : probe_(std::move(probe)) {}
    ~LagMonitor() {
        stop_.store(true);
        if (thread_.joinable())
            thread_.join();
    }
    void start() {
        if (thread_.joinable())
            return;
        thread_ = std::thread(&LagMonitor::run, this);
    }
    std::uint64_t worst() const { return worst_.load(); }
private:
    void run() {
        while (!stop_.load()) {
            const std::uint64_t lag = probe_();
            if (lag > worst_.load())
                worst_.store(lag);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    std::function<std::uint64_t()> probe_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> worst_{0};
    std::thread thread_;
};

class ReplicaSync {
public:
    ~ReplicaSync() { stop(); }

    Peer &add_peer(std::string host, std::uint16_t port);
    bool fetch_all(const std::vector<std::string> &shards, std::chrono::milliseconds budget);
    bool rebuild_indexes(const std::vector<std::string> &tables, std::chrono::milliseconds budget);
    bool sync_snapshot(Peer &peer, unsigned deadline_s);
    int watch_peer(Peer &peer, unsigned period_ms);
    int start_catchup(Peer &peer, unsigned pace_ms);
    void stop();

private:
    void fetch_shard(const std::string &shard, std::atomic<std::size_t> &done);
    void rebuild_table(const std::string &table, const std::atomic<bool> &cancel,
                       std::atomic<std::size_t> &done);
    void liveness_loop(Peer *peer);
    void catchup_loop(Peer *peer);
    bool transfer_snapshot(Peer &peer);
    static bool wait_for(const std::atomic<std::size_t> &done, std::size_t want,
                         std::chrono::milliseconds budget);

    std::atomic<bool> stopping_{false};
    std::mutex mu_;
    std::vector<std::unique_ptr<Peer>> peers_;
    std::vector<std::thread> peer_threads_;
};

Peer &ReplicaSync::add_peer(std::string host, std::uint16_t port) {
    auto p = std::make_unique<Peer>();
    p->host = std::move(host);
    p->port = port;
    std::lock_guard<std::mutex> lk(mu_);
    peers_.push_back(std::move(p));
    return *peers_.back();
}

bool ReplicaSync::wait_for(const std::atomic<std::size_t> &done, std::size_t want,
                           std::chrono::milliseconds budget) {
    const auto until = std::chrono::steady_clock::now() + budget;
    while (done.load() < want) {
        if (std::chrono::steady_clock::now() >= until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

void ReplicaSync::fetch_shard(const std::string &shard, std::atomic<std::size_t> &done) {
    std::fprintf(stderr, "replica: fetching shard %s\n", shard.c_str());
    ++done;
}

bool ReplicaSync::fetch_all(const std::vector<std::string> &shards,
                            std::chrono::milliseconds budget) {
    std::atomic<std::size_t> done{0};
    std::vector<std::thread> fetchers;
    fetchers.reserve(shards.size());
    for (const auto &s : shards)
        fetchers.emplace_back(&ReplicaSync::fetch_shard, this, std::cref(s), std::ref(done)); /* expect: thread-joinable-destroyed */
    if (!wait_for(done, shards.size(), budget)) {
        std::fprintf(stderr, "replica: shard fetch over budget\n");
        return false;
    }
    for (auto &t : fetchers)
        t.join();
    return true;
}

void ReplicaSync::rebuild_table(const std::string &table, const std::atomic<bool> &cancel,
                                std::atomic<std::size_t> &done) {
    for (int pass = 0; pass < 4 && !cancel.load(); ++pass)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!cancel.load())
        std::fprintf(stderr, "replica: rebuilt %s\n", table.c_str());
    ++done;
}

bool ReplicaSync::rebuild_indexes(const std::vector<std::string> &tables,
                                  std::chrono::milliseconds budget) {
    std::atomic<bool> cancel{false};
    std::atomic<std::size_t> done{0};
    LagMonitor lag([&] { return static_cast<std::uint64_t>(tables.size() - done.load()); });
    lag.start();

    std::vector<std::thread> builders;
    for (const auto &t : tables)
        builders.emplace_back(&ReplicaSync::rebuild_table, this, std::cref(t), std::cref(cancel),
                              std::ref(done));
    const bool finished = wait_for(done, tables.size(), budget);
    if (!finished)
        cancel.store(true);
    for (auto &b : builders)
        if (b.joinable())
            b.join();
    std::fprintf(stderr, "replica: rebuild %s, worst backlog %llu\n",
                 finished ? "done" : "cancelled", static_cast<unsigned long long>(lag.worst()));
    return finished;
}

bool ReplicaSync::transfer_snapshot(Peer &peer) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    peer.applied.store(peer.target.load());
    return true;
}

bool ReplicaSync::sync_snapshot(Peer &peer, unsigned deadline_s) {
    sigevent sev{};
    sev.sigev_notify = SIGEV_NONE;
    timer_t raw = nullptr;
    if (timer_create(CLOCK_MONOTONIC, &sev, &raw) != 0)
        return false;
    TimerPtr deadline(raw); /* expect: stop-too-late */
    itimerspec its{};
    its.it_value.tv_sec = deadline_s ? deadline_s : 1;
    if (timer_settime(deadline.get(), 0, &its, nullptr) != 0)
        return false;
    std::thread(report_progress, deadline.get(), peer.host).detach();
    return transfer_snapshot(peer);
}

void ReplicaSync::liveness_loop(Peer *peer) {
    while (!stopping_.load()) {
        if (drain_expirations(peer->liveness_fd) == 0)
            continue;
        const auto now = static_cast<std::uint64_t>(
            std::chrono::steady_clock::now().time_since_epoch().count());
        peer->alive.store(now - peer->last_heartbeat.load() < 3000000000ULL);
    }
}

void ReplicaSync::catchup_loop(Peer *peer) {
    while (!stopping_.load() && peer->applied.load() < peer->target.load()) {
        const std::uint64_t slots = drain_expirations(peer->pace_fd);
        if (slots == 0)
            break;
        peer->applied += slots;
    }
}

int ReplicaSync::watch_peer(Peer &peer, unsigned period_ms) {
    UniqueFd fd(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    if (!fd)
        return -errno;
    const itimerspec its = period_spec(period_ms);
    if (timerfd_settime(fd.get(), 0, &its, nullptr) < 0)
        return -errno;
    std::lock_guard<std::mutex> lk(mu_);
    peer.liveness_fd = fd.release();
    peer_threads_.emplace_back(&ReplicaSync::liveness_loop, this, &peer);
    return 0;
}

int ReplicaSync::start_catchup(Peer &peer, unsigned pace_ms) {
    UniqueFd pacer(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)); /* expect: stop-too-late */
    if (!pacer)
        return -errno;
    const itimerspec its = period_spec(pace_ms);
    if (timerfd_settime(pacer.get(), 0, &its, nullptr) < 0)
        return -errno;
    std::lock_guard<std::mutex> lk(mu_);
    peer.pace_fd = pacer.get();
    peer_threads_.emplace_back(&ReplicaSync::catchup_loop, this, &peer);
    return 0;
}

void ReplicaSync::stop() {
    stopping_.store(true);
    std::vector<std::thread> threads;
    {
        std::lock_guard<std::mutex> lk(mu_);
        threads.swap(peer_threads_);
    }
    for (auto &t : threads)
        if (t.joinable())
            t.join();
    std::lock_guard<std::mutex> lk(mu_);
    for (auto &p : peers_) {
        if (p->liveness_fd >= 0)
            ::close(p->liveness_fd);
        p->liveness_fd = -1;
        p->pace_fd = -1;
    }
}

} // namespace replica
