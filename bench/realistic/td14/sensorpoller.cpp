// flags: -std=c++17 -fPIC -I/usr/include/x86_64-linux-gnu/qt5 -I/usr/include/x86_64-linux-gnu/qt5/QtCore
// sensorpoller: reads a serial humidity sensor at a fixed rate and keeps a
// rolling log that can be exported to disk.
#include <QByteArray>
#include <QCoreApplication>
#include <QDebug>
#include <QFile>
#include <QHash>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <QTimerEvent>

#include <thread>

namespace {
constexpr int kPollIntervalMs = 200;
constexpr int kProbeTimeoutMs = 1500;
constexpr int kCalibIntervalMs = 50;
constexpr int kCalibSamples = 20;
constexpr int kRetryBaseMs = 500;
constexpr int kMaxLogBytes = 64 * 1024;
}

class SensorPoller : public QObject
{
public:
    explicit SensorPoller(const QString &devicePath, QObject *parent = nullptr);
    ~SensorPoller() override;

    bool start();
    void stop();
    void setPollInterval(int ms);
    void startCalibration();
    void scheduleRetry(int attempt);
    void flushAsync(const QString &path);
    bool exportLog(const QString &path, const QString &mirror);
    void compressArchive(const QString &dir);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    bool openDevice();
    bool probeDevice();
    void readSample();
    void writeLog(QString path, QByteArray data);

    QFile m_dev;
    QTimer *m_heartbeat = nullptr;
    int m_pollTimer = 0;
    int m_probeTimer = 0;
    int m_calibTicks = 0;
    QHash<int, int> m_retries; // timer id -> attempt number
    QByteArray m_log;
    std::thread m_flusher;
};

SensorPoller::SensorPoller(const QString &devicePath, QObject *parent)
    : QObject(parent), m_dev(devicePath)
{
    // owned by this object, deleted with it
    m_heartbeat = new QTimer(this);
    m_heartbeat->setInterval(1000);
    connect(m_heartbeat, &QTimer::timeout, this, [this] {
        qDebug() << "sensor: alive," << m_log.size() << "bytes logged";
    });
}

SensorPoller::~SensorPoller()
{
    stop();
    if (m_flusher.joinable())
        m_flusher.join();
    // timers still registered with startTimer() die with the QObject
}

bool SensorPoller::openDevice()
{
    if (m_dev.isOpen())
        return true;
    if (!m_dev.open(QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        qWarning() << "sensor: cannot open" << m_dev.fileName() << m_dev.errorString();
        return false;
    }
    return true;
}

bool SensorPoller::probeDevice()
{
    // fires if the sensor does not answer the identify request in time
    const int probeId = startTimer(kProbeTimeoutMs); /* expect: missing-stop */
    if (probeId == 0)
        return false;

    const QByteArray ident("ID?\r\n");
    if (m_dev.write(ident) != ident.size()) {
        qWarning() << "sensor: identify request failed:" << m_dev.errorString();
        return false;
    }
    m_probeTimer = probeId;
    return true;
}

bool SensorPoller::start()
{
    if (!openDevice())
        return false;

    const int poll = startTimer(kPollIntervalMs);
    if (poll == 0) {
        m_dev.close();
        return false;
    }
    if (!probeDevice()) {
        killTimer(poll);
        m_dev.close();
        return false;
    }
    m_pollTimer = poll;
    m_heartbeat->start();
    return true;
}

void SensorPoller::stop()
{
    if (m_pollTimer) {
        killTimer(m_pollTimer);
        m_pollTimer = 0;
    }
    if (m_probeTimer) {
        killTimer(m_probeTimer);
        m_probeTimer = 0;
    }
    m_heartbeat->stop();
    m_dev.close();
}

void SensorPoller::setPollInterval(int ms)
{
    const int id = startTimer(ms);
    if (id == 0) {
        qWarning() << "sensor: keeping the old poll interval";
        return;
    }
    if (m_pollTimer)
        killTimer(m_pollTimer);
    m_pollTimer = id;
}

void SensorPoller::startCalibration()
{
    m_calibTicks = 0;
    // sample faster for a short while; timerEvent() counts the ticks
    startTimer(kCalibIntervalMs, Qt::PreciseTimer); /* expect: handle-discarded */
}

void SensorPoller::scheduleRetry(int attempt)
{
    const int id = startTimer(kRetryBaseMs << qMin(attempt, 5));
    if (id != 0)
        m_retries.insert(id, attempt);
}

void SensorPoller::readSample()
{
    const QByteArray line = m_dev.readLine(128);
    if (line.isEmpty())
        return;
    if (m_probeTimer) {
        // the first answer is the identify reply
        killTimer(m_probeTimer);
        m_probeTimer = 0;
        qDebug() << "sensor: found" << line.trimmed();
        return;
    }
    m_log += line;
    if (m_log.size() > kMaxLogBytes)
        m_log.remove(0, m_log.size() - kMaxLogBytes);
}

void SensorPoller::timerEvent(QTimerEvent *event)
{
    const int id = event->timerId();

    if (id == m_pollTimer) {
        readSample();
    } else if (id == m_probeTimer) {
        qWarning() << "sensor: no answer to identify request";
        killTimer(m_probeTimer);
        m_probeTimer = 0;
        stop();
        scheduleRetry(0);
    } else if (m_retries.contains(id)) {
        // a retry timer is used once
        const int attempt = m_retries.take(id);
        killTimer(id);
        if (!start())
            scheduleRetry(attempt + 1);
    } else {
        if (++m_calibTicks == kCalibSamples)
            qDebug() << "sensor: calibration done";
        readSample();
    }
}

void SensorPoller::writeLog(QString path, QByteArray data)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Append)) {
        qWarning() << "sensor: cannot write" << path;
        return;
    }
    out.write(data);
}

void SensorPoller::flushAsync(const QString &path)
{
    if (m_flusher.joinable())
        m_flusher.join(); // the previous flush is done, or finishes now
    m_flusher = std::thread(&SensorPoller::writeLog, this, path, m_log);
    m_log.clear();
}

// Export the log to `path`, and also to `mirror` when one is configured.
bool SensorPoller::exportLog(const QString &path, const QString &mirror)
{
    std::thread primary(&SensorPoller::writeLog, this, path, m_log); /* expect: thread-joinable-destroyed */
    if (!mirror.isEmpty()) {
        QFile copy(mirror);
        if (!copy.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            qWarning() << "sensor: cannot open mirror" << mirror;
            return false;
        }
        copy.write(m_log);
    }
    primary.join();
    m_log.clear();
    return true;
}

void SensorPoller::compressArchive(const QString &dir)
{
    QThread *worker = QThread::create([dir] {
        QFile marker(dir + QStringLiteral("/.compressed"));
        if (marker.open(QIODevice::WriteOnly))
            marker.write("1\n");
    });
    // the thread object deletes itself once the work is done
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start(QThread::LowPriority);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString device = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("/dev/ttyUSB0");

    SensorPoller poller(device);
    if (!poller.start())
        poller.scheduleRetry(0);

    QTimer::singleShot(2000, &poller, [&poller] { poller.startCalibration(); });
    QTimer::singleShot(60000, &poller, [&poller] { poller.flushAsync(QStringLiteral("/var/log/sensor.log")); });
    QTimer::singleShot(3600000, &poller, [&poller] { poller.compressArchive(QStringLiteral("/var/log/sensor")); });
    return app.exec();
}
