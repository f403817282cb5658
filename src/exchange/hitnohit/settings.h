// Hit/no-hit settings for one partner: the [hitnohit] table of its sharing agreement (the same
// TOML file as exchange/agreement.h), read by this code, not by the agreement parser. Every key
// is optional; defaults in brackets:
//
//   [hitnohit]
//   enabled = true              # answer this partner's queries at all [true]
//   categories = ["*"]          # searchable threat categories [share.categories]
//   types = ["person", "organization"]   # searchable record types [both]
//   max_tlp = "AMBER"           # most restrictive TLP still searchable [share.max_tlp]
//   release_max_tlp = "AMBER"   # most a follow-up approval may release [share.max_tlp]
//   quota_per_day = 10000       # queries per UTC day (429 beyond) [10000]
//   rate_per_minute = 60        # requests per minute (429 beyond) [120]
//   max_batch = 1000            # queries per request (400 beyond) [1000]
//   reference_ttl_hours = 720   # how long a hit's reference can be followed up [720]
//   threshold = 0.80            # plaintext hit threshold [MatchIndex::DefaultThreshold()]
//   privacy_threshold = 0.75    # privacy-mode hit threshold [kDefaultPrivacyThreshold]
//   privacy = "allowed"         # "off", "allowed" or "required" [allowed when a secret is set]
//   secret_env = "ENTENTE_HNH_SECRET_DGSI"   # environment variable holding the shared secret
//   secret_file = "dgsi.hnh-secret"          # or a file holding it (first line)
//
// The searchable scope may be wider than what is shared outright (a hit reveals only that a
// record exists); follow-up releases still go through the agreement's field rules (drop,
// redact). The secret itself never goes into the agreement text.
//
// Because the agreement parser of the exchange may reject unknown tables, an override of the
// whole [hitnohit] table can also be stored per partner in this node's database
// (`entente hitnohit settings PARTNER --file FILE`, HitNoHitStore::PutSettingsText); when
// present it wins.
//
// Thread-safety: values and pure functions.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/status.h"
#include "exchange/agreement.h"
#include "model/types.h"

namespace entente::exchange::hitnohit {

// Calibrated on screening_dev (docs/HITNOHIT.md): Dice plus date adjustments.
inline constexpr double kDefaultPrivacyThreshold = 0.75;

enum class PrivacyMode { kOff, kAllowed, kRequired };
std::string_view PrivacyModeName(PrivacyMode mode);

struct HitNoHitSettings {
  bool enabled = true;
  std::set<ThreatCategory> categories;
  bool all_categories = false;
  std::set<std::string> types = {"person", "organization"};
  Tlp max_tlp = Tlp::kGreen;
  Tlp release_max_tlp = Tlp::kGreen;
  int64_t quota_per_day = 10000;
  int64_t rate_per_minute = 120;
  int max_batch = 1000;
  int64_t reference_ttl_seconds = 720 * 3600;
  double threshold = 0.80;
  double privacy_threshold = kDefaultPrivacyThreshold;
  PrivacyMode privacy = PrivacyMode::kAllowed;
  std::string secret_env;
  std::string secret_file;
};

// Reads the [hitnohit] table of `toml_text` (absent: all defaults) over the defaults taken from
// `agreement` (share categories and TLP). InvalidArgument naming `origin`, the key and why on
// a bad value or an unknown key inside [hitnohit]; other tables are ignored.
Result<HitNoHitSettings> ParseSettings(const Agreement& agreement, std::string_view toml_text,
                                       std::string_view origin);
// Same, from the agreement's own text.
Result<HitNoHitSettings> SettingsFromAgreement(const Agreement& agreement);

// The shared secret: from secret_env, else secret_file (first line, trimmed). NotFound when
// neither is set or the variable is empty; IOError when the file cannot be read.
Result<std::string> LoadSecret(const HitNoHitSettings& settings);

}  // namespace entente::exchange::hitnohit
