// A MISP feed published over HTTP(S), fetched into a local folder for the MISP reader
// (ingest/misp_reader.h): `manifest.json`, then one `<uuid>.json` per event it lists, as a MISP
// instance or the CIRCL OSINT feed serves them. `entente import https://host/feed/` uses it.
//
// Limits: each file at most `max_file_bytes`, at most `max_events` events; a server that sends
// more is refused, not truncated. Errors name the URL and the reason (HTTP status, size, not a
// manifest). Nothing is imported from a feed that could not be fetched whole.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace entente::exchange {

struct FeedFetchOptions {
  std::string ca_cert;  // PEM bundle to verify an https server; empty: the system's
  int64_t max_file_bytes = 64LL << 20;
  int64_t max_events = 100000;
  int timeout_seconds = 30;
};

// Whether `path` names a feed by URL (http:// or https://) rather than a file or folder.
bool IsFeedUrl(const std::string& path);

// Fetches the feed at `url` (its folder, with or without the trailing slash) into `folder`,
// which must exist. Returns the number of events fetched.
Result<int64_t> FetchMispFeed(const std::string& url, const std::string& folder,
                              const FeedFetchOptions& options = {});

}  // namespace entente::exchange
