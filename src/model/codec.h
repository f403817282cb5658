// JSON form of the model's records: the one representation used by the store's record bodies,
// JSON-lines import/export and the HTTP API. Field names are snake_case and stable.
//
//   {"id":"person--…","type":"person","names":[{"full":"…","kind":"primary","script":"Latn"}],
//    "birth_dates":["1987-03-04"],"nationalities":["MA"],"gender":"male",
//    "documents":[{"type":"passport","number":"…","country":"MA"}],
//    "provenance":{"service":"…","source":"…","source_record_id":"…",…},
//    "reliability":"B","credibility":2,"category":"terrorism",
//    "marking":{"tlp":"AMBER","releasable_to":["DGSI"]},"version":1,…}
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"
#include "model/entity.h"

namespace entente {

std::string EntityToJson(const Entity& entity);
std::string RelationshipToJson(const Relationship& relationship);
// InvalidArgument naming the field on a bad value (unknown enum, bad date, wrong JSON type).
Result<Entity> EntityFromJson(std::string_view json);
Result<Relationship> RelationshipFromJson(std::string_view json);

// A stored record is one or the other; the id prefix tells which.
using Record = std::variant<Entity, Relationship>;
const RecordMeta& MetaOf(const Record& record);
RecordMeta& MetaOf(Record& record);
std::string RecordToJson(const Record& record);
Result<Record> RecordFromJson(std::string_view json);

}  // namespace entente
