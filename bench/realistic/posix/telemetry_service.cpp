// telemetry_service.cpp - in-process telemetry: periodic sampling of
// registered gauges, batching, and upload to a collector endpoint.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace telemetry {

struct Sample {
    std::string name;
    double value;
    std::chrono::system_clock::time_point at;
};

using Batch = std::vector<Sample>;

static bool post_batch(const std::string &endpoint, const Batch &batch)
{
    // Transport is provided by the embedding application; here we only
    // format the payload.
    std::string body;
    for (const auto &s : batch)
        body += s.name + "=" + std::to_string(s.value) + "\n";
    return !endpoint.empty() && !body.empty();
}

static void write_spool(const std::string &path, const Batch &batch)
{
    std::ofstream out(path, std::ios::app);
    for (const auto &s : batch)
        out << s.name << ' ' << s.value << '\n';
}

static void join_if_running(std::thread &t)
{
    if (t.joinable())
        t.join();
}

// Ships samples to the collector from a background thread.
class MetricsUploader {
public:
    explicit MetricsUploader(std::string endpoint)
        : endpoint_(std::move(endpoint)),
          running_(true),
          worker_(&MetricsUploader::loop, this) /* expect: thread-joinable-destroyed */
    {
    }

    ~MetricsUploader()
    {
        {
            std::lock_guard<std::mutex> lk(mu_);
            running_ = false;
        }
        cv_.notify_all();
    }

    void enqueue(Batch batch)
    {
        {
            std::lock_guard<std::mutex> lk(mu_);
            queue_.push_back(std::move(batch));
        }
        cv_.notify_one();
    }

private:
    void loop()
    {
        std::unique_lock<std::mutex> lk(mu_);
        while (running_) {
            cv_.wait(lk, [this] { return !queue_.empty() || !running_; });
            while (!queue_.empty()) {
                Batch b = std::move(queue_.front());
                queue_.pop_front();
                lk.unlock();
                post_batch(endpoint_, b);
                lk.lock();
            }
        }
    }

    std::string endpoint_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Batch> queue_;
    bool running_;
    std::thread worker_;
};

class TelemetryService {
public:
    TelemetryService(std::string endpoint, std::string spool_path,
                     std::chrono::milliseconds period)
        : uploader_(std::make_unique<MetricsUploader>(std::move(endpoint))),
          spool_path_(std::move(spool_path)), period_(period)
    {
    }

    ~TelemetryService() { stop(); }

    void add_gauge(const std::string &name, std::function<double()> read)
    {
        std::lock_guard<std::mutex> lk(mu_);
        gauges_[name] = std::move(read);
    }

    bool start()
    {
        if (running_.exchange(true))
            return false;
        sampler_ = std::thread(&TelemetryService::sample_loop, this);
        reporter_ = std::thread(&TelemetryService::report_loop, this);
        return true;
    }

    void stop()
    {
        if (!running_.exchange(false))
            return;
        cv_.notify_all();
        join_if_running(sampler_);
        join_if_running(reporter_);
    }

    // Writes the pending batch to the local spool file without waiting;
    // used when the collector is known to be unreachable.
    void spool_now()
    {
        Batch batch = take_batch();
        if (batch.empty())
            return;
        std::thread([path = spool_path_, b = std::move(batch)] { write_spool(path, b); }).detach();
    }

    // Uploads the pending batch right away instead of at the next period.
    void flush_now()
    {
        Batch batch = take_batch();
        if (batch.empty())
            return;
        std::thread([this, b = std::move(batch)]() mutable { uploader_->enqueue(std::move(b)); }); /* expect: thread-joinable-destroyed */
    }

private:
    Batch take_batch()
    {
        std::lock_guard<std::mutex> lk(mu_);
        Batch out;
        out.swap(pending_);
        return out;
    }

    void sample_loop()
    {
        std::unique_lock<std::mutex> lk(mu_);
        while (running_) {
            auto now = std::chrono::system_clock::now();
            for (const auto &g : gauges_)
                pending_.push_back(Sample{g.first, g.second(), now});
            cv_.wait_for(lk, period_, [this] { return !running_; });
        }
    }

    void report_loop()
    {
        std::unique_lock<std::mutex> lk(mu_);
        while (running_) {
            cv_.wait_for(lk, period_ * 6, [this] { return !running_; });
            Batch batch;
            batch.swap(pending_);
            lk.unlock();
            if (!batch.empty())
                uploader_->enqueue(std::move(batch));
            lk.lock();
        }
    }

    std::unique_ptr<MetricsUploader> uploader_;
    std::string spool_path_;
    std::chrono::milliseconds period_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::map<std::string, std::function<double()>> gauges_;
    Batch pending_;
    std::atomic<bool> running_{false};
    std::thread sampler_;
    std::thread reporter_;
};

} // namespace telemetry

int telemetry_selftest()
{
    telemetry::TelemetryService svc("http://127.0.0.1:9000/ingest", "/tmp/telemetry.spool",
                                    std::chrono::milliseconds(50));
    std::atomic<int> calls{0};
    svc.add_gauge("selftest.calls", [&calls] { return static_cast<double>(++calls); });
    if (!svc.start())
        return 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    svc.spool_now();
    svc.stop();
    return calls.load() > 0 ? 0 : 1;
}
