#include "common/background_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace entente {

void RunThisThreadInTheBackground() {
  // On Linux, PRIO_PROCESS with a thread id sets that thread's nice value alone.
  const id_t thread_id = static_cast<id_t>(syscall(SYS_gettid));
  (void)setpriority(PRIO_PROCESS, thread_id, 10);
}

}  // namespace entente
