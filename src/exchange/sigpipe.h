// Keeps a peer that closes its socket early from killing this process. OpenSSL writes to
// sockets with write(2), which raises SIGPIPE on a closed connection; its default action ends
// the process. Every exchange client (TAXII sync, hit/no-hit ask and follow-up) calls this
// before it opens a connection, so that `entente sync` and `entente ask` fail the write with an
// error instead of dying; `entente serve` does the same for the server side.
//
// Thread-safety: safe to call from any thread, any number of times.
#pragma once

namespace entente::exchange {

// Sets SIGPIPE to "ignore" when it still has its default action; a handler the host program
// installed is left alone. The write then fails with EPIPE, which the caller reports.
void IgnoreSigpipe();

}  // namespace entente::exchange
