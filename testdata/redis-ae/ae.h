/* ae.h: declarations shaped like Redis's src/ae.h (the time-event part):
 * aeCreateTimeEvent() returns an id (AE_ERR on failure), deleted with
 * aeDeleteTimeEvent(); a time proc returning AE_NOMORE ends the event
 * itself. Only what the testdata needs. */
#ifndef TESTDATA_AE_H
#define TESTDATA_AE_H

#define AE_OK 0
#define AE_ERR -1

#define AE_FILE_EVENTS 1
#define AE_TIME_EVENTS 2
#define AE_ALL_EVENTS (AE_FILE_EVENTS | AE_TIME_EVENTS)
#define AE_DONT_WAIT 4

#define AE_NOMORE -1

#define AE_NOTUSED(V) ((void)V)

struct aeEventLoop;

typedef int aeTimeProc(struct aeEventLoop *eventLoop, long long id, void *clientData);
typedef void aeEventFinalizerProc(struct aeEventLoop *eventLoop, void *clientData);

typedef struct aeEventLoop aeEventLoop;

aeEventLoop *aeCreateEventLoop(int setsize);
void aeDeleteEventLoop(aeEventLoop *eventLoop);
long long aeCreateTimeEvent(aeEventLoop *eventLoop, long long milliseconds,
                            aeTimeProc *proc, void *clientData,
                            aeEventFinalizerProc *finalizerProc);
int aeDeleteTimeEvent(aeEventLoop *eventLoop, long long id);
int aeProcessEvents(aeEventLoop *eventLoop, int flags);
void aeMain(aeEventLoop *eventLoop);

#endif
