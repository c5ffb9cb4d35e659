// flags: -std=c++17 -fPIC -I/usr/include/x86_64-linux-gnu/qt5 -I/usr/include/x86_64-linux-gnu/qt5/QtCore -I/usr/include/aarch64-linux-gnu/qt5 -I/usr/include/aarch64-linux-gnu/qt5/QtCore
// scan: --link
/* QObject timers: startTimer() returns the id (0: none started) that
 * killTimer() stops. An id dropped, or left running on an error path of a
 * function that meant to stop it, fires timerEvent() until the object
 * dies; an id kept in a member is killed with the object. */
#include <QObject>

class Poller : public QObject {
public:
    bool bad_id_dropped();
    bool bad_error_path(bool ok);
    bool good_killed_on_every_path(bool ok);
    void good_member_id();
    void bad_kill_twice();

protected:
    void timerEvent(QTimerEvent *) override {}

private:
    int m_refresh = 0; /* killed with the object: no finding */
};

/* bad: the id is only compared: the timer can never be killed */
bool Poller::bad_id_dropped()
{
    return startTimer(100) != 0; /* expect: handle-discarded */ /* note[handle-discarded]: QObject::startTimer() called here */
}

/* bad: started, then left running when the check fails */
bool Poller::bad_error_path(bool ok)
{
    int id = startTimer(50); /* expect: missing-stop */ /* note[missing-stop]: timer 'id' created here by QObject::startTimer() */
    if (id == 0) /* note[missing-stop]: taking the false branch: 'id == 0' is false */
        return false;
    if (!ok) /* note[missing-stop]: taking the true branch: '!ok' is true */
        return false; /* note[missing-stop]: returning here without QObject::killTimer() */
    killTimer(id);
    return true;
}

/* good: killed on both paths */
bool Poller::good_killed_on_every_path(bool ok)
{
    int id = startTimer(50);
    if (id == 0)
        return false;
    killTimer(id);
    return ok;
}

/* good: a member id lives as long as the object, which kills it */
void Poller::good_member_id()
{
    m_refresh = startTimer(1000);
}

/* bad: killed twice */
void Poller::bad_kill_twice()
{
    int id = startTimer(10);
    if (id == 0) /* note[use-after-release]: taking the false branch: 'id == 0' is false */
        return;
    killTimer(id); /* note[use-after-release]: released here by QObject::killTimer() */
    killTimer(id); /* expect: use-after-release */ /* note[use-after-release]: QObject::killTimer() here */
}
