// Sample intelligence for the demo: two services (Morocco's DGSN-DGST and France's DGSI), a few
// thousand people with realistic Moroccan, Algerian, Tunisian, French and other names (some in
// Arabic script, many with spelling variants as aliases), organizations, phones, and two
// cross-border networks (a narcotics smuggling ring and a human-trafficking ring), plus a list
// of event accreditation applicants in which some watchlisted people hide behind other
// spellings. Deterministic: the same seed gives the same data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/codec.h"

namespace entente::demo {

inline constexpr char kMoroccanService[] = "DGSN-DGST";
inline constexpr char kFrenchService[] = "DGSI";

struct Applicant {
  std::string id;  // "APP-00001"
  std::string name;
  std::string birth_date;  // YYYY-MM-DD or empty
  std::string nationality;
  std::string id_number;
  // When the applicant was planted as a spelling of a watchlisted person: that record's id.
  std::string planted_entity_id;
};

struct SampleData {
  std::vector<Record> moroccan;  // owned by DGSN-DGST
  std::vector<Record> french;    // owned by DGSI
  std::vector<Applicant> applicants;
  // Ids of the members of the two planted networks, hub first.
  std::vector<std::string> smuggling_network;
  std::vector<std::string> trafficking_network;
  // An applicant who matches no watchlist entry strongly but shares a phone with a member of
  // the smuggling network recorded by the partner service.
  std::string linked_applicant_id;
  std::string linked_applicant_entity_id;
};

struct SampleOptions {
  int persons_per_service = 1500;
  int applicants = 2000;
  int planted_applicants = 30;
  uint32_t seed = 20240726;  // the opening day of the Paris Olympics
};

SampleData GenerateSampleData(const SampleOptions& options = {});

// A record that arrives later from the partner (for the continuous-screening step): a new
// DGSI record matching one of the applicants who had no hit.
Record LateArrivingRecord(const SampleData& data);

// Writes applicants as CSV with the screening header id,name,birth_date,nationality,id_number.
std::string ApplicantsCsv(const std::vector<Applicant>& applicants);

}  // namespace entente::demo
