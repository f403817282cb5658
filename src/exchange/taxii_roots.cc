#include "exchange/taxii_roots.h"

#include "common/text.h"
#include "common/time.h"

namespace entente::exchange {
namespace {

ApiRoot DefaultRoot() {
  return {kDefaultApiRoot, "entente", "Collections under this node's agreements"};
}

bool IsRootChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

std::string ApiRootPath(std::string_view name) { return "/taxii2/" + std::string(name) + "/"; }

Status CheckApiRootName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && name.front() != '.' && name.front() != '_' &&
            name.front() != '-';
  for (char c : name) ok = ok && IsRootChar(c);
  if (ok) return Status::Ok();
  return InvalidArgument("API root name \"" + std::string(name) +
                         "\": 1 to 64 characters of a-z 0-9 . _ -, starting with a letter or"
                         " digit (it is the URL segment /taxii2/NAME/)");
}

Status AddApiRoot(Database& db, const ApiRoot& root) {
  ENTENTE_RETURN_IF_ERROR(CheckApiRootName(root.name));
  if (Trim(root.title).empty())
    return InvalidArgument("API root " + root.name + ": the title is empty");
  if (root.name == kDefaultApiRoot)
    return Conflict("API root " + root.name + " already exists (it is the default one)");
  ENTENTE_ASSIGN_OR_RETURN(auto taken,
                           db.Query("SELECT 1 FROM taxii_api_roots WHERE name = ?", {root.name}));
  if (!taken.empty()) return Conflict("API root " + root.name + " already exists");
  return db.Execute(
      "INSERT INTO taxii_api_roots (name, title, description, created) VALUES (?,?,?,?)",
      {root.name, root.title, root.description, NowTimestamp()});
}

Result<std::vector<ApiRoot>> ListApiRoots(Database& db) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT name, title, description FROM taxii_api_roots ORDER BY created, name"));
  std::vector<ApiRoot> out = {DefaultRoot()};
  for (const SqlRow& row : rows) out.push_back({row.Text(0), row.Text(1), row.Text(2)});
  return out;
}

Result<ApiRoot> GetApiRoot(Database& db, std::string_view name) {
  if (name == kDefaultApiRoot) return DefaultRoot();
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT name, title, description FROM taxii_api_roots WHERE name = ?",
                          {std::string(name)}));
  if (rows.empty()) return NotFound("no API root " + std::string(name));
  return ApiRoot{rows[0].Text(0), rows[0].Text(1), rows[0].Text(2)};
}

}  // namespace entente::exchange
