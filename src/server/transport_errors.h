// Bodies for the errors the HTTP library answers by itself, before any route runs: a request it
// could not read (400: a malformed request line or header, a body without Content-Length), a
// URI or headers too long (414, 431), a body over the limit (413). Without this they go out
// with an empty body; a client then cannot tell what was wrong.
#pragma once

namespace httplib {
class Server;
}

namespace entente::server {

// Installs the library's error handler: a response of status >= 400 that has no body gets the
// error document of its path (a TAXII error message under /taxii2/, entente's JSON error
// elsewhere, and for a request line too long to read, whose path is unknown) naming the status
// and its likely cause. Responses that have a body are untouched.
void InstallTransportErrorBodies(httplib::Server& http);

}  // namespace entente::server
