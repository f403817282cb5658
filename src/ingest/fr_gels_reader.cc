#include "ingest/fr_gels_reader.h"

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "ingest/country_names.h"
#include "ingest/list_support.h"
#include "ingest/programs.h"
#include "ingest/reader_support.h"

namespace entente::ingest {
namespace {

using Json = nlohmann::json;

// Lower case ASCII with the accents French uses folded away ("Corée" -> "coree").
std::string Fold(std::string_view text) {
  static const std::pair<const char*, char> kAccents[] = {
      {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'}, {"É", 'e'}, {"à", 'a'}, {"â", 'a'},
      {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"û", 'u'}, {"ü", 'u'}, {"ù", 'u'},
      {"ç", 'c'}, {"È", 'e'}, {"Ê", 'e'}, {"À", 'a'}, {"Î", 'i'}, {"Ô", 'o'}, {"Ç", 'c'}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const auto& [accent, plain] : kAccents) {
      std::string_view a(accent);
      if (text.substr(i, a.size()) == a) {
        out.push_back(plain);
        i += a.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    char c = text[i++];
    out.push_back(c == '-' || c == '\''
                      ? ' '
                      : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return std::string(Trim(out));
}

}  // namespace

std::string FrenchCountryCode(std::string_view name) {
  // Country names, then nationality adjectives (masculine and feminine), folded.
  static const std::pair<const char*, const char*> kNames[] = {
      {"russie", "RU"},
      {"federation de russie", "RU"},
      {"russe", "RU"},
      {"syrie", "SY"},
      {"syrien", "SY"},
      {"syrienne", "SY"},
      {"iran", "IR"},
      {"iranien", "IR"},
      {"iranienne", "IR"},
      {"irak", "IQ"},
      {"iraq", "IQ"},
      {"irakien", "IQ"},
      {"irakienne", "IQ"},
      {"afghanistan", "AF"},
      {"afghan", "AF"},
      {"afghane", "AF"},
      {"coree du nord", "KP"},
      {"nord coreen", "KP"},
      {"nord coreenne", "KP"},
      {"libye", "LY"},
      {"libyen", "LY"},
      {"libyenne", "LY"},
      {"mali", "ML"},
      {"malien", "ML"},
      {"malienne", "ML"},
      {"maroc", "MA"},
      {"marocain", "MA"},
      {"marocaine", "MA"},
      {"algerie", "DZ"},
      {"algerien", "DZ"},
      {"algerienne", "DZ"},
      {"tunisie", "TN"},
      {"tunisien", "TN"},
      {"tunisienne", "TN"},
      {"egypte", "EG"},
      {"egyptien", "EG"},
      {"egyptienne", "EG"},
      {"arabie saoudite", "SA"},
      {"saoudien", "SA"},
      {"saoudienne", "SA"},
      {"yemen", "YE"},
      {"yemenite", "YE"},
      {"liban", "LB"},
      {"libanais", "LB"},
      {"libanaise", "LB"},
      {"bielorussie", "BY"},
      {"belarus", "BY"},
      {"bielorusse", "BY"},
      {"ukraine", "UA"},
      {"ukrainien", "UA"},
      {"ukrainienne", "UA"},
      {"chine", "CN"},
      {"chinois", "CN"},
      {"chinoise", "CN"},
      {"france", "FR"},
      {"francais", "FR"},
      {"francaise", "FR"},
      {"belgique", "BE"},
      {"belge", "BE"},
      {"allemagne", "DE"},
      {"allemand", "DE"},
      {"allemande", "DE"},
      {"royaume uni", "GB"},
      {"britannique", "GB"},
      {"etats unis", "US"},
      {"americain", "US"},
      {"americaine", "US"},
      {"turquie", "TR"},
      {"turc", "TR"},
      {"turque", "TR"},
      {"pakistan", "PK"},
      {"pakistanais", "PK"},
      {"pakistanaise", "PK"},
      {"somalie", "SO"},
      {"somalien", "SO"},
      {"somalienne", "SO"},
      {"soudan", "SD"},
      {"soudanais", "SD"},
      {"soudanaise", "SD"},
      {"soudan du sud", "SS"},
      {"nigeria", "NG"},
      {"nigerian", "NG"},
      {"nigeriane", "NG"},
      {"niger", "NE"},
      {"nigerien", "NE"},
      {"nigerienne", "NE"},
      {"tchad", "TD"},
      {"tchadien", "TD"},
      {"tchadienne", "TD"},
      {"mauritanie", "MR"},
      {"mauritanien", "MR"},
      {"mauritanienne", "MR"},
      {"koweit", "KW"},
      {"koweitien", "KW"},
      {"qatar", "QA"},
      {"qatari", "QA"},
      {"jordanie", "JO"},
      {"jordanien", "JO"},
      {"jordanienne", "JO"},
      {"emirats arabes unis", "AE"},
      {"venezuela", "VE"},
      {"venezuelien", "VE"},
      {"venezuelienne", "VE"},
      {"birmanie", "MM"},
      {"myanmar", "MM"},
      {"birman", "MM"},
      {"birmane", "MM"},
      {"republique centrafricaine", "CF"},
      {"centrafricain", "CF"},
      {"centrafricaine", "CF"},
      {"republique democratique du congo", "CD"},
      {"congolais", "CD"},
      {"congolaise", "CD"},
      {"guinee", "GN"},
      {"guineen", "GN"},
      {"guineenne", "GN"},
      {"guinee bissau", "GW"},
      {"burundi", "BI"},
      {"erythree", "ER"},
      {"ethiopie", "ET"},
      {"kazakhstan", "KZ"},
      {"ouzbekistan", "UZ"},
      {"tadjikistan", "TJ"},
      {"palestine", "PS"},
      {"palestinien", "PS"},
      {"palestinienne", "PS"},
      {"israel", "IL"},
      {"israelien", "IL"},
      {"espagne", "ES"},
      {"espagnol", "ES"},
      {"italie", "IT"},
      {"italien", "IT"},
      {"pays bas", "NL"},
      {"suisse", "CH"},
      {"nicaragua", "NI"},
      {"haiti", "HT"},
      {"haitien", "HT"},
      {"bosnie herzegovine", "BA"},
      {"serbie", "RS"},
      {"serbe", "RS"},
      {"kosovo", "XK"},
      {"moldavie", "MD"},
      {"moldave", "MD"},
      {"georgie", "GE"},
      {"armenie", "AM"},
      {"azerbaidjan", "AZ"},
      {"inde", "IN"},
      {"indien", "IN"},
      {"indonesie", "ID"},
      {"indonesien", "ID"},
      {"philippines", "PH"},
      {"sri lanka", "LK"},
      {"bangladesh", "BD"},
      {"zimbabwe", "ZW"},
      {"cameroun", "CM"},
      {"camerounais", "CM"},
      {"senegal", "SN"},
      {"senegalais", "SN"},
      {"burkina faso", "BF"},
      {"bahrein", "BH"},
      {"oman", "OM"},
      {"koweitienne", "KW"},
      {"emirien", "AE"},
      {"emirienne", "AE"}};
  std::string folded = Fold(name);
  if (folded.empty()) return "";
  for (const auto& [french, code] : kNames)
    if (folded == french) return code;
  return CountryCodeForName(name);
}

namespace {

// Where an entry sits in the file, for messages.
std::string EntryPath(size_t index, const Json& entry) {
  std::string where = "Publications.PublicationDetail[" + std::to_string(index) + "]";
  auto id = entry.find("IdRegistre");
  if (id != entry.end() && (id->is_number_integer() || id->is_string()))
    where += " (IdRegistre " + (id->is_string() ? id->get<std::string>() : id->dump()) + ")";
  return where;
}

// A value's text: a string as is, a number written out, else empty.
std::string Text(const Json& value) {
  if (value.is_string()) return std::string(Trim(value.get<std::string>()));
  if (value.is_number()) return value.dump();
  return "";
}

std::string Field(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? std::string() : Text(*it);
}

// Every text value of an object, joined ("Adresse, Pays"); for unknown TypeChamp values.
std::string AllText(const Json& value) {
  if (!value.is_object()) return Text(value);
  std::vector<std::string> parts;
  for (const auto& [key, v] : value.items())
    if (std::string t = Text(v); !t.empty()) parts.push_back(t);
  return Join(parts, ", ");
}

class FrEntry {
 public:
  FrEntry(const std::string& file, std::string where, const ImportDefaults& defaults)
      : file_(file), where_(std::move(where)), defaults_(defaults) {}

  Result<Entity> Build(const Json& entry, const std::string& published) {
    if (!entry.is_object()) return Error("", "expected a JSON object");
    std::string id = Field(entry, "IdRegistre");
    if (id.empty()) return Error("IdRegistre", "missing");
    std::string nature = Fold(Field(entry, "Nature"));
    if (nature == "personne physique")
      entity_.type = EntityType::kPerson;
    else if (nature == "personne morale")
      entity_.type = EntityType::kOrganization;
    else if (nature == "navire")
      entity_.type = EntityType::kVehicle;
    else
      return Error("Nature", "\"" + Field(entry, "Nature") +
                                 "\" is not Personne physique, Personne morale or Navire");
    std::string nom = Field(entry, "Nom");
    if (nom.empty()) return Error("Nom", "missing");
    auto details = entry.find("RegistreDetail");
    if (details != entry.end() && !details->is_array())
      return Error("RegistreDetail", "expected an array");
    std::string first_names;
    if (details != entry.end()) {
      for (size_t i = 0; i < details->size(); ++i)
        ENTENTE_RETURN_IF_ERROR(Detail((*details)[i], i, &first_names));
    }
    std::string primary =
        entity_.type == EntityType::kPerson && !first_names.empty() ? first_names + " " + nom : nom;
    entity_.names.insert(entity_.names.begin(), Name{primary, NameKind::kPrimary, ""});
    std::vector<Name> names = std::move(entity_.names);
    entity_.names.clear();
    for (const Name& n : names) AddName(&entity_, n.full, n.kind);
    if (!unknown_countries_.empty())
      entity_.attributes["nationality_text"] = Join(unknown_countries_, "|");
    if (!programs_.empty()) entity_.attributes["programs"] = Join(programs_, "|");
    AddAttribute(&entity_, "list_published", published);
    ThreatCategory category = CategoryForPrograms(programs_, FallbackCategory(defaults_));
    StampMeta(&entity_.meta, IdPrefixFor(entity_.type), defaults_, id, category);
    return std::move(entity_);
  }

 private:
  Status Error(const std::string& field, const std::string& reason) const {
    std::string message = file_ + ": " + where_;
    if (!field.empty()) message += ", field " + field;
    return InvalidArgument(message + ": " + reason);
  }

  Status Detail(const Json& detail, size_t index, std::string* first_names) {
    std::string at = "RegistreDetail[" + std::to_string(index) + "]";
    if (!detail.is_object()) return Error(at, "expected a JSON object");
    std::string type = Field(detail, "TypeChamp");
    if (type.empty()) return Error(at + ".TypeChamp", "missing");
    auto values = detail.find("Valeur");
    if (values == detail.end()) return Status::Ok();
    if (!values->is_array()) return Error(at + ".Valeur", "expected an array");
    for (size_t v = 0; v < values->size(); ++v) {
      const Json& value = (*values)[v];
      std::string value_at = at + ".Valeur[" + std::to_string(v) + "]";
      if (!value.is_object()) return Error(value_at, "expected a JSON object");
      ENTENTE_RETURN_IF_ERROR(Value(type, value, value_at, first_names));
    }
    return Status::Ok();
  }

  Status Value(const std::string& type, const Json& value, const std::string& at,
               std::string* first_names) {
    Entity& e = entity_;
    if (type == "PRENOM") {
      std::string prenom = Field(value, "Prenom");
      if (!prenom.empty())
        *first_names = first_names->empty() ? prenom : *first_names + " " + prenom;
    } else if (type == "ALIAS") {
      e.names.push_back({Field(value, "Alias"), NameKind::kAlias, ""});
      AddAttribute(&e, "alias_comments", Field(value, "Commentaire"));
    } else if (type == "DATE_DE_NAISSANCE") {
      std::string why;
      auto date =
          DateFromParts(Field(value, "Jour"), Field(value, "Mois"), Field(value, "Annee"), &why);
      if (!date && !why.empty())
        return Error(at, "day \"" + Field(value, "Jour") + "\", month \"" + Field(value, "Mois") +
                             "\", year \"" + Field(value, "Annee") + "\": " + why);
      if (date) AddDate(&e, *date);
    } else if (type == "LIEU_DE_NAISSANCE") {
      std::vector<std::string> place;
      AddText(&place, Field(value, "Lieu"));
      AddText(&place, Field(value, "Pays"));
      AddText(&e.birth_places, Join(place, ", "));
    } else if (type == "NATIONALITE") {
      std::string country = Field(value, "Pays");
      std::string code = FrenchCountryCode(country);
      if (code.empty())
        AddText(&unknown_countries_, country);
      else
        AddText(&e.nationalities, code);
    } else if (type == "SEXE") {
      std::string sexe = Fold(Field(value, "Sexe"));
      if (sexe.starts_with("m")) e.gender = Gender::kMale;
      if (sexe.starts_with("f")) e.gender = Gender::kFemale;
    } else if (type == "PASSEPORT" || type == "IDENTIFICATION") {
      std::string number =
          type == "PASSEPORT" ? Field(value, "NumeroPasseport") : Field(value, "Identification");
      if (number.empty()) number = AllText(value);
      if (!number.empty())
        e.documents.push_back(
            {type == "PASSEPORT" ? "passport" : "national-id", number, "", "", ""});
    } else if (type == "ADRESSE_PP" || type == "ADRESSE_PM") {
      AddText(&e.addresses, AllText(value));
    } else if (type == "TITRE") {
      AddAttribute(&e, "title", Field(value, "Titre"));
    } else if (type == "MOTIFS") {
      AddAttribute(&e, "remarks", Field(value, "Motifs"));
    } else if (type == "FONDEMENT_JURIDIQUE") {
      std::string label = Field(value, "FondementJuridiqueLabel");
      if (label.empty()) label = Field(value, "FondementJuridique");
      AddText(&programs_, label);
    } else if (type == "REFERENCE_UE") {
      AddAttribute(&e, "eu_reference_number", AllText(value));
    } else if (type == "REFERENCE_ONU") {
      AddAttribute(&e, "un_reference", AllText(value));
    } else {
      AddAttribute(&e, "fr_" + ToLowerAscii(type), AllText(value));
    }
    return Status::Ok();
  }

  const std::string& file_;
  std::string where_;
  const ImportDefaults& defaults_;
  Entity entity_;
  std::vector<std::string> programs_;
  std::vector<std::string> unknown_countries_;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> FrGelsReaderFromString(std::string data,
                                                             const std::string& name,
                                                             const ImportDefaults& defaults) {
  data = StripBom(std::move(data));
  if (Trim(data).empty()) return InvalidArgument(name + ": the file is empty");
  ENTENTE_RETURN_IF_ERROR(CheckUtf8(name, 0, "", data));
  Json document;
  try {
    document = Json::parse(data);
  } catch (const Json::parse_error& e) {
    return InvalidArgument(name + " line " +
                           std::to_string(LineIndex(data).LineOf(static_cast<ptrdiff_t>(e.byte))) +
                           ": malformed JSON: " + e.what());
  }
  const char* expected =
      ": not a French asset-freeze register JSON file (expected {\"Publications\": "
      "{\"PublicationDetail\": [...]}})";
  if (!document.is_object() || !document.contains("Publications") ||
      !document["Publications"].is_object())
    return InvalidArgument(name + expected);
  const Json& publications = document["Publications"];
  auto detail = publications.find("PublicationDetail");
  if (detail == publications.end() || !detail->is_array()) return InvalidArgument(name + expected);
  std::string published = Field(publications, "DatePublication");
  std::vector<ReadItem> items;
  for (size_t i = 0; i < detail->size(); ++i) {
    const Json& entry = (*detail)[i];
    ReadItem item;
    item.file = name;
    item.raw = entry.dump();
    FrEntry builder(name, EntryPath(i, entry), defaults);
    Result<Entity> entity = builder.Build(entry, published);
    if (entity.ok())
      item.records.emplace_back(std::move(entity).value());
    else
      item.error = entity.status();
    items.push_back(std::move(item));
  }
  return std::unique_ptr<RecordReader>(std::make_unique<PreparedReader>(std::move(items)));
}

Result<std::unique_ptr<RecordReader>> OpenFrGelsReader(const std::string& path,
                                                       const ImportDefaults& defaults) {
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(path));
  return FrGelsReaderFromString(std::move(data), path, defaults);
}

}  // namespace entente::ingest
