// The STIX 2.1 MUST rules: each broken rule is rejected and named.
#include "exchange/stix_validate.h"

#include <gtest/gtest.h>

namespace entente::exchange {
namespace {

using nlohmann::json;

json Identity() {
  return {{"type", "identity"},
          {"spec_version", "2.1"},
          {"id", "identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e"},
          {"created", "2016-04-06T20:03:00.000Z"},
          {"modified", "2016-04-06T20:03:00.000Z"},
          {"name", "ACME"},
          {"identity_class", "organization"}};
}

std::string Rule(const json& o) {
  Status s = ValidateStixObject(o);
  return s.ok() ? "ok" : s.message();
}

void ExpectRule(const json& o, const std::string& rule) {
  std::string message = Rule(o);
  EXPECT_NE(message.find("rule " + rule), std::string::npos) << "got: " << message;
}

TEST(ValidateStixObject, AcceptsAValidObject) { EXPECT_EQ(Rule(Identity()), "ok"); }

TEST(ValidateStixObject, NamesEachCommonRule) {
  json o = Identity();
  o.erase("type");
  ExpectRule(o, "stix21.common.type-required");
  o = Identity();
  o["type"] = "Identity_X";
  ExpectRule(o, "stix21.common.type-format");
  o = Identity();
  o["id"] = "identity--not-a-uuid";
  ExpectRule(o, "stix21.common.id-format");
  o = Identity();
  o.erase("id");
  ExpectRule(o, "stix21.common.id-required");
  o = Identity();
  o["id"] = "threat-actor--023d105b-752e-4e3c-941c-7d3f3cb15e9e";
  ExpectRule(o, "stix21.common.id-type-match");
  o = Identity();
  o.erase("spec_version");
  ExpectRule(o, "stix21.common.spec-version-required");
  o = Identity();
  o["spec_version"] = "2.0";
  ExpectRule(o, "stix21.common.spec-version-value");
  o = Identity();
  o.erase("created");
  ExpectRule(o, "stix21.common.created-required");
  o = Identity();
  o.erase("modified");
  ExpectRule(o, "stix21.common.modified-required");
  o = Identity();
  o["created"] = "2016-04-06 20:03:00";
  ExpectRule(o, "stix21.common.timestamp-format");
  o = Identity();
  o["modified"] = "2016-04-06T20:03:00+01:00";
  ExpectRule(o, "stix21.common.timestamp-format");
  o = Identity();
  o["modified"] = "2015-01-01T00:00:00Z";
  ExpectRule(o, "stix21.common.modified-after-created");
  o = Identity();
  o["created_by_ref"] = "malware--023d105b-752e-4e3c-941c-7d3f3cb15e9e";
  ExpectRule(o, "stix21.common.created-by-ref-identity");
  o = Identity();
  o["object_marking_refs"] = {"identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e"};
  ExpectRule(o, "stix21.common.object-marking-refs-type");
  o = Identity();
  o["confidence"] = 101;
  ExpectRule(o, "stix21.common.confidence-range");
  o = Identity();
  o["revoked"] = "yes";
  ExpectRule(o, "stix21.common.revoked-boolean");
  o = Identity();
  o["x"] = 1;
  ExpectRule(o, "stix21.common.property-name");
  o = Identity();
  o["bad-name"] = 1;
  ExpectRule(o, "stix21.common.property-name");
  o = Identity();
  o["external_references"] = {{{"url", "http://x"}}};
  ExpectRule(o, "stix21.external-reference.source-name-required");
  o = Identity();
  o["granular_markings"] = {{{"selectors", {"name"}}}};
  ExpectRule(o, "stix21.granular-marking.ref-or-lang");
  o = Identity();
  o["granular_markings"] = {
      {{"marking_ref", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"}}};
  ExpectRule(o, "stix21.granular-marking.selectors-required");
  o = Identity();
  o["extensions"] = {{"extension-definition--bad", {{"extension_type", "property-extension"}}}};
  ExpectRule(o, "stix21.extension.key-format");
  o = Identity();
  o.erase("name");
  ExpectRule(o, "stix21.identity.required-name");
  EXPECT_NE(Rule(json::array()).find("stix21.object.is-object"), std::string::npos);
}

TEST(ValidateStixObject, TypeSpecificRules) {
  json loc = {{"type", "location"},
              {"spec_version", "2.1"},
              {"id", "location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
              {"created", "2016-04-06T20:03:00.000Z"},
              {"modified", "2016-04-06T20:03:00.000Z"}};
  ExpectRule(loc, "stix21.location.required-region-country-or-coordinates");
  loc["latitude"] = 10.0;
  ExpectRule(loc, "stix21.location.latitude-longitude-pair");
  loc["longitude"] = 200.0;
  ExpectRule(loc, "stix21.location.longitude-range");
  loc["longitude"] = 20.0;
  EXPECT_EQ(Rule(loc), "ok");

  json rel = {{"type", "relationship"},
              {"spec_version", "2.1"},
              {"id", "relationship--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
              {"created", "2016-04-06T20:03:00.000Z"},
              {"modified", "2016-04-06T20:03:00.000Z"},
              {"relationship_type", "member-of"},
              {"source_ref", "identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e"},
              {"target_ref", "identity--123d105b-752e-4e3c-941c-7d3f3cb15e9e"}};
  EXPECT_EQ(Rule(rel), "ok");
  json r = rel;
  r.erase("source_ref");
  ExpectRule(r, "stix21.relationship.required-source_ref");
  r = rel;
  r["target_ref"] = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
  ExpectRule(r, "stix21.relationship.ref-to-sdo-or-sco");
  r = rel;
  r["relationship_type"] = "Member Of";
  ExpectRule(r, "stix21.relationship.required-relationship_type");
  r = rel;
  r["start_time"] = "2020-01-02T00:00:00Z";
  r["stop_time"] = "2020-01-01T00:00:00Z";
  ExpectRule(r, "stix21.relationship.stop-after-start");

  json sighting = {{"type", "sighting"},
                   {"spec_version", "2.1"},
                   {"id", "sighting--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
                   {"created", "2016-04-06T20:03:00.000Z"},
                   {"modified", "2016-04-06T20:03:00.000Z"},
                   {"sighting_of_ref", "identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e"},
                   {"where_sighted_refs", {"malware--023d105b-752e-4e3c-941c-7d3f3cb15e9e"}}};
  ExpectRule(sighting, "stix21.sighting.where-sighted-identity-or-location");
  sighting.erase("sighting_of_ref");
  ExpectRule(sighting, "stix21.sighting.required-sighting_of_ref");

  json indicator = {{"type", "indicator"},
                    {"spec_version", "2.1"},
                    {"id", "indicator--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
                    {"created", "2016-04-06T20:03:00.000Z"},
                    {"modified", "2016-04-06T20:03:00.000Z"},
                    {"pattern", "[x:y = 1]"},
                    {"pattern_type", "stix"}};
  ExpectRule(indicator, "stix21.indicator.required-valid_from");
  json malware = {{"type", "malware"},
                  {"spec_version", "2.1"},
                  {"id", "malware--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
                  {"created", "2016-04-06T20:03:00.000Z"},
                  {"modified", "2016-04-06T20:03:00.000Z"}};
  ExpectRule(malware, "stix21.malware.required-is_family");
  json md = {{"type", "marking-definition"},
             {"spec_version", "2.1"},
             {"id", "marking-definition--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
             {"created", "2016-04-06T20:03:00.000Z"}};
  ExpectRule(md, "stix21.marking-definition.definition-required");
  json report = {{"type", "report"},
                 {"spec_version", "2.1"},
                 {"id", "report--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
                 {"created", "2016-04-06T20:03:00.000Z"},
                 {"modified", "2016-04-06T20:03:00.000Z"},
                 {"name", "r"},
                 {"published", "2016-04-06T20:03:00.000Z"}};
  ExpectRule(report, "stix21.report.required-object_refs");
}

TEST(ValidateStixObject, AllowsCustomContent) {
  json o = Identity();
  o["x_mitre_version"] = "1.0";
  EXPECT_EQ(Rule(o), "ok");
  json custom = {{"type", "x-mitre-tactic"},
                 {"spec_version", "2.1"},
                 {"id", "x-mitre-tactic--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
                 {"created", "2016-04-06T20:03:00.000Z"},
                 {"modified", "2016-04-06T20:03:00.000Z"}};
  EXPECT_EQ(Rule(custom), "ok");
}

TEST(ValidateStixBundle, ChecksEnvelope) {
  EXPECT_FALSE(ValidateStixBundle(json::array()).ok());
  EXPECT_FALSE(ValidateStixBundle({{"type", "bundle"}, {"id", "bundle--x"}}).ok());
  json b = {{"type", "bundle"},
            {"id", "bundle--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"},
            {"objects", {Identity()}}};
  EXPECT_TRUE(ValidateStixBundle(b).ok());
  b["objects"].push_back(
      {{"type", "bundle"}, {"id", "bundle--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"}});
  Status s = ValidateStixBundle(b);
  EXPECT_NE(s.message().find("object 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("stix21.bundle.not-nested"), std::string::npos);
}

}  // namespace
}  // namespace entente::exchange
