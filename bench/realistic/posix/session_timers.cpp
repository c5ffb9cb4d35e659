// session_timers.cpp - per-session expiry for an authentication front end.
//
// Each open session has a POSIX timer (SIGEV_THREAD) that fires when the
// session's TTL runs out; the expiry callback hands the session id to the
// registered eviction hook.

#include <signal.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace auth {

using SessionId = std::uint32_t;

struct ExpiryTimer {
    timer_t id;
    SessionId owner;
    bool armed;
};

static itimerspec ttl_spec(std::chrono::seconds ttl)
{
    itimerspec its{};
    its.it_value.tv_sec = static_cast<time_t>(ttl.count());
    return its;
}

// Disarms and deletes a session timer.
static void retire_timer(timer_t id)
{
    itimerspec off{};
    ::timer_settime(id, 0, &off, nullptr);
    ::timer_delete(id);
}

class SessionTable {
public:
    using EvictHook = std::function<void(SessionId)>;

    SessionTable(std::size_t limit, EvictHook hook) : limit_(limit), hook_(std::move(hook)) {}
    ~SessionTable();

    bool open(SessionId id, std::chrono::seconds ttl);
    bool extend(SessionId id, std::chrono::seconds ttl);
    void close(SessionId id);
    std::size_t size();

    static bool supports_boottime();

private:
    static void on_expiry(union sigval sv);
    void expired(SessionId id);

    std::mutex mu_;
    std::unordered_map<SessionId, ExpiryTimer *> timers_;
    std::size_t limit_;
    EvictHook hook_;
};

struct ExpiryCookie {
    SessionTable *table;
    SessionId id;
};

static std::mutex g_cookie_mu;
static std::vector<ExpiryCookie> g_cookies(4096);

void SessionTable::on_expiry(union sigval sv)
{
    ExpiryCookie c;
    {
        std::lock_guard<std::mutex> lk(g_cookie_mu);
        c = g_cookies[static_cast<std::size_t>(sv.sival_int) % g_cookies.size()];
    }
    if (c.table)
        c.table->expired(c.id);
}

void SessionTable::expired(SessionId id)
{
    {
        std::lock_guard<std::mutex> lk(mu_);
        auto it = timers_.find(id);
        if (it == timers_.end())
            return;
        it->second->armed = false;
    }
    if (hook_)
        hook_(id);
}

bool SessionTable::open(SessionId id, std::chrono::seconds ttl)
{
    auto *et = new ExpiryTimer{};
    et->owner = id;

    {
        std::lock_guard<std::mutex> lk(g_cookie_mu);
        g_cookies[id % g_cookies.size()] = ExpiryCookie{this, id};
    }
    sigevent sev{};
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = &SessionTable::on_expiry;
    sev.sigev_value.sival_int = static_cast<int>(id % g_cookies.size());
    if (::timer_create(CLOCK_MONOTONIC, &sev, &et->id) != 0) { /* expect: missing-stop */
        delete et;
        return false;
    }
    itimerspec its = ttl_spec(ttl);
    if (::timer_settime(et->id, 0, &its, nullptr) != 0) {
        ::timer_delete(et->id);
        delete et;
        return false;
    }
    et->armed = true;

    std::lock_guard<std::mutex> lk(mu_);
    if (timers_.size() >= limit_ || timers_.count(id) != 0) {
        delete et;
        return false;
    }
    timers_.emplace(id, et);
    return true;
}

bool SessionTable::extend(SessionId id, std::chrono::seconds ttl)
{
    std::lock_guard<std::mutex> lk(mu_);
    auto it = timers_.find(id);
    if (it == timers_.end())
        return false;
    itimerspec its = ttl_spec(ttl);
    if (::timer_settime(it->second->id, 0, &its, nullptr) != 0)
        return false;
    it->second->armed = true;
    return true;
}

void SessionTable::close(SessionId id)
{
    ExpiryTimer *et = nullptr;
    {
        std::lock_guard<std::mutex> lk(mu_);
        auto it = timers_.find(id);
        if (it == timers_.end())
            return;
        et = it->second;
        timers_.erase(it);
    }
    retire_timer(et->id);
    if (et->armed) {
        itimerspec off{};
        ::timer_settime(et->id, 0, &off, nullptr); /* expect: use-after-release */
    }
    delete et;
}

std::size_t SessionTable::size()
{
    std::lock_guard<std::mutex> lk(mu_);
    return timers_.size();
}

SessionTable::~SessionTable()
{
    std::lock_guard<std::mutex> lk(mu_);
    for (auto &entry : timers_) {
        retire_timer(entry.second->id);
        delete entry.second;
    }
    timers_.clear();
}

// Sessions only survive a suspend/resume cycle with CLOCK_BOOTTIME timers;
// checks that the kernel accepts and arms one.
bool SessionTable::supports_boottime()
{
    sigevent sev{};
    timer_t probe;

    sev.sigev_notify = SIGEV_NONE;
    if (::timer_create(CLOCK_BOOTTIME, &sev, &probe) != 0) /* expect: disarmed-not-released */
        return false;

    struct itimerspec its = {0};
    its.it_value.tv_sec = 3600;
    bool ok = ::timer_settime(probe, 0, &its, nullptr) == 0;

    struct itimerspec stop = {0};
    ::timer_settime(probe, 0, &stop, nullptr);
    return ok;
}

} // namespace auth

int session_demo()
{
    std::vector<auth::SessionId> evicted;
    std::mutex mu;
    auth::SessionTable table(128, [&](auth::SessionId id) {
        std::lock_guard<std::mutex> lk(mu);
        evicted.push_back(id);
    });

    if (!auth::SessionTable::supports_boottime())
        std::fprintf(stderr, "sessions: CLOCK_BOOTTIME timers unavailable\n");
    for (auth::SessionId id = 1; id <= 8; ++id)
        table.open(id, std::chrono::seconds(30));
    table.extend(3, std::chrono::seconds(60));
    table.close(5);
    return static_cast<int>(table.size());
}
