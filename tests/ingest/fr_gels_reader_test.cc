// The French asset-freeze register reader. ../shared/data holds no copy of the register, so
// the fixture is written by hand in the published JSON layout (Publications.PublicationDetail
// with IdRegistre, Nature, Nom and RegistreDetail TypeChamp/Valeur pairs).
#include "ingest/fr_gels_reader.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/ids.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kRegister = R"xml({"Publications": {
  "DatePublication": "2025-09-01T10:00:00",
  "PublicationDetail": [
    {"IdRegistre": 4101, "Nature": "Personne physique", "Nom": "EL AMRANI",
     "RegistreDetail": [
       {"TypeChamp": "PRENOM", "Valeur": [{"Prenom": "Youssef"}]},
       {"TypeChamp": "SEXE", "Valeur": [{"Sexe": "Masculin"}]},
       {"TypeChamp": "ALIAS", "Valeur": [{"Alias": "Abou Yacine", "Commentaire": "pseudonyme"},
                                         {"Alias": "يوسف العمراني"}]},
       {"TypeChamp": "DATE_DE_NAISSANCE", "Valeur": [{"Jour": "04", "Mois": "03", "Annee": "1987"},
                                                     {"Annee": "1988"}]},
       {"TypeChamp": "LIEU_DE_NAISSANCE", "Valeur": [{"Lieu": "Tanger", "Pays": "Maroc"}]},
       {"TypeChamp": "NATIONALITE", "Valeur": [{"Pays": "Maroc"}, {"Pays": "française"},
                                               {"Pays": "Atlantide"}]},
       {"TypeChamp": "PASSEPORT", "Valeur": [{"NumeroPasseport": "XK1234567"}]},
       {"TypeChamp": "ADRESSE_PP", "Valeur": [{"Adresse": "12 rue de la Paix", "Pays": "France"}]},
       {"TypeChamp": "MOTIFS", "Valeur": [{"Motifs": "Participation à une entreprise terroriste"}]},
       {"TypeChamp": "FONDEMENT_JURIDIQUE", "Valeur": [{"FondementJuridique": "L562-2",
          "FondementJuridiqueLabel": "Code monétaire et financier L562-2 (terrorisme)"}]},
       {"TypeChamp": "REFERENCE_UE", "Valeur": [{"ReferenceUe": "EU.123.45"}]},
       {"TypeChamp": "TELEPHONE", "Valeur": [{"Telephone": "+212 600 000 000"}]}
     ]},
    {"IdRegistre": 4102, "Nature": "Personne morale", "Nom": "SOCIÉTÉ ATLAS TRADING",
     "RegistreDetail": [
       {"TypeChamp": "ADRESSE_PM", "Valeur": [{"Adresse": "Zone franche", "Pays": "Syrie"}]},
       {"TypeChamp": "FONDEMENT_JURIDIQUE", "Valeur": [{"FondementJuridique": "UE 36/2012"}]}
     ]},
    {"IdRegistre": 4103, "Nature": "Navire", "Nom": "OCEAN STAR", "RegistreDetail": []}
  ]}}
)xml";

bool HasName(const Entity& e, const std::string& name, NameKind kind) {
  return std::any_of(e.names.begin(), e.names.end(),
                     [&](const Name& n) { return n.full == name && n.kind == kind; });
}

TEST(FrGelsReader, ReadsThePublishedJson) {
  TempDir dir;
  auto records = ReadAll(Options("fr-gels", dir.Write("gels.json", kRegister)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 3u);
  const Entity& person = std::get<Entity>((*records)[0]);
  EXPECT_EQ(person.type, EntityType::kPerson);
  EXPECT_EQ(person.meta.id, DeterministicId("person", "fr-gels", "4101"));
  EXPECT_EQ(person.DisplayName(), "Youssef EL AMRANI");
  EXPECT_TRUE(HasName(person, "Abou Yacine", NameKind::kAlias));
  ASSERT_EQ(person.names.size(), 3u);
  EXPECT_EQ(person.names[2].script, "Arab");
  EXPECT_EQ(person.gender, Gender::kMale);
  ASSERT_EQ(person.birth_dates.size(), 2u);
  EXPECT_EQ(person.birth_dates[0].ToString(), "1987-03-04");
  EXPECT_EQ(person.birth_dates[1].ToString(), "1988");
  EXPECT_EQ(person.birth_places, std::vector<std::string>{"Tanger, Maroc"});
  EXPECT_EQ(person.nationalities, (std::vector<std::string>{"MA", "FR"}));
  EXPECT_EQ(person.attributes.at("nationality_text"), "Atlantide");
  ASSERT_EQ(person.documents.size(), 1u);
  EXPECT_EQ(person.documents[0].number, "XK1234567");
  EXPECT_EQ(person.addresses, std::vector<std::string>{"12 rue de la Paix, France"});
  EXPECT_EQ(person.meta.category, ThreatCategory::kTerrorism);
  EXPECT_EQ(person.attributes.at("programs"), "Code monétaire et financier L562-2 (terrorisme)");
  EXPECT_EQ(person.attributes.at("eu_reference_number"), "EU.123.45");
  EXPECT_EQ(person.attributes.at("fr_telephone"), "+212 600 000 000");  // kept, not dropped
  EXPECT_EQ(person.attributes.at("list_published"), "2025-09-01T10:00:00");

  const Entity& company = std::get<Entity>((*records)[1]);
  EXPECT_EQ(company.type, EntityType::kOrganization);
  EXPECT_EQ(company.DisplayName(), "SOCIÉTÉ ATLAS TRADING");
  EXPECT_EQ(company.attributes.at("programs"), "UE 36/2012");
  EXPECT_EQ(std::get<Entity>((*records)[2]).type, EntityType::kVehicle);
}

TEST(FrGelsReader, BadInputNamesTheEntryAndImportsNothing) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto fail = [&](const std::string& content, const std::string& expected) {
    auto report = RunImport(*db.store, Options("fr-gels", dir.Write("gels.json", content)));
    ASSERT_FALSE(report.ok()) << expected;
    EXPECT_NE(report.status().message().find(expected), std::string::npos)
        << report.status().message();
    EXPECT_EQ(db.Records(), 0);
  };
  auto with = [](const std::string& entry) {
    return R"({"Publications": {"PublicationDetail": [
      {"IdRegistre": 1, "Nature": "Personne morale", "Nom": "OK"},
      )" + entry +
           "]}}";
  };
  fail("", "gels.json: the file is empty");
  fail("{\"Publications\": {\n\"PublicationDetail\": [\n{\"IdRegistre\": }]}}",
       "gels.json line 3: malformed JSON");
  fail("{\"Results\": []}", "not a French asset-freeze register JSON file");
  fail(with(R"({"Nature": "Personne physique", "Nom": "X"})"),
       "gels.json: Publications.PublicationDetail[1], field IdRegistre: missing");
  fail(with(R"({"IdRegistre": 7, "Nature": "Personne physique"})"),
       "Publications.PublicationDetail[1] (IdRegistre 7), field Nom: missing");
  fail(with(R"({"IdRegistre": 8, "Nature": "Martien", "Nom": "X"})"),
       "(IdRegistre 8), field Nature: \"Martien\" is not Personne physique");
  fail(with(R"({"IdRegistre": 9, "Nature": "Personne physique", "Nom": "X", "RegistreDetail": [
         {"TypeChamp": "DATE_DE_NAISSANCE", "Valeur": [{"Jour": "30", "Mois": "2", "Annee": "1990"}]}]})"),
       "(IdRegistre 9), field RegistreDetail[0].Valeur[0]: day \"30\", month \"2\", year \"1990\"");
  fail(with(R"({"IdRegistre": 10, "Nature": "Personne physique", "Nom": "X",
                "RegistreDetail": {"TypeChamp": "ALIAS"}})"),
       "(IdRegistre 10), field RegistreDetail: expected an array");
  fail(with("{\"IdRegistre\": 11, \"Nature\": \"Personne physique\", \"Nom\": \"X\xff\"}"),
       "gels.json: invalid UTF-8");
}

TEST(FrGelsReader, ReimportIsIdempotent) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = dir.Write("gels.json", kRegister);
  auto first = RunImport(*db.store, Options("fr-gels", path));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->created, 3);
  auto second = RunImport(*db.store, Options("fr-gels", path));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->unchanged, 3);
}

TEST(FrenchCountryCode, NamesAndAdjectives) {
  EXPECT_EQ(FrenchCountryCode("Corée du Nord"), "KP");
  EXPECT_EQ(FrenchCountryCode("marocaine"), "MA");
  EXPECT_EQ(FrenchCountryCode("Russie"), "RU");
  EXPECT_EQ(FrenchCountryCode("Morocco"), "MA");  // English names too
  EXPECT_EQ(FrenchCountryCode("Atlantide"), "");
}

}  // namespace
}  // namespace entente::ingest
