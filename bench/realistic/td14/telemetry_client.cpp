// flags: -std=c++17 -pthread
// telemetry_client: pushes counter lines to a collector over TCP, keeps the
// connection alive with a heartbeat and reconnects with back-off.
#include <asio.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using asio::ip::tcp;

namespace {

// Joins the thread it watches when the scope ends, whichever way it ends.
struct JoinOnExit {
    std::thread &t;
    ~JoinOnExit()
    {
        if (t.joinable())
            t.join();
    }
};

} // namespace

class TelemetryClient {
public:
    TelemetryClient(std::string host, std::string port);
    ~TelemetryClient();

    bool start();
    void run() { io_.run(); }
    void stop();
    void send(std::string line);
    void reportLater(std::chrono::seconds delay, std::string line);
    void pulse(int count);
    void warmup(int count);
    void measureRtt(int samples);

private:
    void connect();
    void scheduleReconnect();
    void armHeartbeat();

    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    tcp::socket socket_;
    tcp::resolver resolver_;
    asio::steady_timer heartbeat_;
    asio::steady_timer reconnect_;
    std::thread ioThread_;
    std::string host_, port_;
    std::chrono::seconds backoff_{1};
    std::atomic<bool> connected_{false};
};

TelemetryClient::TelemetryClient(std::string host, std::string port)
    : work_(asio::make_work_guard(io_)), socket_(io_), resolver_(io_), heartbeat_(io_),
      reconnect_(io_), host_(std::move(host)), port_(std::move(port))
{
}

TelemetryClient::~TelemetryClient()
{
    stop();
}

bool TelemetryClient::start()
{
    if (ioThread_.joinable())
        return false;
    ioThread_ = std::thread([this] { io_.run(); });
    asio::post(io_, [this] { connect(); });
    return true;
}

void TelemetryClient::stop()
{
    asio::post(io_, [this] {
        heartbeat_.cancel();
        reconnect_.cancel();
        asio::error_code ignored;
        socket_.close(ignored);
    });
    work_.reset();
    if (ioThread_.joinable())
        ioThread_.join();
}

void TelemetryClient::connect()
{
    resolver_.async_resolve(host_, port_, [this](const asio::error_code &ec, tcp::resolver::results_type results) {
        if (ec) {
            scheduleReconnect();
            return;
        }
        asio::async_connect(socket_, results, [this](const asio::error_code &e, const tcp::endpoint &) {
            if (e) {
                scheduleReconnect();
                return;
            }
            connected_ = true;
            backoff_ = 1s;
            armHeartbeat();
        });
    });
}

void TelemetryClient::scheduleReconnect()
{
    connected_ = false;
    reconnect_.expires_after(backoff_);
    backoff_ = std::min<std::chrono::seconds>(backoff_ * 2, 60s);
    reconnect_.async_wait([this](const asio::error_code &ec) {
        if (!ec)
            connect();
    });
}

void TelemetryClient::armHeartbeat()
{
    heartbeat_.expires_after(5s);
    heartbeat_.async_wait([this](const asio::error_code &ec) {
        if (ec)
            return;
        send("PING\n");
        armHeartbeat();
    });
}

void TelemetryClient::send(std::string line)
{
    asio::post(io_, [this, line = std::move(line)] {
        if (!connected_)
            return;
        auto buf = std::make_shared<std::string>(line);
        asio::async_write(socket_, asio::buffer(*buf), [buf](const asio::error_code &, std::size_t) {});
    });
}

// Reports once after `delay`; the timer lives as long as its own handler.
void TelemetryClient::reportLater(std::chrono::seconds delay, std::string line)
{
    auto timer = std::make_shared<asio::steady_timer>(io_, delay);
    timer->async_wait([this, timer, line = std::move(line)](const asio::error_code &ec) {
        if (!ec)
            send(line);
    });
}

// `--pulse N`: N pings at a fixed pace, from a helper thread so that the
// caller is not held up.
void TelemetryClient::pulse(int count)
{
    asio::steady_timer beat(io_); /* expect: stop-too-late */
    std::thread ticker([this, &beat, count] {
        for (int i = 0; i < count; ++i) {
            beat.expires_after(200ms);
            beat.wait();
            send("PING\n");
        }
    });
    ticker.detach();
}

// Before the first report: a few pings to open the path, then wait for them.
void TelemetryClient::warmup(int count)
{
    asio::steady_timer gap(io_);
    std::thread sender([this, &gap, count] {
        for (int i = 0; i < count; ++i) {
            gap.expires_after(50ms);
            gap.wait();
            send("PING\n");
        }
    });
    JoinOnExit join{sender};

    std::printf("telemetry: warming up with %d pings\n", count);
}

// `--rtt N`: time N round trips on the heartbeat pace.
void TelemetryClient::measureRtt(int samples)
{
    std::thread prober;
    JoinOnExit join{prober};
    asio::steady_timer pace(io_); /* expect: stop-too-late */

    prober = std::thread([this, &pace, samples] {
        for (int i = 0; i < samples; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            send("RTT\n");
            pace.expires_after(100ms);
            pace.wait();
            const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
            std::printf("rtt %d: %lld us\n", i, static_cast<long long>(us.count()));
        }
    });
}

// `--check`: can the collector be reached at all?  Gives up after 2 s.
static bool probe_collector(const std::string &host, const std::string &port)
{
    asio::io_context io;
    tcp::socket sock(io);
    asio::steady_timer deadline(io);
    tcp::resolver resolver(io);
    asio::error_code ec;
    bool connected = false;

    const auto endpoints = resolver.resolve(host, port, ec);
    if (ec)
        return false;

    asio::async_connect(sock, endpoints, [&](const asio::error_code &e, const tcp::endpoint &) {
        connected = !e;
        deadline.cancel();
    });
    deadline.expires_after(2s);
    deadline.async_wait([&sock](const asio::error_code &e) {
        if (!e) {
            asio::error_code ignored;
            sock.close(ignored);
        }
    });
    io.run();
    return connected;
}

// `--replay FILE`: send a spool file written while the collector was down.
static int run_replay(TelemetryClient &client, const char *path)
{
    std::thread loop([&client] { client.run(); }); /* expect: thread-joinable-destroyed */
    std::FILE *f = std::fopen(path, "r");
    if (!f) {
        std::perror(path);
        return 1;
    }
    char line[512];
    while (std::fgets(line, sizeof(line), f))
        client.send(line);
    std::fclose(f);
    client.stop();
    loop.join();
    return 0;
}

int main(int argc, char **argv)
{
    const std::string host = argc > 1 ? argv[1] : "127.0.0.1";
    const std::string port = argc > 2 ? argv[2] : "2003";
    const char *mode = argc > 3 ? argv[3] : "";

    if (std::strcmp(mode, "--check") == 0)
        return probe_collector(host, port) ? 0 : 1;

    TelemetryClient client(host, port);
    if (std::strcmp(mode, "--replay") == 0 && argc > 4)
        return run_replay(client, argv[4]);

    if (!client.start())
        return 1;
    client.warmup(3);
    if (std::strcmp(mode, "--pulse") == 0)
        client.pulse(argc > 4 ? std::atoi(argv[4]) : 10);
    else if (std::strcmp(mode, "--rtt") == 0)
        client.measureRtt(argc > 4 ? std::atoi(argv[4]) : 10);
    client.reportLater(30s, "client.up 1\n");
    std::this_thread::sleep_for(60s);
    client.stop();
    return 0;
}
