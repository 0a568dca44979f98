// thread_priority.cpp: lower_current_thread_priority (declared in the public engine.h).
#include <ponder/engine.h>

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <pthread.h>
#include <sys/qos.h>
#elif defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace ponder {

void lower_current_thread_priority() {
#if defined(_WIN32)
    SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
#elif defined(__APPLE__)
    pthread_set_qos_class_self_np(QOS_CLASS_UTILITY, 0);
#elif defined(__linux__)
    // On Linux a nice value belongs to a thread (its tid), not to the whole process.
    const pid_t tid = gettid();
    const int now = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    setpriority(PRIO_PROCESS, static_cast<id_t>(tid), now + 5 > 19 ? 19 : now + 5);
#endif
}

}  // namespace ponder
