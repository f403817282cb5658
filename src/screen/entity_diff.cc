#include "screen/entity_diff.h"

#include <algorithm>
#include <vector>

#include "common/text.h"

namespace entente::screen {
namespace {

// "+a +b -c" for the values added to and removed from a set.
void DiffSets(const std::string& label, std::vector<std::string> before,
              std::vector<std::string> after, std::vector<std::string>* parts) {
  std::sort(before.begin(), before.end());
  std::sort(after.begin(), after.end());
  std::vector<std::string> added, removed;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(removed));
  if (added.empty() && removed.empty()) return;
  std::string text = label;
  for (const auto& value : added) text += " +'" + value + "'";
  for (const auto& value : removed) text += " -'" + value + "'";
  parts->push_back(std::move(text));
}

void DiffValue(const std::string& label, const std::string& before, const std::string& after,
               std::vector<std::string>* parts) {
  if (before != after) parts->push_back(label + " " + before + " -> " + after);
}

std::vector<std::string> Names(const Entity& entity) {
  std::vector<std::string> out;
  for (const Name& name : entity.names) out.push_back(name.full);
  return out;
}

std::vector<std::string> Dates(const Entity& entity) {
  std::vector<std::string> out;
  for (const PartialDate& date : entity.birth_dates) out.push_back(date.ToString());
  return out;
}

std::vector<std::string> Documents(const Entity& entity) {
  std::vector<std::string> out;
  for (const auto& doc : entity.documents) out.push_back(doc.type + " " + doc.number);
  return out;
}

}  // namespace

std::string DescribeEntityChange(const Entity& before, const Entity& after) {
  std::vector<std::string> parts;
  DiffSets("names", Names(before), Names(after), &parts);
  DiffSets("birth dates", Dates(before), Dates(after), &parts);
  DiffSets("nationalities", before.nationalities, after.nationalities, &parts);
  DiffSets("documents", Documents(before), Documents(after), &parts);
  DiffSets("birth places", before.birth_places, after.birth_places, &parts);
  DiffValue("gender",
            before.gender == Gender::kUnknown ? "unknown" : std::string(GenderName(before.gender)),
            after.gender == Gender::kUnknown ? "unknown" : std::string(GenderName(after.gender)),
            &parts);
  DiffValue("category", std::string(ThreatCategoryName(before.meta.category)),
            std::string(ThreatCategoryName(after.meta.category)), &parts);
  std::string grades_before = std::string(1, before.meta.grades.reliability) +
                              std::to_string(before.meta.grades.credibility);
  std::string grades_after =
      std::string(1, after.meta.grades.reliability) + std::to_string(after.meta.grades.credibility);
  DiffValue("grades", grades_before, grades_after, &parts);
  DiffValue("tlp", std::string(TlpName(before.meta.marking.tlp)),
            std::string(TlpName(after.meta.marking.tlp)), &parts);
  if (before.attributes != after.attributes) parts.push_back("attributes changed");
  return Join(parts, "; ");
}

}  // namespace entente::screen
