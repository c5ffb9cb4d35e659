// flags: -std=c++17
//
// Sharded in-memory cache with a TTL per entry. Misses are queued per shard
// and filled by one loader thread per shard; a janitor evicts expired
// entries; optional background threads snapshot the cache and log counters.

#include <pthread.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

template <class F>
class ScopeExit {
public:
    explicit ScopeExit(F f) : f_(std::move(f)) {}
    ScopeExit(const ScopeExit &) = delete;
    ScopeExit &operator=(const ScopeExit &) = delete;
    ~ScopeExit() { f_(); }

private:
    F f_;
};

template <class F>
ScopeExit<F> finally(F f)
{
    return ScopeExit<F>(std::move(f));
}

static void join_quietly(std::thread &t)
{
    if (t.joinable())
        t.join();
}

class ExpiringCache {
public:
    using Clock = std::chrono::steady_clock;
    using Loader = std::function<std::optional<std::string>(const std::string &)>;

    struct Options {
        std::size_t shards = 4;
        std::chrono::milliseconds ttl{30000};
        std::chrono::milliseconds sweep_every{1000};
        bool log_stats = false;
        std::string snapshot_path;
    };

    ExpiringCache(Options opts, Loader loader);
    ~ExpiringCache();

    std::optional<std::string> get(const std::string &key);
    void put(const std::string &key, std::string value);
    void start_background();
    bool snapshot(const std::string &path);
    std::size_t purge_expired_parallel();
    void schedule_warmup(std::chrono::milliseconds delay, std::vector<std::string> keys);
    void report_async(std::function<void(std::uint64_t, std::uint64_t)> sink) const;

private:
    struct Entry {
        std::string value;
        Clock::time_point expires;
    };
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::string, Entry> map;
        std::deque<std::string> misses;
    };

    Shard &shard_for(const std::string &key) { return shards_[std::hash<std::string>{}(key) % shards_.size()]; }
    bool stopping() { std::lock_guard<std::mutex> lk(mu_); return stopping_; }
    bool sleep_unless_stopping(std::chrono::milliseconds d);
    void loader_loop(std::size_t index);
    void janitor_loop();
    void snapshot_loop();
    void stats_loop();
    std::size_t purge_range(std::size_t first, std::size_t last) noexcept;
    std::vector<std::pair<std::string, std::string>> collect_live();

    Options opts_;
    Loader loader_;
    std::vector<Shard> shards_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool background_started_ = false;
    std::atomic<std::uint64_t> hits_{0}, misses_{0};
    std::vector<std::thread> loaders_;
    std::thread janitor_;
    std::thread snapshotter_;
    std::thread stats_;
};

ExpiringCache::ExpiringCache(Options opts, Loader loader)
    : opts_(std::move(opts)), loader_(std::move(loader)), shards_(opts_.shards ? opts_.shards : 1)
{
    loaders_.reserve(shards_.size());
    for (std::size_t i = 0; i < shards_.size(); ++i)
        loaders_.emplace_back(&ExpiringCache::loader_loop, this, i);

    std::thread janitor(&ExpiringCache::janitor_loop, this);
    pthread_setname_np(janitor.native_handle(), "cache-janitor");
    janitor_ = std::move(janitor);
}

ExpiringCache::~ExpiringCache()
{
    {
        std::lock_guard<std::mutex> lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto &t : loaders_)
        t.join();
    janitor_.join();
    if (snapshotter_.joinable())
        snapshotter_.join();
    if (stats_.joinable())
        stats_.join();
}

bool ExpiringCache::sleep_unless_stopping(std::chrono::milliseconds d)
{
    std::unique_lock<std::mutex> lk(mu_);
    return !cv_.wait_for(lk, d, [this] { return stopping_; });
}

std::optional<std::string> ExpiringCache::get(const std::string &key)
{
    Shard &sh = shard_for(key);
    std::lock_guard<std::mutex> g(sh.mu);
    auto it = sh.map.find(key);
    if (it != sh.map.end() && it->second.expires > Clock::now()) {
        ++hits_;
        return it->second.value;
    }
    ++misses_;
    sh.misses.push_back(key);
    return std::nullopt;
}

void ExpiringCache::put(const std::string &key, std::string value)
{
    Shard &sh = shard_for(key);
    std::lock_guard<std::mutex> g(sh.mu);
    sh.map[key] = Entry{std::move(value), Clock::now() + opts_.ttl};
}

void ExpiringCache::loader_loop(std::size_t index)
{
    Shard &sh = shards_[index];
    while (sleep_unless_stopping(opts_.sweep_every)) {
        std::deque<std::string> todo;
        {
            std::lock_guard<std::mutex> g(sh.mu);
            todo.swap(sh.misses);
        }
        for (const auto &key : todo)
            if (auto v = loader_(key))
                put(key, std::move(*v));
    }
}

std::size_t ExpiringCache::purge_range(std::size_t first, std::size_t last) noexcept
{
    std::size_t purged = 0;
    const auto now = Clock::now();
    for (std::size_t i = first; i < last; ++i) {
        std::lock_guard<std::mutex> g(shards_[i].mu);
        for (auto it = shards_[i].map.begin(); it != shards_[i].map.end();) {
            if (it->second.expires <= now) {
                it = shards_[i].map.erase(it);
                ++purged;
            } else {
                ++it;
            }
        }
    }
    return purged;
}

void ExpiringCache::janitor_loop()
{
    while (sleep_unless_stopping(opts_.sweep_every))
        purge_range(0, shards_.size());
}

void ExpiringCache::snapshot_loop()
{
    while (sleep_unless_stopping(std::chrono::minutes(5)))
        snapshot(opts_.snapshot_path);
}

void ExpiringCache::stats_loop()
{
    while (sleep_unless_stopping(std::chrono::seconds(60)))
        std::fprintf(stderr, "cache: %llu hits, %llu misses\n",
                     static_cast<unsigned long long>(hits_.load()),
                     static_cast<unsigned long long>(misses_.load()));
}

void ExpiringCache::start_background()
{
    std::lock_guard<std::mutex> lk(mu_);
    if (background_started_)
        return;
    background_started_ = true;
    snapshotter_ = std::thread(&ExpiringCache::snapshot_loop, this); /* expect: thread-joinable-destroyed */
    if (opts_.log_stats)
        snapshotter_ = std::thread(&ExpiringCache::stats_loop, this);
}

std::vector<std::pair<std::string, std::string>> ExpiringCache::collect_live()
{
    std::vector<std::pair<std::string, std::string>> rows;
    const auto now = Clock::now();
    for (auto &sh : shards_) {
        std::lock_guard<std::mutex> g(sh.mu);
        for (const auto &kv : sh.map)
            if (kv.second.expires > now)
                rows.emplace_back(kv.first, kv.second.value);
    }
    return rows;
}

// The file is written on a helper thread while this one sweeps expired entries.
bool ExpiringCache::snapshot(const std::string &path)
{
    const auto rows = collect_live();
    bool written = false;
    std::thread writer([&path, &rows, &written] { /* expect: thread-joinable-destroyed */
        std::ofstream out(path, std::ios::trunc);
        for (const auto &r : rows)
            out << r.first << '\t' << r.second << '\n';
        written = static_cast<bool>(out);
    });
    const std::size_t purged = purge_range(0, shards_.size());
    if (stopping())
        return false; // shutting down: nobody will read this snapshot
    writer.join();
    std::fprintf(stderr, "cache: snapshot of %zu entries, %zu purged\n", rows.size(), purged);
    return written;
}

// Used when the janitor fell behind: this thread sweeps one half, a helper the other.
std::size_t ExpiringCache::purge_expired_parallel()
{
    const std::size_t mid = shards_.size() / 2;
    std::size_t upper = 0;
    std::thread helper([this, mid, &upper] { upper = purge_range(mid, shards_.size()); });
    const std::size_t lower = purge_range(0, mid);
    join_quietly(helper);
    return lower + upper;
}

// Warm the given keys a little after start-up, off the request path.
void ExpiringCache::schedule_warmup(std::chrono::milliseconds delay, std::vector<std::string> keys)
{
    const int tfd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (tfd < 0)
        return;
    auto close_timer = finally([tfd] { ::close(tfd); }); /* expect: stop-too-late */

    itimerspec its{};
    its.it_value.tv_sec = static_cast<time_t>(delay.count() / 1000);
    its.it_value.tv_nsec = static_cast<long>(delay.count() % 1000) * 1000000L;
    if (::timerfd_settime(tfd, 0, &its, nullptr) < 0)
        return;

    std::thread([this, tfd, keys = std::move(keys)] {
        std::uint64_t expirations = 0;
        if (::read(tfd, &expirations, sizeof expirations) != static_cast<ssize_t>(sizeof expirations))
            return;
        for (const auto &k : keys)
            if (auto v = loader_(k))
                put(k, std::move(*v));
    }).detach();
}

// Fire and forget: the sink gets copies of the counters, nothing of the cache.
void ExpiringCache::report_async(std::function<void(std::uint64_t, std::uint64_t)> sink) const
{
    std::thread([sink = std::move(sink), h = hits_.load(), m = misses_.load()] { sink(h, m); }).detach();
}
