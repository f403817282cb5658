// The access fields the TAXII routes read from an entente record's extension (RecordAccessMeta)
// are the ones the whole record decode gives (StixToRecord), for every marking, releasability
// and service; an extension whose access fields do not decode is refused (fail closed).
#include <gtest/gtest.h>

#include "api/taxii_routes_access.h"
#include "common/ids.h"
#include "exchange/stix_mapping.h"
#include "model/codec.h"

namespace entente::exchange {
namespace {

using nlohmann::json;

Entity Sample(Tlp tlp, std::vector<std::string> releasable_to, std::string service) {
  Entity e;
  e.meta.id = RandomId("person");
  e.meta.provenance = {service, "registry", "R-1", "", ""};
  e.meta.grades = {'B', 2};
  e.meta.category = ThreatCategory::kTerrorism;
  e.meta.marking = {tlp, std::move(releasable_to)};
  e.type = EntityType::kPerson;
  e.names = {{"Karim SAMPLE", NameKind::kPrimary, "Latn"}};
  return e;
}

TEST(TaxiiAccessMeta, TheSameFieldsAsTheWholeRecordDecode) {
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed})
    for (const auto& rel : std::vector<std::vector<std::string>>{{}, {"DGSI"}, {"DGSI", "CNI"}})
      for (const char* service : {"DGSN-DGST", "DGSI", ""}) {
        json object = RecordToStix(Record(Sample(tlp, rel, service)));
        auto lean = RecordAccessMeta(object);
        auto whole = StixToRecord(object, StixImportContext{});
        ASSERT_TRUE(whole.ok() && whole->has_value()) << object.dump();
        ASSERT_TRUE(lean.has_value()) << object.dump();
        const RecordMeta& meta = MetaOf(**whole);
        EXPECT_EQ(lean->marking.tlp, meta.marking.tlp) << object.dump();
        EXPECT_EQ(lean->marking.releasable_to, meta.marking.releasable_to);
        EXPECT_EQ(lean->provenance.service, meta.provenance.service);
      }
}

TEST(TaxiiAccessMeta, AStricterTlpMarkingOnTheObjectWins) {
  json object = RecordToStix(Record(Sample(Tlp::kGreen, {}, "DGSN-DGST")));
  object["object_marking_refs"] = json::array({std::string(TlpMarkingId(Tlp::kRed))});
  auto lean = RecordAccessMeta(object);
  auto whole = StixToRecord(object, StixImportContext{});
  ASSERT_TRUE(lean && whole.ok() && whole->has_value());
  EXPECT_EQ(lean->marking.tlp, Tlp::kRed);
  EXPECT_EQ(MetaOf(**whole).marking.tlp, Tlp::kRed);
}

TEST(TaxiiAccessMeta, AccessFieldsThatDoNotDecodeAreRefused) {
  json base = RecordToStix(Record(Sample(Tlp::kGreen, {"DGSI"}, "DGSN-DGST")));
  json& ext = base["extensions"][kEntenteExtensionId];
  ASSERT_TRUE(ext.is_object());
  std::vector<std::function<void(json&)>> breakages = {
      [](json& e) { e["marking"]["tlp"] = "PURPLE"; },
      [](json& e) { e["marking"]["tlp"] = 3; },
      [](json& e) { e["marking"] = "GREEN"; },
      [](json& e) { e["marking"]["releasable_to"] = "DGSI"; },
      [](json& e) { e["marking"]["releasable_to"] = json::array({1}); },
      [](json& e) { e["provenance"] = "DGSN-DGST"; },
      [](json& e) { e["provenance"]["service"] = json::array(); },
  };
  for (auto& breakage : breakages) {
    json object = base;
    breakage(object["extensions"][kEntenteExtensionId]);
    EXPECT_FALSE(RecordAccessMeta(object).has_value()) << object.dump();
    auto whole = StixToRecord(object, StixImportContext{});
    EXPECT_FALSE(whole.ok() && whole->has_value()) << "the whole decode accepts " << object.dump();
  }
  json refs = base;
  refs["object_marking_refs"] = json::array({7});
  EXPECT_FALSE(RecordAccessMeta(refs).has_value());
  json plain = {{"type", "indicator"}, {"id", "indicator--" + RandomId("x").substr(3)}};
  EXPECT_FALSE(RecordAccessMeta(plain).has_value());  // not a record: no record access fields
}

}  // namespace
}  // namespace entente::exchange
