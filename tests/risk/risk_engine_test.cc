#include "risk/risk_engine.h"

#include <gtest/gtest.h>

#include "../graph/graph_test_util.h"
#include "graph/dates.h"
#include "risk/risk_views.h"

namespace entente::risk {
namespace {

using namespace graph::testing;
using graph::EntityGraph;
using graph::Viewer;

const int32_t kToday = graph::DaysFromCivil(2024, 7, 1);

RiskRules Rules() {
  auto rules = DefaultRiskRules();
  EXPECT_TRUE(rules.ok());
  return *rules;
}

const RiskFactor& FactorOf(const RiskAssessment& assessment, const std::string& name) {
  for (const RiskFactor& factor : assessment.factors) {
    if (factor.name == name) return factor;
  }
  ADD_FAILURE() << "no factor " << name;
  return assessment.factors[0];
}

// A graph holding one person whose record we vary, plus whatever a test adds.
class RiskEngineTest : public ::testing::Test {
 protected:
  Entity Subject() {
    Entity subject = MakeEntity(PersonId(1), "Subject");
    subject.meta.grades = Grades{'F', 6};  // cannot be judged: both grade factors missing
    return subject;
  }
  RiskAssessment AssessEntity(const Entity& subject) {
    graph_.Apply(subject);
    graph_.Compact();
    RiskEngine engine(rules_, graph_);
    return engine.Assess({subject.meta.id}, Viewer::Trusted(), kToday);
  }
  double ScoreOf(const Entity& subject) { return AssessEntity(subject).score; }

  EntityGraph graph_;
  RiskRules rules_ = Rules();
};

TEST_F(RiskEngineTest, NothingKnownIsTheBaseScoreWithEveryFactorNeutral) {
  RiskEngine engine(rules_, graph_);
  RiskAssessment assessment = engine.Assess({}, Viewer::Trusted(), kToday);
  EXPECT_DOUBLE_EQ(assessment.score, rules_.base);
  EXPECT_EQ(assessment.level, RiskLevel::kLow);
  ASSERT_EQ(assessment.factors.size(), 8u);
  for (const RiskFactor& factor : assessment.factors) {
    EXPECT_TRUE(factor.missing) << factor.name;
    EXPECT_EQ(factor.contribution, 0.0) << factor.name;
  }
}

TEST_F(RiskEngineTest, CategorySeverityRaisesTheScoreInItsOrder) {
  Entity subject = Subject();
  subject.meta.category = ThreatCategory::kOther;
  double other = ScoreOf(subject);
  subject.meta.category = ThreatCategory::kNarcotics;
  double narcotics = ScoreOf(subject);
  subject.meta.category = ThreatCategory::kTerrorism;
  RiskAssessment terrorism = AssessEntity(subject);
  EXPECT_LT(other, narcotics);
  EXPECT_LT(narcotics, terrorism.score);
  const RiskFactor& factor = FactorOf(terrorism, "category_severity");
  EXPECT_DOUBLE_EQ(factor.contribution, 40.0);  // weight 40 * (1.0 - 0)
  ASSERT_EQ(factor.records.size(), 1u);
  EXPECT_EQ(factor.records[0].id, PersonId(1));
}

TEST_F(RiskEngineTest, GradesMoveTheScoreAroundTheirNeutralPointAndFIsMissing) {
  Entity subject = Subject();
  double unjudged = ScoreOf(subject);  // F / 6
  RiskAssessment missing = AssessEntity(subject);
  EXPECT_TRUE(FactorOf(missing, "source_reliability").missing);
  EXPECT_TRUE(FactorOf(missing, "information_credibility").missing);
  subject.meta.grades = Grades{'A', 1};
  double reliable = ScoreOf(subject);
  subject.meta.grades = Grades{'E', 5};
  double unreliable = ScoreOf(subject);
  subject.meta.grades = Grades{'C', 3};
  RiskAssessment middling = AssessEntity(subject);
  EXPECT_GT(reliable, unjudged);
  EXPECT_LT(unreliable, unjudged);
  // C = 0.6 and 3 = 0.6 against a neutral of 0.5: +1 point each.
  EXPECT_NEAR(FactorOf(middling, "source_reliability").contribution, 1.0, 1e-9);
  EXPECT_NEAR(FactorOf(middling, "information_credibility").contribution, 1.0, 1e-9);
}

TEST_F(RiskEngineTest, RecencyIsNeutralAtTheHalfLife) {
  Entity subject = Subject();
  subject.meta.provenance.last_seen = "2024-06-01T00:00:00Z";
  double recent = ScoreOf(subject);
  subject.meta.provenance.last_seen = "2010-01-01T00:00:00Z";
  double old = ScoreOf(subject);
  EXPECT_GT(recent, old);
  subject.meta.provenance.last_seen = "2022-07-02T00:00:00Z";  // 730 days before kToday
  RiskAssessment half = AssessEntity(subject);
  EXPECT_FALSE(FactorOf(half, "recency").missing);
  EXPECT_NEAR(FactorOf(half, "recency").contribution, 0.0, 1e-9);
  subject.meta.provenance.last_seen = "";
  subject.meta.created = subject.meta.modified = "";
  EXPECT_TRUE(FactorOf(AssessEntity(subject), "recency").missing);
}

TEST_F(RiskEngineTest, MatchConfidenceAboveNeutralRaisesBelowLowers) {
  RiskEngine engine(rules_, graph_);
  RiskSubject hit;
  hit.match_score = 0.95;
  double sure = engine.Assess(hit, Viewer::Trusted(), kToday).score;
  hit.match_score = 0.75;
  double neutral = engine.Assess(hit, Viewer::Trusted(), kToday).score;
  hit.match_score = 0.55;
  double weak = engine.Assess(hit, Viewer::Trusted(), kToday).score;
  EXPECT_NEAR(sure, rules_.base + 4.0, 1e-9);  // 20 * (0.95 - 0.75)
  EXPECT_NEAR(neutral, rules_.base, 1e-9);
  EXPECT_NEAR(weak, rules_.base - 4.0, 1e-9);
}

TEST_F(RiskEngineTest, AlertsSaturateAndDecisionsAddTheirPoints) {
  RiskEngine engine(rules_, graph_);
  RiskSubject subject;
  subject.open_alert_ids = {1};
  double one = engine.Assess(subject, Viewer::Trusted(), kToday).score;
  subject.open_alert_ids = {1, 2, 3};
  double three = engine.Assess(subject, Viewer::Trusted(), kToday).score;
  subject.open_alert_ids = {1, 2, 3, 4, 5};
  double five = engine.Assess(subject, Viewer::Trusted(), kToday).score;
  EXPECT_NEAR(one, rules_.base + 5.0, 1e-9);
  EXPECT_NEAR(three, rules_.base + 15.0, 1e-9);
  EXPECT_NEAR(five, three, 1e-9);

  RiskSubject decided;
  decided.hit_id = 7;
  decided.decision = "match";
  EXPECT_NEAR(engine.Assess(decided, Viewer::Trusted(), kToday).score, rules_.base + 25, 1e-9);
  decided.decision = "refer";
  EXPECT_NEAR(engine.Assess(decided, Viewer::Trusted(), kToday).score, rules_.base + 5, 1e-9);
  decided.decision = "no-match";
  EXPECT_NEAR(engine.Assess(decided, Viewer::Trusted(), kToday).score, 0.0, 1e-9);  // clamped
  EXPECT_EQ(FactorOf(engine.Assess(decided, Viewer::Trusted(), kToday), "decisions").records[0].id,
            "hit-7");
}

TEST_F(RiskEngineTest, ProximityDependsOnHopsStrengthAndSeverity) {
  // 1 -uses-phone- phone 10 -uses-phone- 2 (human trafficking)
  // 1 -associate-of- 3 -associate-of- 4 -associate-of- 5 (terrorism, 3 hops)
  graph_.Apply(
      MakeEntity(PhoneId(10), "+212 600 000 010", ThreatCategory::kOther, EntityType::kPhone));
  graph_.Apply(MakeEntity(PersonId(2), "Trafficker", ThreatCategory::kHumanTrafficking));
  graph_.Apply(MakeEntity(PersonId(3), "A"));
  graph_.Apply(MakeEntity(PersonId(4), "B"));
  graph_.Apply(MakeEntity(PersonId(5), "Terrorist", ThreatCategory::kTerrorism));
  graph_.Apply(MakeRel(RelId(1), PersonId(1), PhoneId(10), RelationshipType::kUsesPhone));
  graph_.Apply(MakeRel(RelId(2), PersonId(2), PhoneId(10), RelationshipType::kUsesPhone));
  graph_.Apply(MakeRel(RelId(3), PersonId(1), PersonId(3)));
  graph_.Apply(MakeRel(RelId(4), PersonId(3), PersonId(4)));
  graph_.Apply(MakeRel(RelId(5), PersonId(4), PersonId(5)));
  RiskAssessment linked = AssessEntity(Subject());
  const RiskFactor& proximity = FactorOf(linked, "network_proximity");
  ASSERT_FALSE(proximity.missing);
  // Phone path: 0.9 * 0.9 * 0.9 (severity) = 0.729; terrorist: 0.7^3 * 1.0 = 0.343.
  EXPECT_NEAR(proximity.value, 0.729, 1e-6);
  EXPECT_NEAR(proximity.contribution, 45 * 0.729, 1e-4);
  EXPECT_EQ(proximity.records[0].id, PersonId(2));
  EXPECT_EQ(proximity.records[0].role, "flagged");

  // Without the phone link the terrorist 3 hops away is what remains.
  Relationship cut = MakeRel(RelId(2), PersonId(2), PhoneId(10), RelationshipType::kUsesPhone);
  cut.meta.revoked = true;
  graph_.Apply(cut);
  RiskAssessment farther = AssessEntity(Subject());
  EXPECT_NEAR(FactorOf(farther, "network_proximity").value, 0.343, 1e-6);
  EXPECT_LT(farther.score, linked.score);

  // Beyond max_hops: missing, neutral.
  rules_.max_hops = 2;
  RiskAssessment out_of_reach = AssessEntity(Subject());
  EXPECT_TRUE(FactorOf(out_of_reach, "network_proximity").missing);
  EXPECT_EQ(FactorOf(out_of_reach, "network_proximity").contribution, 0.0);
}

TEST_F(RiskEngineTest, HubsDoNotCarryProximity) {
  graph_.Apply(MakeEntity(PersonId(2), "Smuggler", ThreatCategory::kNarcotics));
  graph_.Apply(MakeRel(RelId(1), PersonId(1), PersonId(50), RelationshipType::kLocatedAt));
  graph_.Apply(MakeRel(RelId(2), PersonId(2), PersonId(50), RelationshipType::kLocatedAt));
  graph_.Apply(
      MakeEntity(PersonId(50), "Casablanca", ThreatCategory::kOther, EntityType::kLocation));
  for (int extra = 100; extra < 110; ++extra) {
    graph_.Apply(MakeEntity(PersonId(extra), "Resident"));
    graph_.Apply(
        MakeRel(RelId(extra), PersonId(extra), PersonId(50), RelationshipType::kLocatedAt));
  }
  EXPECT_FALSE(FactorOf(AssessEntity(Subject()), "network_proximity").missing);
  rules_.max_degree = 5;
  EXPECT_TRUE(FactorOf(AssessEntity(Subject()), "network_proximity").missing);
}

TEST_F(RiskEngineTest, ALinkThroughARecordTheViewerMayNotReadNeitherCountsNorShows) {
  Entity phone =
      MakeEntity(PhoneId(10), "+33 6 11 22 33 44", ThreatCategory::kOther, EntityType::kPhone);
  phone.meta.provenance.service = "DGSI";
  phone.meta.marking = Marking{Tlp::kRed, {}};
  graph_.Apply(phone);
  graph_.Apply(MakeEntity(PersonId(2), "Trafficker", ThreatCategory::kHumanTrafficking));
  graph_.Apply(MakeRel(RelId(1), PersonId(1), PhoneId(10), RelationshipType::kUsesPhone));
  Relationship partner = MakeRel(RelId(2), PersonId(2), PhoneId(10), RelationshipType::kUsesPhone);
  partner.meta.provenance.service = "DGSI";
  partner.meta.marking = Marking{Tlp::kRed, {}};
  graph_.Apply(partner);
  graph_.Apply(Subject());
  graph_.Compact();
  RiskEngine engine(rules_, graph_);
  // The node itself sees the link through the partner's phone.
  const RiskFactor& trusted =
      FactorOf(engine.Assess({PersonId(1)}, Viewer::Trusted(), kToday), "network_proximity");
  EXPECT_FALSE(trusted.missing);
  EXPECT_GT(trusted.contribution, 30.0);
  // An officer who may not read the phone learns nothing of it: no score from it, no
  // "restricted" trace, not the flagged person's category behind it.
  Viewer officer = Viewer::Of("DGSN-DGST", Tlp::kAmber);
  RiskAssessment assessment = engine.Assess({PersonId(1)}, officer, kToday);
  const RiskFactor& proximity = FactorOf(assessment, "network_proximity");
  EXPECT_TRUE(proximity.missing) << proximity.detail;
  EXPECT_EQ(proximity.contribution, 0.0);
  std::string json = AssessmentToJson(assessment);
  EXPECT_EQ(json.find(PhoneId(10)), std::string::npos);
  EXPECT_EQ(json.find("+33"), std::string::npos);
  EXPECT_EQ(json.find(RelId(2)), std::string::npos);
  EXPECT_EQ(json.find("human-trafficking"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"restricted\": true"), std::string::npos) << json;
  std::string text = AssessmentToText(assessment);
  EXPECT_EQ(text.find("[restricted record]"), std::string::npos);
  EXPECT_EQ(text.find("+33"), std::string::npos);
  // A subject the viewer may not read is withheld whole: no identity, no score, no factor
  // derived from it (its category, grades, dates, neighbours).
  Entity secret = MakeEntity(PersonId(9), "Secret", ThreatCategory::kTerrorism);
  secret.meta.provenance.service = "DGSI";
  secret.meta.marking = Marking{Tlp::kRed, {}};
  graph_.Apply(secret);
  RiskAssessment hidden = engine.Assess({PersonId(9)}, officer, kToday);
  EXPECT_TRUE(hidden.subject_id.empty());
  EXPECT_TRUE(hidden.restricted);
  std::string hidden_json = AssessmentToJson(hidden);
  EXPECT_EQ(hidden_json.find("Secret"), std::string::npos);
  EXPECT_EQ(hidden_json.find("terrorism"), std::string::npos) << hidden_json;
  EXPECT_NE(hidden_json.find("\"score\": null"), std::string::npos) << hidden_json;
  for (const RiskFactor& factor : hidden.factors) EXPECT_TRUE(factor.records.empty());
}

TEST_F(RiskEngineTest, RankOrdersByScoreOnAnyNumberOfThreads) {
  graph_.Apply(MakeEntity(PersonId(2), "T", ThreatCategory::kTerrorism));
  graph_.Apply(MakeEntity(PersonId(3), "N", ThreatCategory::kNarcotics));
  graph_.Apply(Subject());
  graph_.Compact();
  RiskEngine engine(rules_, graph_);
  std::vector<RiskSubject> subjects;
  for (int copy = 0; copy < 400; ++copy) {
    subjects.push_back({PersonId(1 + copy % 3), "row " + std::to_string(copy)});
  }
  auto single = engine.Rank(subjects, Viewer::Trusted(), kToday, 1);
  auto parallel = engine.Rank(subjects, Viewer::Trusted(), kToday, 2);
  ASSERT_EQ(single.size(), 400u);
  EXPECT_EQ(single[0].subject_id, PersonId(2));
  EXPECT_EQ(single.back().subject_id, PersonId(1));
  for (size_t idx = 0; idx < single.size(); ++idx) {
    EXPECT_EQ(single[idx].subject_label, parallel[idx].subject_label);
  }
  GroupRisk group = SummarizeGroup(single);
  EXPECT_EQ(group.level, single[0].level);
  std::string table = RankingToText("event", single, 5);
  EXPECT_NE(table.find("... 395 more"), std::string::npos);
}

}  // namespace
}  // namespace entente::risk
