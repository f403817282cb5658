// Background work (an import job, a screening worker) yields the CPU to interactive requests:
// on a two-core node, an import running at the same priority as the request threads makes
// every match wait for CPU time.
#pragma once

namespace entente {

// Lowers the calling thread's CPU priority (Linux nice 10; threads it starts afterwards inherit
// it). Best effort: where the system refuses, the thread keeps its priority.
void RunThisThreadInTheBackground();

}  // namespace entente
