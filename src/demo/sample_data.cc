#include "demo/sample_data.h"

#include <random>
#include <set>

#include "common/csv.h"
#include "common/ids.h"

namespace entente::demo {
namespace {

// A given or family name: its usual Maghrebi-French spelling, other Latin spellings seen in
// passports and files, and (where common) its Arabic script form.
struct NamePart {
  const char* latin;
  std::vector<const char*> variants;
  const char* arabic;
};

const std::vector<NamePart> kMaleGiven = {
    {"Mohamed", {"Mohammed", "Muhammad", "Mohamad", "Mhamed"}, "محمد"},
    {"Youssef", {"Youcef", "Yusuf", "Yousef"}, "يوسف"},
    {"Abdelkader", {"Abd el Kader", "Abdulqadir", "Abdelkhader"}, "عبد القادر"},
    {"Ahmed", {"Ahmad", "Ehmed"}, "أحمد"},
    {"Mustapha", {"Mustafa", "Moustafa"}, "مصطفى"},
    {"Rachid", {"Rashid", "Rachide"}, "رشيد"},
    {"Karim", {"Kareem", "Krim"}, "كريم"},
    {"Hamza", {"Hamzah"}, "حمزة"},
    {"Abdellah", {"Abdallah", "Abdullah"}, "عبد الله"},
    {"Khalid", {"Khaled", "Khalide"}, "خالد"},
    {"Said", {"Saïd", "Saeed"}, "سعيد"},
    {"Omar", {"Oumar", "Umar"}, "عمر"},
    {"Hicham", {"Hisham", "Hichem"}, "هشام"},
    {"Driss", {"Idriss", "Idris"}, "إدريس"},
    {"Brahim", {"Ibrahim", "Ebrahim"}, "إبراهيم"},
    {"Noureddine", {"Nour Eddine", "Nuruddin"}, "نور الدين"},
    {"Jamal", {"Djamel", "Jamel"}, "جمال"},
    {"Tarik", {"Tariq", "Tarek"}, "طارق"},
    {"Anouar", {"Anwar", "Anour"}, "أنور"},
    {"Soufiane", {"Sofiane", "Sufyan"}, "سفيان"},
    {"Walid", {"Oualid", "Waleed"}, "وليد"},
    {"Adil", {"Adel", "Aadil"}, "عادل"},
    {"Bilal", {"Belal"}, "بلال"},
    {"Mehdi", {"Mahdi"}, "مهدي"},
    {"Zakaria", {"Zakariya", "Zakariae"}, "زكرياء"},
};
const std::vector<NamePart> kFemaleGiven = {
    {"Fatima", {"Fatma", "Fatimah", "Fadma"}, "فاطمة"},
    {"Khadija", {"Khadidja", "Khadijah"}, "خديجة"},
    {"Aicha", {"Aïcha", "Aisha", "Aysha"}, "عائشة"},
    {"Meryem", {"Maryam", "Meriem", "Myriam"}, "مريم"},
    {"Nadia", {"Nadiya"}, "نادية"},
    {"Samira", {"Sameera"}, "سميرة"},
    {"Zineb", {"Zaynab", "Zeineb", "Zainab"}, "زينب"},
    {"Houda", {"Hoda", "Huda"}, "هدى"},
    {"Salma", {"Selma"}, "سلمى"},
    {"Imane", {"Iman", "Imen"}, "إيمان"},
};
const std::vector<NamePart> kFamily = {
    {"El Idrissi", {"Al-Idrisi", "Idrissi", "El-Idrissi"}, "الإدريسي"},
    {"Benali", {"Ben Ali", "Bin Ali"}, "بن علي"},
    {"El Amrani", {"Al-Amrani", "Amrani"}, "العمراني"},
    {"Alaoui", {"El Alaoui", "Alawi"}, "العلوي"},
    {"Tazi", {"Tazy"}, "التازي"},
    {"Bennani", {"Ben Nani", "Binnani"}, "بناني"},
    {"Berrada", {"Barrada"}, "برادة"},
    {"Chraibi", {"Chraïbi", "Shraybi"}, "الشرايبي"},
    {"El Fassi", {"Al-Fasi", "Fassi"}, "الفاسي"},
    {"Ouazzani", {"Wazzani", "El Ouazzani"}, "الوزاني"},
    {"Benjelloun", {"Ben Jelloun", "Bin Jallun"}, "بنجلون"},
    {"Boukhari", {"Bukhari", "El Boukhari"}, "البخاري"},
    {"Haddad", {"Hadad", "El Haddad"}, "الحداد"},
    {"Belkacem", {"Belgacem", "Bel Kacem", "Abu al-Qasim"}, "بلقاسم"},
    {"Bouzid", {"Bou Zid", "Abu Zaid"}, "بوزيد"},
    {"Mansouri", {"El Mansouri", "Mansuri"}, "المنصوري"},
    {"Zerrouki", {"Zerouki", "Zarruqi"}, "زروقي"},
    {"Trabelsi", {"Trabelssi", "Tarabulsi"}, "الطرابلسي"},
    {"Ben Youssef", {"Ben Youcef", "Bin Yusuf"}, "بن يوسف"},
    {"Ould Ahmed", {"Ould Ahmad", "Wld Ahmed"}, "ولد أحمد"},
    {"Ait Ouahmane", {"Aït Ouahmane", "Ait Wahman"}, nullptr},
    {"Mebarki", {"Mbarki", "M'barki"}, "مباركي"},
    {"Saidi", {"Saïdi", "Es-Saidi"}, "السعيدي"},
    {"Hamdaoui", {"Hamdawi"}, "الحمداوي"},
    {"Kaddouri", {"Qaddouri", "Kadouri"}, "قدوري"},
    {"Guerrouj", {"Gerrouj", "El Guerrouj"}, "الكروج"},
    {"Cherkaoui", {"Charkaoui", "Sharqawi"}, "الشرقاوي"},
    {"Lahlou", {"Lahlu"}, "لحلو"},
    {"Bouazza", {"Bou Azza"}, "بوعزة"},
    {"Rahmouni", {"Rahmuni"}, "الرحموني"},
};
const std::vector<const char*> kFrenchGiven = {
    "Jean",   "Pierre",   "Nicolas",  "Julien",  "Thomas",    "Antoine",   "Camille",
    "Marie",  "Sophie",   "Isabelle", "Laurent", "Olivier",   "Sébastien", "Mathieu",
    "Céline", "Nathalie", "François", "Hélène",  "Guillaume", "Émilie",    "Kevin",
    "Dylan",  "Enzo",     "Léa",      "Chloé"};
const std::vector<const char*> kFrenchFamily = {
    "Martin",   "Bernard",   "Dubois",   "Durand",    "Lefèvre", "Moreau", "Laurent",
    "Girard",   "Roux",      "Fournier", "Morel",     "Mercier", "Blanc",  "Guérin",
    "Faure",    "Rousseau",  "Lemaire",  "Chevalier", "Garnier", "Perrin", "Da Silva",
    "Ferreira", "Rodriguez", "Kowalski", "Nguyen"};
const std::vector<const char*> kOrgNames = {
    "Atlas Trans Logistique SARL", "Sahara Import Export",
    "Tanger Med Freight Services", "Rif Agro Négoce",
    "Oriental Change Bureau",      "Marseille Fret Express",
    "Bleu Horizon Voyages",        "Al Baraka Transfert",
    "Dar Essalam Association",     "Port Vendres Maritime SAS",
    "Nador Auto Pièces",           "Casablanca Textile Company",
    "Lyon Sécurité Privée",        "Sebta Commerce Général",
    "Agadir Pêche Industrie"};

const std::vector<const char*> kMaCities = {"Casablanca", "Rabat", "Tanger",  "Fès",    "Marrakech",
                                            "Oujda",      "Nador", "Tétouan", "Agadir", "Meknès"};
const std::vector<const char*> kFrCities = {"Paris",       "Marseille",  "Lyon",
                                            "Toulouse",    "Lille",      "Nice",
                                            "Montpellier", "Strasbourg", "Bordeaux"};

class Generator {
 public:
  explicit Generator(const SampleOptions& options) : options_(options), rng_(options.seed) {}

  SampleData Run() {
    MakeService(kMoroccanService, &data_.moroccan, true);
    MakeService(kFrenchService, &data_.french, false);
    MakeNetworks();
    MakeApplicants();
    return std::move(data_);
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(0, static_cast<int>(v.size()) - 1)];
  }

  std::string Date(int year_lo, int year_hi) {
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", Uniform(year_lo, year_hi), Uniform(1, 12),
                  Uniform(1, 28));
    return out;
  }

  std::string Passport(const char* country) {
    std::string s = country;
    for (int i = 0; i < 7; ++i) s.push_back(static_cast<char>('0' + Uniform(0, 9)));
    return s;
  }

  RecordMeta Meta(const std::string& service, const std::string& type, const std::string& key,
                  ThreatCategory category) {
    RecordMeta m;
    std::string source = service == kMoroccanService ? "ma-intel" : "fr-intel";
    m.id = DeterministicId(type, source, key);
    m.provenance.service = service;
    m.provenance.source = source;
    m.provenance.source_record_id = key;
    m.grades.reliability = "ABBCCD"[Uniform(0, 5)];
    m.grades.credibility = Uniform(1, 4);
    m.category = category;
    m.marking.tlp = Chance(0.15) ? Tlp::kAmberStrict : (Chance(0.7) ? Tlp::kAmber : Tlp::kGreen);
    // Most records may go to the partner; some stay national.
    std::string partner = service == kMoroccanService ? kFrenchService : kMoroccanService;
    if (!Chance(0.2))
      m.marking.releasable_to = {partner};
    else
      m.marking.releasable_to = {service};
    return m;
  }

  ThreatCategory RandomCategory(bool moroccan) {
    int r = Uniform(0, 99);
    if (r < 25) return ThreatCategory::kTerrorism;
    if (r < 50) return ThreatCategory::kNarcotics;
    if (r < 65)
      return moroccan ? ThreatCategory::kIllegalMigration : ThreatCategory::kOrganizedCrime;
    if (r < 80) return ThreatCategory::kHumanTrafficking;
    if (r < 92) return ThreatCategory::kOrganizedCrime;
    return ThreatCategory::kOther;
  }

  Entity MakePerson(const std::string& service, int index, bool maghrebi) {
    bool moroccan_service = service == kMoroccanService;
    Entity e;
    e.type = EntityType::kPerson;
    std::string key = (moroccan_service ? "MA-P-" : "FR-P-") + std::to_string(100000 + index);
    e.meta = Meta(service, "person", key, RandomCategory(moroccan_service));
    bool female = Chance(0.2);
    e.gender = female ? Gender::kFemale : Gender::kMale;
    if (maghrebi) {
      const NamePart& given = female ? Pick(kFemaleGiven) : Pick(kMaleGiven);
      const NamePart& family = Pick(kFamily);
      std::string primary = std::string(given.latin) + " " + family.latin;
      if (Chance(0.2)) {
        const NamePart& father = Pick(kMaleGiven);
        primary = std::string(given.latin) + " Ben " + father.latin + " " + family.latin;
      }
      e.names.push_back({primary, NameKind::kPrimary, "Latn"});
      if (moroccan_service && given.arabic && family.arabic && Chance(0.5))
        e.names.push_back(
            {std::string(given.arabic) + " " + family.arabic, NameKind::kAlias, "Arab"});
      if (Chance(0.5)) {
        std::string alias =
            std::string(Pick(given.variants.empty() ? std::vector<const char*>{given.latin}
                                                    : given.variants)) +
            " " + Pick(family.variants);
        e.names.push_back({alias, NameKind::kAlias, "Latn"});
      }
      e.nationalities = {moroccan_service ? (Chance(0.85) ? "MA" : "DZ")
                                          : Pick(std::vector<std::string>{"FR", "MA", "DZ", "TN"})};
    } else {
      e.names.push_back({std::string(Pick(kFrenchGiven)) + " " + Pick(kFrenchFamily),
                         NameKind::kPrimary, "Latn"});
      e.nationalities = {Chance(0.8) ? "FR"
                                     : Pick(std::vector<std::string>{"BE", "ES", "PT", "IT"})};
    }
    if (Chance(0.9)) e.birth_dates.push_back(*PartialDate::Parse(Date(1958, 2002)));
    e.birth_places.push_back(moroccan_service
                                 ? Pick(kMaCities)
                                 : (maghrebi && Chance(0.5) ? Pick(kMaCities) : Pick(kFrCities)));
    if (Chance(0.6)) {
      const std::string& nat = e.nationalities[0];
      e.documents.push_back({"passport",
                             Passport(nat == "FR"   ? "FR"
                                      : nat == "DZ" ? "DZ"
                                                    : "MA"),
                             nat, "", ""});
    }
    return e;
  }

  Relationship Link(const std::string& service, const std::string& from, const std::string& to,
                    RelationshipType type, ThreatCategory category) {
    Relationship r;
    std::string key = from + "|" + std::string(RelationshipTypeName(type)) + "|" + to;
    r.meta = Meta(service, "relationship", key, category);
    r.type = type;
    r.source_id = from;
    r.target_id = to;
    return r;
  }

  Entity MakePhone(const std::string& service, const std::string& number) {
    Entity p;
    p.type = EntityType::kPhone;
    p.meta = Meta(service, "phone", "PHONE-" + number, ThreatCategory::kOther);
    p.names.push_back({number, NameKind::kPrimary, ""});
    p.attributes["number"] = number;
    return p;
  }

  std::string PhoneNumber(bool moroccan) {
    std::string n = moroccan ? "+2126" : "+336";
    for (int i = 0; i < 8; ++i) n.push_back(static_cast<char>('0' + Uniform(0, 9)));
    return n;
  }

  void MakeService(const std::string& service, std::vector<Record>* out, bool moroccan) {
    std::vector<std::string> person_ids;
    for (int i = 0; i < options_.persons_per_service; ++i) {
      bool maghrebi = moroccan ? true : Chance(0.55);
      Entity p = MakePerson(service, i, maghrebi);
      person_ids.push_back(p.meta.id);
      persons_.push_back(p);
      out->push_back(std::move(p));
    }
    // Organizations and memberships.
    for (size_t o = 0; o < kOrgNames.size(); ++o) {
      if (Chance(0.5) != moroccan && o % 2) continue;
      Entity org;
      org.type = EntityType::kOrganization;
      org.meta = Meta(service, "organization", (moroccan ? "MA-O-" : "FR-O-") + std::to_string(o),
                      RandomCategory(moroccan));
      org.names.push_back({kOrgNames[o], NameKind::kPrimary, "Latn"});
      org.nationalities = {moroccan ? "MA" : "FR"};
      std::string org_id = org.meta.id;
      out->push_back(std::move(org));
      int members = Uniform(2, 6);
      for (int m = 0; m < members; ++m)
        out->push_back(Link(service, Pick(person_ids), org_id, RelationshipType::kMemberOf,
                            ThreatCategory::kOrganizedCrime));
    }
    // Loose associations, family ties and phones.
    for (int i = 0; i < options_.persons_per_service / 3; ++i) {
      const std::string& a = Pick(person_ids);
      const std::string& b = Pick(person_ids);
      if (a == b) continue;
      out->push_back(Link(
          service, a, b, Chance(0.3) ? RelationshipType::kFamilyOf : RelationshipType::kAssociateOf,
          ThreatCategory::kOther));
    }
    for (int i = 0; i < options_.persons_per_service / 5; ++i) {
      Entity phone = MakePhone(service, PhoneNumber(moroccan));
      out->push_back(Link(service, Pick(person_ids), phone.meta.id, RelationshipType::kUsesPhone,
                          ThreatCategory::kOther));
      out->push_back(std::move(phone));
    }
  }

  // Two cross-border networks. Each has members in both services' data; they meet through a
  // shared phone and travel together, which only the union of both services' records shows.
  void MakeNetworks() {
    auto build = [&](const char* tag, ThreatCategory category, int size,
                     std::vector<std::string>* ids) {
      std::vector<Entity*> members;
      for (int i = 0; i < size; ++i) {
        bool moroccan = i % 2 == 0;
        std::vector<Record>& side = moroccan ? data_.moroccan : data_.french;
        const std::string service = moroccan ? kMoroccanService : kFrenchService;
        Entity p = MakePerson(service,
                              900000 + static_cast<int>(ids->size()) +
                                  (category == ThreatCategory::kNarcotics ? 0 : 500),
                              true);
        p.meta.category = category;
        p.meta.grades = {'B', 2};
        p.meta.marking = {Tlp::kAmber, {moroccan ? kFrenchService : kMoroccanService}};
        p.attributes["network"] = tag;
        ids->push_back(p.meta.id);
        side.push_back(p);
      }
      // Hub (index 0) is linked to everyone; a few extra ties; a shared phone across services.
      for (int i = 1; i < size; ++i) {
        bool moroccan = i % 2 == 0;
        std::vector<Record>& side = moroccan ? data_.moroccan : data_.french;
        side.push_back(
            Link(moroccan ? kMoroccanService : kFrenchService, (*ids)[i], (*ids)[0],
                 i % 3 == 0 ? RelationshipType::kTravelledWith : RelationshipType::kAssociateOf,
                 category));
      }
      for (int i = 2; i + 1 < size; i += 3)
        data_.french.push_back(Link(kFrenchService, (*ids)[i], (*ids)[i + 1],
                                    RelationshipType::kTravelledWith, category));
      Entity phone = MakePhone(kFrenchService, PhoneNumber(false));
      std::string phone_id = phone.meta.id;
      phone.meta.marking = {Tlp::kAmber, {kMoroccanService}};
      data_.french.push_back(std::move(phone));
      data_.french.push_back(
          Link(kFrenchService, (*ids)[1], phone_id, RelationshipType::kUsesPhone, category));
      data_.french.push_back(
          Link(kFrenchService, (*ids)[2], phone_id, RelationshipType::kUsesPhone, category));
      return phone_id;
    };
    std::string smuggling_phone =
        build("smuggling", ThreatCategory::kNarcotics, 12, &data_.smuggling_network);
    build("trafficking", ThreatCategory::kHumanTrafficking, 10, &data_.trafficking_network);

    // A clean-record person, known to DGSN-DGST only as someone using the smuggling ring's
    // phone. Not on any list as a suspect; an applicant under the same name and birth date.
    Entity linked = MakePerson(kMoroccanService, 950000, true);
    linked.meta.category = ThreatCategory::kOther;
    linked.meta.grades = {'C', 3};
    linked.meta.marking = {Tlp::kAmber, {kFrenchService}};
    if (linked.birth_dates.empty()) linked.birth_dates.push_back(*PartialDate::Parse("1991-06-14"));
    data_.linked_applicant_entity_id = linked.meta.id;
    data_.moroccan.push_back(Link(kMoroccanService, linked.meta.id, smuggling_phone,
                                  RelationshipType::kUsesPhone, ThreatCategory::kOther));
    Applicant a;
    a.id = "APP-LINKED";
    a.name = linked.DisplayName();
    a.birth_date = linked.birth_dates[0].ToString();
    a.nationality = linked.nationalities.empty() ? "" : linked.nationalities[0];
    a.planted_entity_id = linked.meta.id;
    linked_applicant_ = a;
    data_.moroccan.push_back(std::move(linked));
  }

  // Respells a watchlisted person's name the way a visa form might: another transliteration
  // of each part, the order swapped, or a part dropped.
  std::string Respell(const Entity& p) {
    std::string name = p.DisplayName();
    for (const auto* table : {&kMaleGiven, &kFemaleGiven, &kFamily}) {
      for (const NamePart& part : *table) {
        size_t pos = name.find(part.latin);
        if (pos != std::string::npos && !part.variants.empty() && Chance(0.8)) {
          name.replace(pos, std::string(part.latin).size(), Pick(part.variants));
          break;
        }
      }
    }
    if (Chance(0.3)) {
      size_t space = name.rfind(' ');
      if (space != std::string::npos) name = name.substr(space + 1) + " " + name.substr(0, space);
    }
    return name;
  }

  void MakeApplicants() {
    std::set<std::string> used;
    int planted = 0;
    for (int i = 0; i < options_.applicants; ++i) {
      Applicant a;
      char id[16];
      std::snprintf(id, sizeof id, "APP-%05d", i + 1);
      a.id = id;
      if (planted < options_.planted_applicants &&
          i % (options_.applicants / options_.planted_applicants) == 7) {
        const Entity& p = Pick(persons_);
        if (!used.insert(p.meta.id).second || p.birth_dates.empty()) continue;
        a.name = Respell(p);
        a.birth_date = p.birth_dates[0].ToString();
        a.nationality = p.nationalities.empty() ? "" : p.nationalities[0];
        a.planted_entity_id = p.meta.id;
        ++planted;
      } else {
        bool maghrebi = Chance(0.5);
        if (maghrebi) {
          const NamePart& given = Chance(0.2) ? Pick(kFemaleGiven) : Pick(kMaleGiven);
          a.name = std::string(given.latin) + " " + Pick(kFamily).latin;
          a.nationality = Pick(std::vector<std::string>{"MA", "FR", "DZ", "TN"});
        } else {
          a.name = std::string(Pick(kFrenchGiven)) + " " + Pick(kFrenchFamily);
          a.nationality = Pick(std::vector<std::string>{"FR", "FR", "BE", "ES", "US", "GB", "DE"});
        }
        a.birth_date = Date(1960, 2004);
        if (Chance(0.7)) a.id_number = Passport(a.nationality == "FR" ? "FR" : "XA");
      }
      data_.applicants.push_back(std::move(a));
    }
    data_.applicants.push_back(linked_applicant_);
    data_.linked_applicant_id = linked_applicant_.id;
  }

  SampleOptions options_;
  std::mt19937 rng_;
  SampleData data_;
  std::vector<Entity> persons_;
  Applicant linked_applicant_;
};

}  // namespace

SampleData GenerateSampleData(const SampleOptions& options) { return Generator(options).Run(); }

Record LateArrivingRecord(const SampleData& data) {
  // The partner learns that one ordinary-looking applicant is wanted: same person, another
  // spelling, same birth date.
  const Applicant* target = nullptr;
  for (const Applicant& a : data.applicants)
    if (a.planted_entity_id.empty() && a.name.find(' ') != std::string::npos &&
        a.nationality == "MA" && !a.birth_date.empty()) {
      target = &a;
      break;
    }
  Entity e;
  e.type = EntityType::kPerson;
  e.meta.id = DeterministicId("person", "fr-intel", "FR-P-LATE-1");
  e.meta.provenance = {kFrenchService, "fr-intel", "FR-P-LATE-1", "", ""};
  e.meta.grades = {'B', 2};
  e.meta.category = ThreatCategory::kTerrorism;
  e.meta.marking = {Tlp::kAmber, {kMoroccanService}};
  std::string name = target ? target->name : "Mohamed El Idrissi";
  e.names.push_back({name, NameKind::kPrimary, "Latn"});
  if (target) {
    e.birth_dates.push_back(*PartialDate::Parse(target->birth_date));
    e.nationalities.push_back(target->nationality);
  }
  e.attributes["note"] = "reported by partner after the first screening";
  return e;
}

std::string ApplicantsCsv(const std::vector<Applicant>& applicants) {
  std::string out = "id,name,birth_date,nationality,id_number\n";
  for (const Applicant& a : applicants)
    out += CsvField(a.id) + "," + CsvField(a.name) + "," + a.birth_date + "," + a.nationality +
           "," + CsvField(a.id_number) + "\n";
  return out;
}

}  // namespace entente::demo
