#include "screen/process_owner.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "common/time.h"

namespace entente::screen {

std::string ThisHost() {
  char name[256] = {0};
  if (gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

int64_t ThisPid() { return static_cast<int64_t>(getpid()); }

bool OwnerAlive(const std::string& host, int64_t pid, int64_t heartbeat_ms,
                int64_t stale_after_ms) {
  if (pid <= 0) return false;
  if (host == ThisHost()) {
    if (pid == ThisPid()) return true;
    if (kill(static_cast<pid_t>(pid), 0) == 0) return true;
    return errno == EPERM;
  }
  return NowMillis() - heartbeat_ms < stale_after_ms;
}

}  // namespace entente::screen
