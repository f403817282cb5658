#include "ingest/country_names.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "common/text.h"
#include "model/country.h"

namespace entente::ingest {
namespace {

struct CountryEntry {
  const char* code;
  const char* name;  // English short name, the one CountryNameForCode returns
  const char* alt;   // further names, '|' separated; may be empty
  const char* alpha3;
};

// ISO 3166-1, plus the spellings the SDN, UN and FtM data use.
constexpr CountryEntry kCountries[] = {
    {"AD", "Andorra", "", "AND"},
    {"AE", "United Arab Emirates", "UAE|U.A.E.", "ARE"},
    {"AF", "Afghanistan", "", "AFG"},
    {"AG", "Antigua and Barbuda", "", "ATG"},
    {"AI", "Anguilla", "", "AIA"},
    {"AL", "Albania", "", "ALB"},
    {"AM", "Armenia", "", "ARM"},
    {"AO", "Angola", "", "AGO"},
    {"AQ", "Antarctica", "", "ATA"},
    {"AR", "Argentina", "", "ARG"},
    {"AS", "American Samoa", "", "ASM"},
    {"AT", "Austria", "", "AUT"},
    {"AU", "Australia", "", "AUS"},
    {"AW", "Aruba", "", "ABW"},
    {"AX", "Aland Islands", "Åland Islands", "ALA"},
    {"AZ", "Azerbaijan", "", "AZE"},
    {"BA", "Bosnia and Herzegovina", "Bosnia-Herzegovina|Bosnia", "BIH"},
    {"BB", "Barbados", "", "BRB"},
    {"BD", "Bangladesh", "", "BGD"},
    {"BE", "Belgium", "", "BEL"},
    {"BF", "Burkina Faso", "", "BFA"},
    {"BG", "Bulgaria", "", "BGR"},
    {"BH", "Bahrain", "", "BHR"},
    {"BI", "Burundi", "", "BDI"},
    {"BJ", "Benin", "", "BEN"},
    {"BL", "Saint Barthelemy", "Saint Barthélemy", "BLM"},
    {"BM", "Bermuda", "", "BMU"},
    {"BN", "Brunei", "Brunei Darussalam", "BRN"},
    {"BO", "Bolivia", "Bolivia (Plurinational State of)|Plurinational State of Bolivia", "BOL"},
    {"BQ", "Bonaire, Sint Eustatius and Saba", "Caribbean Netherlands", "BES"},
    {"BR", "Brazil", "", "BRA"},
    {"BS", "Bahamas", "The Bahamas|Bahamas, The", "BHS"},
    {"BT", "Bhutan", "", "BTN"},
    {"BV", "Bouvet Island", "", "BVT"},
    {"BW", "Botswana", "", "BWA"},
    {"BY", "Belarus", "Byelorussia", "BLR"},
    {"BZ", "Belize", "", "BLZ"},
    {"CA", "Canada", "", "CAN"},
    {"CC", "Cocos (Keeling) Islands", "Cocos Islands", "CCK"},
    {"CD", "Democratic Republic of the Congo",
     "Congo, Democratic Republic of the|DRC|DR Congo|Congo-Kinshasa|Zaire|Congo (Kinshasa)", "COD"},
    {"CF", "Central African Republic", "CAR", "CAF"},
    {"CG", "Congo",
     "Republic of the Congo|Congo, Republic of the|Congo-Brazzaville|Congo (Brazzaville)", "COG"},
    {"CH", "Switzerland", "", "CHE"},
    {"CI", "Cote d'Ivoire", "Côte d'Ivoire|Cote d Ivoire|Ivory Coast", "CIV"},
    {"CK", "Cook Islands", "", "COK"},
    {"CL", "Chile", "", "CHL"},
    {"CM", "Cameroon", "", "CMR"},
    {"CN", "China", "People's Republic of China|PRC|Region: China", "CHN"},
    {"CO", "Colombia", "", "COL"},
    {"CR", "Costa Rica", "", "CRI"},
    {"CU", "Cuba", "", "CUB"},
    {"CV", "Cabo Verde", "Cape Verde", "CPV"},
    {"CW", "Curacao", "Curaçao", "CUW"},
    {"CX", "Christmas Island", "", "CXR"},
    {"CY", "Cyprus", "", "CYP"},
    {"CZ", "Czechia", "Czech Republic", "CZE"},
    {"DE", "Germany", "Federal Republic of Germany", "DEU"},
    {"DJ", "Djibouti", "", "DJI"},
    {"DK", "Denmark", "", "DNK"},
    {"DM", "Dominica", "", "DMA"},
    {"DO", "Dominican Republic", "", "DOM"},
    {"DZ", "Algeria", "People's Democratic Republic of Algeria|Algérie", "DZA"},
    {"EC", "Ecuador", "", "ECU"},
    {"EE", "Estonia", "", "EST"},
    {"EG", "Egypt", "Arab Republic of Egypt", "EGY"},
    {"EH", "Western Sahara", "", "ESH"},
    {"ER", "Eritrea", "", "ERI"},
    {"ES", "Spain", "España", "ESP"},
    {"ET", "Ethiopia", "", "ETH"},
    {"FI", "Finland", "", "FIN"},
    {"FJ", "Fiji", "", "FJI"},
    {"FK", "Falkland Islands", "Falkland Islands (Malvinas)", "FLK"},
    {"FM", "Micronesia",
     "Micronesia (Federated States of)|Federated States of Micronesia|"
     "Micronesia, Federated States of",
     "FSM"},
    {"FO", "Faroe Islands", "", "FRO"},
    {"FR", "France", "French Republic", "FRA"},
    {"GA", "Gabon", "", "GAB"},
    {"GB", "United Kingdom",
     "United Kingdom of Great Britain and Northern Ireland|UK|Great "
     "Britain|Britain|England|Scotland|"
     "Wales|Northern Ireland",
     "GBR"},
    {"GD", "Grenada", "", "GRD"},
    {"GE", "Georgia", "", "GEO"},
    {"GF", "French Guiana", "", "GUF"},
    {"GG", "Guernsey", "", "GGY"},
    {"GH", "Ghana", "", "GHA"},
    {"GI", "Gibraltar", "", "GIB"},
    {"GL", "Greenland", "", "GRL"},
    {"GM", "Gambia", "The Gambia|Gambia, The", "GMB"},
    {"GN", "Guinea", "", "GIN"},
    {"GP", "Guadeloupe", "", "GLP"},
    {"GQ", "Equatorial Guinea", "", "GNQ"},
    {"GR", "Greece", "", "GRC"},
    {"GS", "South Georgia and the South Sandwich Islands", "", "SGS"},
    {"GT", "Guatemala", "", "GTM"},
    {"GU", "Guam", "", "GUM"},
    {"GW", "Guinea-Bissau", "", "GNB"},
    {"GY", "Guyana", "", "GUY"},
    {"HK", "Hong Kong",
     "China, Hong Kong Special Administrative Region|"
     "Hong Kong Special Administrative Region|Hong Kong SAR",
     "HKG"},
    {"HM", "Heard Island and McDonald Islands", "", "HMD"},
    {"HN", "Honduras", "", "HND"},
    {"HR", "Croatia", "", "HRV"},
    {"HT", "Haiti", "", "HTI"},
    {"HU", "Hungary", "", "HUN"},
    {"ID", "Indonesia", "", "IDN"},
    {"IE", "Ireland", "", "IRL"},
    {"IL", "Israel", "", "ISR"},
    {"IM", "Isle of Man", "Man, Isle of", "IMN"},
    {"IN", "India", "", "IND"},
    {"IO", "British Indian Ocean Territory", "", "IOT"},
    {"IQ", "Iraq", "", "IRQ"},
    {"IR", "Iran", "Iran (Islamic Republic of)|Islamic Republic of Iran|Iran, Islamic Republic of",
     "IRN"},
    {"IS", "Iceland", "", "ISL"},
    {"IT", "Italy", "", "ITA"},
    {"JE", "Jersey", "", "JEY"},
    {"JM", "Jamaica", "", "JAM"},
    {"JO", "Jordan", "", "JOR"},
    {"JP", "Japan", "", "JPN"},
    {"KE", "Kenya", "", "KEN"},
    {"KG", "Kyrgyzstan", "Kyrgyz Republic", "KGZ"},
    {"KH", "Cambodia", "", "KHM"},
    {"KI", "Kiribati", "", "KIR"},
    {"KM", "Comoros", "", "COM"},
    {"KN", "Saint Kitts and Nevis", "St. Kitts and Nevis", "KNA"},
    {"KP", "North Korea",
     "Korea, North|Democratic People's Republic of Korea|DPRK|Korea, Democratic People's Republic "
     "of|"
     "Korea (Democratic People's Republic of)",
     "PRK"},
    {"KR", "South Korea", "Korea, South|Republic of Korea|Korea, Republic of|Korea (Republic of)",
     "KOR"},
    {"KW", "Kuwait", "", "KWT"},
    {"KY", "Cayman Islands", "", "CYM"},
    {"KZ", "Kazakhstan", "", "KAZ"},
    {"LA", "Laos", "Lao People's Democratic Republic|Lao PDR", "LAO"},
    {"LB", "Lebanon", "", "LBN"},
    {"LC", "Saint Lucia", "St. Lucia", "LCA"},
    {"LI", "Liechtenstein", "", "LIE"},
    {"LK", "Sri Lanka", "", "LKA"},
    {"LR", "Liberia", "", "LBR"},
    {"LS", "Lesotho", "", "LSO"},
    {"LT", "Lithuania", "", "LTU"},
    {"LU", "Luxembourg", "", "LUX"},
    {"LV", "Latvia", "", "LVA"},
    {"LY", "Libya", "Libyan Arab Jamahiriya|State of Libya", "LBY"},
    {"MA", "Morocco", "Kingdom of Morocco|Maroc", "MAR"},
    {"MC", "Monaco", "", "MCO"},
    {"MD", "Moldova", "Republic of Moldova|Moldova, Republic of", "MDA"},
    {"ME", "Montenegro", "", "MNE"},
    {"MF", "Saint Martin (French part)", "Saint Martin", "MAF"},
    {"MG", "Madagascar", "", "MDG"},
    {"MH", "Marshall Islands", "", "MHL"},
    {"MK", "North Macedonia",
     "North Macedonia, The Republic of|Republic of North Macedonia|Macedonia|"
     "The former Yugoslav Republic of Macedonia",
     "MKD"},
    {"ML", "Mali", "", "MLI"},
    {"MM", "Myanmar", "Burma", "MMR"},
    {"MN", "Mongolia", "", "MNG"},
    {"MO", "Macao", "Macau|China, Macao Special Administrative Region", "MAC"},
    {"MP", "Northern Mariana Islands", "", "MNP"},
    {"MQ", "Martinique", "", "MTQ"},
    {"MR", "Mauritania", "", "MRT"},
    {"MS", "Montserrat", "", "MSR"},
    {"MT", "Malta", "", "MLT"},
    {"MU", "Mauritius", "", "MUS"},
    {"MV", "Maldives", "", "MDV"},
    {"MW", "Malawi", "", "MWI"},
    {"MX", "Mexico", "", "MEX"},
    {"MY", "Malaysia", "", "MYS"},
    {"MZ", "Mozambique", "", "MOZ"},
    {"NA", "Namibia", "", "NAM"},
    {"NC", "New Caledonia", "", "NCL"},
    {"NE", "Niger", "", "NER"},
    {"NF", "Norfolk Island", "", "NFK"},
    {"NG", "Nigeria", "", "NGA"},
    {"NI", "Nicaragua", "", "NIC"},
    {"NL", "Netherlands", "The Netherlands|Holland|Netherlands (Kingdom of the)", "NLD"},
    {"NO", "Norway", "", "NOR"},
    {"NP", "Nepal", "", "NPL"},
    {"NR", "Nauru", "", "NRU"},
    {"NU", "Niue", "", "NIU"},
    {"NZ", "New Zealand", "", "NZL"},
    {"OM", "Oman", "", "OMN"},
    {"PA", "Panama", "", "PAN"},
    {"PE", "Peru", "", "PER"},
    {"PF", "French Polynesia", "", "PYF"},
    {"PG", "Papua New Guinea", "", "PNG"},
    {"PH", "Philippines", "", "PHL"},
    {"PK", "Pakistan", "", "PAK"},
    {"PL", "Poland", "", "POL"},
    {"PM", "Saint Pierre and Miquelon", "", "SPM"},
    {"PN", "Pitcairn", "Pitcairn Islands", "PCN"},
    {"PR", "Puerto Rico", "", "PRI"},
    {"PS", "Palestine",
     "State of Palestine|Palestinian|Palestinian Territories|"
     "Occupied Palestinian Territory|West Bank|Gaza|Gaza Strip|Region: Gaza|"
     "Region: West Bank|Region: North Gaza|Region: Northern Gaza",
     "PSE"},
    {"PT", "Portugal", "", "PRT"},
    {"PW", "Palau", "", "PLW"},
    {"PY", "Paraguay", "", "PRY"},
    {"QA", "Qatar", "", "QAT"},
    {"RE", "Reunion", "Réunion", "REU"},
    {"RO", "Romania", "", "ROU"},
    {"RS", "Serbia", "Republic of Serbia", "SRB"},
    {"RU", "Russia", "Russian Federation|Region: Russia", "RUS"},
    {"RW", "Rwanda", "", "RWA"},
    {"SA", "Saudi Arabia", "Kingdom of Saudi Arabia", "SAU"},
    {"SB", "Solomon Islands", "", "SLB"},
    {"SC", "Seychelles", "", "SYC"},
    {"SD", "Sudan", "", "SDN"},
    {"SE", "Sweden", "", "SWE"},
    {"SG", "Singapore", "", "SGP"},
    {"SH", "Saint Helena, Ascension and Tristan da Cunha", "Saint Helena", "SHN"},
    {"SI", "Slovenia", "", "SVN"},
    {"SJ", "Svalbard and Jan Mayen", "", "SJM"},
    {"SK", "Slovakia", "Slovak Republic", "SVK"},
    {"SL", "Sierra Leone", "", "SLE"},
    {"SM", "San Marino", "", "SMR"},
    {"SN", "Senegal", "", "SEN"},
    {"SO", "Somalia", "", "SOM"},
    {"SR", "Suriname", "Surinam", "SUR"},
    {"SS", "South Sudan", "", "SSD"},
    {"ST", "Sao Tome and Principe", "São Tomé and Príncipe", "STP"},
    {"SV", "El Salvador", "", "SLV"},
    {"SX", "Sint Maarten", "Sint Maarten (Dutch part)", "SXM"},
    {"SY", "Syria", "Syrian Arab Republic", "SYR"},
    {"SZ", "Eswatini", "Swaziland", "SWZ"},
    {"TC", "Turks and Caicos Islands", "", "TCA"},
    {"TD", "Chad", "", "TCD"},
    {"TF", "French Southern Territories", "", "ATF"},
    {"TG", "Togo", "", "TGO"},
    {"TH", "Thailand", "", "THA"},
    {"TJ", "Tajikistan", "", "TJK"},
    {"TK", "Tokelau", "", "TKL"},
    {"TL", "Timor-Leste", "East Timor", "TLS"},
    {"TM", "Turkmenistan", "", "TKM"},
    {"TN", "Tunisia", "Tunisie", "TUN"},
    {"TO", "Tonga", "", "TON"},
    {"TR", "Turkey", "Türkiye|Turkiye|Republic of Türkiye", "TUR"},
    {"TT", "Trinidad and Tobago", "", "TTO"},
    {"TV", "Tuvalu", "", "TUV"},
    {"TW", "Taiwan", "Taiwan, Province of China|Chinese Taipei", "TWN"},
    {"TZ", "Tanzania", "United Republic of Tanzania|Tanzania, United Republic of", "TZA"},
    {"UA", "Ukraine", "", "UKR"},
    {"UG", "Uganda", "", "UGA"},
    {"UM", "United States Minor Outlying Islands", "", "UMI"},
    {"US", "United States", "United States of America|USA|U.S.A.|U.S.|America", "USA"},
    {"UY", "Uruguay", "", "URY"},
    {"UZ", "Uzbekistan", "", "UZB"},
    {"VA", "Holy See", "Vatican|Vatican City", "VAT"},
    {"VC", "Saint Vincent and the Grenadines", "St. Vincent and the Grenadines", "VCT"},
    {"VE", "Venezuela", "Venezuela (Bolivarian Republic of)|Bolivarian Republic of Venezuela",
     "VEN"},
    {"VG", "British Virgin Islands", "Virgin Islands, British|Virgin Islands (British)", "VGB"},
    {"VI", "United States Virgin Islands", "Virgin Islands, U.S.|Virgin Islands (U.S.)", "VIR"},
    {"VN", "Viet Nam", "Vietnam", "VNM"},
    {"VU", "Vanuatu", "", "VUT"},
    {"WF", "Wallis and Futuna", "", "WLF"},
    {"WS", "Samoa", "", "WSM"},
    {"XK", "Kosovo", "", "XKX"},
    {"YE", "Yemen", "", "YEM"},
    {"YT", "Mayotte", "", "MYT"},
    {"ZA", "South Africa", "", "ZAF"},
    {"ZM", "Zambia", "", "ZMB"},
    {"ZW", "Zimbabwe", "", "ZWE"},
};

// Folds a name to a lookup key: ASCII lowercase, accents of Latin-1 letters dropped,
// punctuation turned into spaces, the word "the" dropped, spaces collapsed.
std::string FoldName(std::string_view name) {
  std::string folded;
  folded.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {  // two-byte Latin-1 supplement letters
      unsigned char d = static_cast<unsigned char>(name[++i]);
      static constexpr char kMap[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyts";       // U+00C0..U+00DF
      static constexpr char kMapLower[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";  // U+00E0..U+00FF
      if (d >= 0x80 && d <= 0x9F)
        folded.push_back(kMap[d - 0x80]);
      else if (d >= 0xA0 && d <= 0xBF)
        folded.push_back(kMapLower[d - 0xA0]);
      continue;
    }
    if (c == 0xE2 && i + 2 < name.size()) {  // typographic apostrophes and quotes: drop
      i += 2;
      continue;
    }
    if (std::isalnum(c))
      folded.push_back(static_cast<char>(std::tolower(c)));
    else if (c == '\'')
      continue;  // "people's" -> "peoples", "d'ivoire" -> "divoire"
    else
      folded.push_back(' ');
  }
  std::vector<std::string> words = SplitNonEmpty(folded, ' ');
  std::string key;
  for (const std::string& w : words) {
    if (w == "the") continue;
    if (!key.empty()) key.push_back(' ');
    key += w;
  }
  return key;
}

const std::unordered_map<std::string, std::string>& NameTable() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string, std::string>();
    for (const CountryEntry& entry : kCountries) {
      t->emplace(FoldName(entry.name), entry.code);
      t->emplace(ToLowerAscii(entry.alpha3), entry.code);
      for (const std::string& alt : SplitNonEmpty(entry.alt, '|'))
        t->emplace(FoldName(alt), entry.code);
    }
    return t;
  }();
  return *table;
}

}  // namespace

std::string CountryCodeForName(std::string_view name) {
  std::string_view trimmed = Trim(name);
  if (trimmed.empty()) return "";
  if (trimmed.size() == 2) return NormalizeCountryCode(trimmed);
  const auto& table = NameTable();
  std::string key = FoldName(trimmed);
  if (auto it = table.find(key); it != table.end()) return it->second;
  // "Congo, Democratic Republic of the" -> "Democratic Republic of the Congo".
  size_t comma = trimmed.find(',');
  if (comma != std::string_view::npos) {
    std::string swapped =
        std::string(trimmed.substr(comma + 1)) + " " + std::string(trimmed.substr(0, comma));
    if (auto it = table.find(FoldName(swapped)); it != table.end()) return it->second;
  }
  return "";
}

std::string_view CountryNameForCode(std::string_view code) {
  for (const CountryEntry& entry : kCountries)
    if (code == entry.code) return entry.name;
  return {};
}

}  // namespace entente::ingest
