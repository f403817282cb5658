// What entente nodes and TAXII clients put on the wire: the TAXII 2.1 and STIX 2.1 media
// types, the largest TAXII body (API roots: taxii_roots.h), and the paths of the partner hit/no-hit protocol. The clients in
// this subsystem and the route handlers in src/api both use these, so they agree by
// construction.
//
// Thread-safety: constants only.
#pragma once

#include <cstddef>

namespace entente::exchange {

inline constexpr char kTaxiiMediaType[] = "application/taxii+json;version=2.1";
inline constexpr char kStixMediaType[] = "application/stix+json;version=2.1";
inline constexpr size_t kTaxiiMaxContentLength = 64u << 20;

namespace hitnohit {

inline constexpr char kHitNoHitPath[] = "/partner/v1/hitnohit";
inline constexpr char kFollowupsPath[] = "/partner/v1/hitnohit/followups";

}  // namespace hitnohit
}  // namespace entente::exchange
