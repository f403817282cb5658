#include "store/record_encoding.h"

#include <gtest/gtest.h>

#include "common/ids.h"
#include "model/codec.h"
#include "test_store.h"

namespace entente {
namespace {

using testing::SamplePerson;

Entity RichPerson() {
  Entity e = SamplePerson("7", "EL IDRISSI, Mohammed");
  e.names.push_back({"محمد الإدريسي", NameKind::kAlias, "Arab"});
  e.names.push_back({"Abu \"Quote\" \\ Back\tslash", NameKind::kWeakAlias, ""});
  e.birth_dates = {*PartialDate::Parse("1987-03-04"), *PartialDate::Parse("1988")};
  e.birth_places = {"Tanger, Maroc"};
  e.nationalities = {"MA", "FR"};
  e.gender = Gender::kMale;
  e.documents = {{"passport", "AB123456", "MA", "2015-01-02", "2025-01-01"},
                 {"national-id", "X1", "", "", ""}};
  e.addresses = {"12 rue X\nCasablanca"};
  e.attributes = {{"programs", "SDGT|IRGC"}, {"key \"q\"", "control \x01 char"}};
  e.meta.marking = {Tlp::kAmberStrict, {"DGSI", "BKA"}};
  e.meta.provenance.first_seen = "2020-01-01T00:00:00Z";
  return e;
}

VolatileFields SomeVolatile() {
  VolatileFields f;
  f.first_seen = "2020-01-01T00:00:00Z";
  f.last_seen = "2024-05-06T07:08:09Z";
  f.version = 3;
  f.created = "2021-01-01T00:00:00Z";
  f.modified = "2024-05-06T07:08:09Z";
  f.change_seq = 42;
  return f;
}

// What the store expects RecordFromJson(body) to give back: the record with the volatile
// fields the body carries.
Record WithVolatile(Record record, const VolatileFields& f) {
  RecordMeta& m = MetaOf(record);
  m.provenance.first_seen = f.first_seen;
  m.provenance.last_seen = f.last_seen;
  m.version = f.version;
  m.created = f.created;
  m.modified = f.modified;
  m.change_seq = f.change_seq;
  return record;
}

TEST(RecordEncoder, EntityBodyParsesBackToTheSameRecord) {
  Record record = RichPerson();
  RecordEncoder encoder;
  encoder.EncodeContent(record);
  encoder.Finish(SomeVolatile());
  auto parsed = RecordFromJson(encoder.body());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << encoder.body();
  EXPECT_EQ(std::get<Entity>(*parsed), std::get<Entity>(WithVolatile(record, SomeVolatile())));
}

TEST(RecordEncoder, RelationshipBodyParsesBackToTheSameRecord) {
  Relationship r;
  r.meta.id = DeterministicId("relationship", "test", "r1");
  r.meta.provenance = {"DGSI", "test", "r1", "", ""};
  r.meta.grades = {'C', 3};
  r.meta.revoked = true;
  r.type = RelationshipType::kMemberOf;
  r.source_id = DeterministicId("person", "test", "1");
  r.target_id = DeterministicId("organization", "test", "2");
  r.start = "2019-01-01";
  r.description = "met in \"Paris\"";
  RecordEncoder encoder;
  encoder.EncodeContent(Record(r));
  encoder.Finish(SomeVolatile());
  auto parsed = RecordFromJson(encoder.body());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << encoder.body();
  EXPECT_EQ(std::get<Relationship>(*parsed),
            std::get<Relationship>(WithVolatile(Record(r), SomeVolatile())));
}

TEST(RecordEncoder, EmptyEntityAndZeroChangeSeqStillParse) {
  Entity e;
  e.type = EntityType::kPhone;
  e.meta.id = DeterministicId("phone", "test", "p");
  RecordEncoder encoder;
  encoder.EncodeContent(Record(e));
  VolatileFields f;  // all empty, change_seq 0: not written
  encoder.Finish(f);
  EXPECT_EQ(encoder.body().find("change_seq"), std::string_view::npos);
  auto parsed = RecordFromJson(encoder.body());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << encoder.body();
  EXPECT_EQ(std::get<Entity>(*parsed), e);
}

TEST(RecordEncoder, HashIgnoresVolatileFieldsOnly) {
  Entity e = RichPerson();
  RecordEncoder a;
  a.EncodeContent(Record(e));
  std::string base = a.content_hash();
  EXPECT_EQ(base.rfind(kContentHashTag, 0), 0u);
  EXPECT_EQ(base.size(), kContentHashTag.size() + 64);

  Entity volatile_only = e;
  volatile_only.meta.version = 9;
  volatile_only.meta.created = "2000-01-01T00:00:00Z";
  volatile_only.meta.modified = "2001-01-01T00:00:00Z";
  volatile_only.meta.change_seq = 77;
  volatile_only.meta.provenance.first_seen = "1999-01-01T00:00:00Z";
  volatile_only.meta.provenance.last_seen = "2030-01-01T00:00:00Z";
  a.EncodeContent(Record(volatile_only));
  EXPECT_EQ(a.content_hash(), base);

  auto differs = [&](Entity changed) {
    RecordEncoder b;
    b.EncodeContent(Record(changed));
    return b.content_hash() != base;
  };
  Entity c = e;
  c.names[0].full += "x";
  EXPECT_TRUE(differs(c));
  c = e;
  c.meta.revoked = true;
  EXPECT_TRUE(differs(c));
  c = e;
  c.meta.marking.releasable_to.clear();
  EXPECT_TRUE(differs(c));
  c = e;
  c.meta.provenance.source_record_id = "8";
  EXPECT_TRUE(differs(c));
  c = e;
  c.attributes["programs"] = "SDGT";
  EXPECT_TRUE(differs(c));
}

TEST(RecordEncoder, FinishCanBeRepeated) {
  RecordEncoder encoder;
  encoder.EncodeContent(Record(RichPerson()));
  VolatileFields f = SomeVolatile();
  encoder.Finish(f);
  std::string first(encoder.body());
  f.version = 4;
  encoder.Finish(f);
  f.version = 3;
  encoder.Finish(f);
  EXPECT_EQ(encoder.body(), first);
  EXPECT_EQ(encoder.body().substr(0, encoder.content().size()), encoder.content());
}

TEST(AppendJsonString, EscapesQuotesBackslashesAndControls) {
  std::string out;
  AppendJsonString("a\"b\\c\n\t\x01\x1f", &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\"");
}

TEST(AppendJsonString, KeepsValidUtf8AndReplacesInvalidBytes) {
  std::string out;
  AppendJsonString("é محمد 𝄞", &out);
  EXPECT_EQ(out, "\"é محمد 𝄞\"");
  out.clear();
  // A lone continuation byte, a truncated sequence, an overlong form and a surrogate.
  AppendJsonString(std::string("a\x80") + "b\xC3" + "c\xC0\xAF" + "d\xED\xA0\x80", &out);
  EXPECT_EQ(out,
            "\"a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xEF\xBF\xBD\xEF\xBF\xBD"
            "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  Entity e = SamplePerson("9", "ok");
  e.attributes["bad"] = "x\xFFy";
  RecordEncoder encoder;
  encoder.EncodeContent(Record(e));
  encoder.Finish(VolatileFields{});
  auto parsed = RecordFromJson(encoder.body());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(std::get<Entity>(*parsed).attributes.at("bad"), "x\xEF\xBF\xBDy");
}

}  // namespace
}  // namespace entente
