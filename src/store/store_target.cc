#include "store/store_target.h"

namespace entente {

bool IsPostgresTarget(const std::string& target) {
  return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0 ||
         target.find("dbname=") != std::string::npos;
}

std::string TargetDatabaseName(const std::string& target) {
  if (!IsPostgresTarget(target)) return "";
  size_t scheme = target.find("://");
  if (scheme != std::string::npos) {
    size_t slash = target.find('/', scheme + 3);
    if (slash == std::string::npos) return "";
    size_t end = target.find_first_of("?#", slash + 1);
    return target.substr(slash + 1, end == std::string::npos ? std::string::npos : end - slash - 1);
  }
  size_t at = target.find("dbname=");
  size_t start = at + 7;
  size_t end = target.find(' ', start);
  std::string name =
      target.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (name.size() >= 2 && name.front() == '\'' && name.back() == '\'')
    name = name.substr(1, name.size() - 2);
  return name;
}

std::string StoreSidecarPath(const std::string& target, const std::string& suffix) {
  if (!IsPostgresTarget(target)) return target + suffix;
  std::string name = TargetDatabaseName(target);
  return (name.empty() ? std::string("entente") : name) + suffix;
}

}  // namespace entente
