#include "ingest/sdn_remarks.h"

#include <algorithm>

#include "common/text.h"
#include "ingest/country_names.h"

namespace entente::ingest {
namespace {

struct DocumentLabel {
  std::string_view label;  // as written in the remarks, without a leading "alt. "
  std::string_view type;   // IdentityDocumentInfo::type
};

// Longest labels first, so "Diplomatic Passport" wins over "Passport".
constexpr DocumentLabel kDocumentLabels[] = {
    {"Tazkira National ID Card", "national-id"},
    {"Turkish Identification Number", "national-id"},
    {"Business Registration Number", "registration-number"},
    {"Commercial Registry Number", "registration-number"},
    {"Birth Certificate Number", "birth-certificate"},
    {"National Foreign ID Number", "national-id"},
    {"Travel Document Number", "travel-document"},
    {"Electoral Registry No.", "voter-id"},
    {"Diplomatic Passport", "diplomatic-passport"},
    {"Legal Entity Number", "registration-number"},
    {"Registration Number", "registration-number"},
    {"Identification Number", "national-id"},
    {"Citizen's Card Number", "national-id"},
    {"Driver's License No.", "drivers-license"},
    {"Residency Number", "residence-permit"},
    {"Personal ID Card", "national-id"},
    {"National ID No.", "national-id"},
    {"Registration ID", "registration-number"},
    {"Company Number", "registration-number"},
    {"V.A.T. Number", "tax-id"},
    {"Kenyan ID No.", "national-id"},
    {"Tax ID No.", "tax-id"},
    {"Cedula No.", "national-id"},
    {"C.U.R.P.", "national-id"},
    {"Passport", "passport"},
    {"C.R. No.", "registration-number"},
    {"R.F.C.", "tax-id"},
    {"D.N.I.", "national-id"},
    {"NIT #", "tax-id"},
    {"RUC #", "tax-id"},
    {"SSN", "social-security-number"},
};

struct AttributeLabel {
  std::string_view label;
  std::string_view attribute;
};

constexpr AttributeLabel kAttributeLabels[] = {
    {"Vessel Registration Identification IMO", "imo_number"},
    {"Aircraft Manufacturer's Serial Number (MSN)", "aircraft_serial_number"},
    {"Aircraft Manufacturer's Serial Number", "aircraft_serial_number"},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)",
     "aircraft_construction_number"},
    {"Aircraft Construction Number", "aircraft_construction_number"},
    {"Aircraft Tail Number", "aircraft_tail_number"},
    {"Aircraft Model", "aircraft_model"},
    {"Aircraft Operator", "aircraft_operator"},
    {"Email Address", "email"},
    {"Website", "website"},
    {"Phone Number", "phone"},
    {"Telephone No.", "phone"},
    {"Telephone", "phone"},
    {"Phone", "phone"},
    {"Fax No.", "fax"},
    {"Fax", "fax"},
    {"MMSI", "mmsi"},
    {"Organization Established Date", "established"},
    {"Organization Type:", "organization_type"},
    {"Target Type", "target_type"},
    {"Digital Currency Address - XBT", "digital_currency_address"},
    {"Digital Currency Address - ETH", "digital_currency_address"},
    {"Digital Currency Address - USDT", "digital_currency_address"},
    {"Nationality of Registration", "registration_country"},
    {"Title", "title"},
};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix &&
         (text[prefix.size()] == ' ' || prefix.back() == ':');
}

std::string_view After(std::string_view text, std::string_view prefix) {
  return Trim(text.substr(prefix.size()));
}

void AddAttribute(std::map<std::string, std::string>* attributes, std::string_view key,
                  std::string_view value) {
  std::string& slot = (*attributes)[std::string(key)];
  if (!slot.empty()) slot.push_back('|');
  slot += value;
}

// "10 Dec 1948", "1960 to 1962", "01 Jan 1961 to 31 Dec 1963", "circa 1948".
void ParseBirthDate(std::string_view text, SdnRemarks* out) {
  auto add = [&](std::string_view one) {
    auto date = PartialDate::ParseLoose(one);
    if (!date) return false;
    if (std::find(out->birth_dates.begin(), out->birth_dates.end(), *date) ==
        out->birth_dates.end())
      out->birth_dates.push_back(*date);
    return true;
  };
  size_t to = text.find(" to ");
  bool ok = to == std::string_view::npos
                ? add(text)
                : (add(Trim(text.substr(0, to))) & add(Trim(text.substr(to + 4))));
  if (!ok) out->unparsed_birth_dates.emplace_back(text);
}

void AddCountry(std::string_view name, SdnRemarks* out) {
  std::string code = CountryCodeForName(name);
  if (code.empty()) {
    out->unknown_countries.emplace_back(name);
    return;
  }
  if (std::find(out->nationalities.begin(), out->nationalities.end(), code) ==
      out->nationalities.end())
    out->nationalities.push_back(std::move(code));
}

// "<number> [(<country>)] [issued <date>] [expires <date>]".
IdentityDocumentInfo ParseDocument(std::string_view type, std::string_view text) {
  IdentityDocumentInfo document;
  document.type = std::string(type);
  std::string_view rest = text;
  size_t expires = rest.find(" expires ");
  if (expires != std::string_view::npos) {
    if (auto d = PartialDate::ParseLoose(rest.substr(expires + 9)); d && d->day)
      document.valid_until = d->ToString();
    rest = rest.substr(0, expires);
  }
  size_t issued = rest.find(" issued ");
  if (issued != std::string_view::npos) {
    if (auto d = PartialDate::ParseLoose(rest.substr(issued + 8)); d && d->day)
      document.valid_from = d->ToString();
    rest = rest.substr(0, issued);
  }
  rest = Trim(rest);
  size_t open = rest.rfind(" (");
  if (open != std::string_view::npos && rest.back() == ')') {
    std::string country = CountryCodeForName(rest.substr(open + 2, rest.size() - open - 3));
    if (!country.empty()) {
      document.country = country;
      rest = Trim(rest.substr(0, open));
    }
  }
  document.number = std::string(rest);
  return document;
}

// The quoted name of "a.k.a. 'AL-QAIDA'" (quotes optional).
std::string QuotedName(std::string_view text) {
  text = Trim(text);
  if (text.size() >= 2 && text.front() == '\'') {
    size_t close = text.rfind('\'');
    if (close > 0) return std::string(Trim(text.substr(1, close - 1)));
  }
  return std::string(text);
}

}  // namespace

SdnRemarks ParseSdnRemarks(std::string_view remarks) {
  SdnRemarks out;
  size_t start = 0;
  while (start <= remarks.size()) {
    size_t end = remarks.find(';', start);
    if (end == std::string_view::npos) end = remarks.size();
    std::string_view part = Trim(remarks.substr(start, end - start));
    start = end + 1;
    if (part.empty() || part == "-0-") continue;
    // The last statement carries the remarks' closing full stop.
    std::string_view plain = part;
    if (plain.back() == '.') plain.remove_suffix(1);
    if (plain.substr(0, 5) == "alt. ") plain = Trim(plain.substr(5));
    if (StartsWith(plain, "DOB")) {
      ParseBirthDate(After(plain, "DOB"), &out);
    } else if (StartsWith(plain, "POB")) {
      out.birth_places.emplace_back(After(plain, "POB"));
    } else if (StartsWith(plain, "nationality")) {
      AddCountry(After(plain, "nationality"), &out);
    } else if (StartsWith(plain, "citizen")) {
      AddCountry(After(plain, "citizen"), &out);
    } else if (StartsWith(plain, "Gender")) {
      auto gender = ParseGender(After(plain, "Gender"));
      if (gender) out.gender = *gender;
    } else if (StartsWith(plain, "Linked To:")) {
      out.linked_to.emplace_back(After(plain, "Linked To:"));
    } else if (StartsWith(plain, "a.k.a.") || StartsWith(plain, "f.k.a.") ||
               StartsWith(plain, "n.k.a.")) {
      std::string name = QuotedName(plain.substr(6));
      if (!name.empty()) out.weak_aliases.push_back(std::move(name));
    } else {
      bool matched = false;
      for (const DocumentLabel& label : kDocumentLabels) {
        if (StartsWith(plain, label.label)) {
          IdentityDocumentInfo document = ParseDocument(label.type, After(plain, label.label));
          if (!document.number.empty()) out.documents.push_back(std::move(document));
          matched = true;
          break;
        }
      }
      if (matched) continue;
      for (const AttributeLabel& label : kAttributeLabels) {
        if (StartsWith(plain, label.label)) {
          AddAttribute(&out.attributes, label.attribute, After(plain, label.label));
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace entente::ingest
