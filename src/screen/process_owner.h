// Who is running a job or holding a lock: this host's name and this process's id, and whether
// a recorded owner is still alive. A process killed with kill -9 leaves its owner row behind;
// the next run sees that the process is gone and takes over.
// Thread-safety: pure functions over the OS.
#pragma once

#include <cstdint>
#include <string>

namespace entente::screen {

std::string ThisHost();
int64_t ThisPid();
// True when (host, pid) names a live process. On this host: asks the kernel. On another host
// the answer cannot be known: alive unless its last heartbeat is older than `stale_after_ms`.
bool OwnerAlive(const std::string& host, int64_t pid, int64_t heartbeat_ms,
                int64_t stale_after_ms = 10 * 60 * 1000);

}  // namespace entente::screen
