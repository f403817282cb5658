// The PostgreSQL ChangeSignal: LISTEN on a connection of its own, woken by the socket (poll(2))
// rather than by polling the feed. Reconnects after PostgreSQL restarts.
#pragma once

#include <memory>
#include <string>

#include "store/change_signal.h"

namespace entente {

// Connects with `conninfo` and LISTENs on `channel` (a plain identifier). Unavailable naming the
// target (without its password) when PostgreSQL cannot be reached.
Result<std::unique_ptr<ChangeSignal>> ListenPostgres(const std::string& conninfo,
                                                     const std::string& channel);

}  // namespace entente
