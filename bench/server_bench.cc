// Load test of the entente server over loopback HTTPS with wrk (Debian package), against a
// store of synthetic persons (200,000 by default): requests per second and p50/p99 latency of
//   GET  /api/v1/entities/{id}   GREEN records (no audit write) and AMBER records (audited read)
//   POST /api/v1/match           the shared match index
//   GET  /ui/static.json         a static file of similar size from the same server: the baseline
// The ratio to the baseline is the server's own overhead (authentication, store read, markings,
// JSON, audit). wrk and the server share the machine: figures are for the whole loop.
//
//   POST /api/v1/match           again, while an import of --import-rows rows (300,000 by
//                                default; 0: none) runs through POST /api/v1/imports
//   server_bench [--persons N] [--seconds S] [--connections C] [--threads T] [--import-rows N]
//                [--store postgresql://...]   (default: a fresh SQLite file; the PostgreSQL
//                                              database must be empty)
//
// Prints a Markdown table for docs/PERFORMANCE.md. Checks each scenario answered 2xx.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "api/match_service.h"
#include "auth/user_store.h"
#include "common/ids.h"
#include "server/http_server.h"
#include "server/pki.h"
#include "store/record_store.h"

namespace {

using namespace entente;
using namespace entente::server;

const std::vector<std::string> kFirst = {
    "Mohamed",  "Muhammad", "Mohammed", "Youssef",  "Yusuf",  "Youcef",  "Ahmed", "Omar",
    "Karim",    "Said",     "Rachid",   "Mustapha", "Hassan", "Hamid",   "Ali",   "Abdelkader",
    "Abdellah", "Mehdi",    "Amine",    "Ismail",   "Fatima", "Khadija", "Nadia", "Samira",
    "Leila",    "Zineb",    "Salma",    "Pierre",   "Jean",   "Nicolas", "Marie", "Sophie",
    "Julien",   "Thomas",   "Camille",  "Ibrahim",  "Bilal",  "Hicham",  "Nabil", "Tarik"};
const std::vector<std::string> kLast = {
    "El Idrissi", "Benali",     "El Amrani",   "Alaoui",    "Bennani",  "Tazi",     "Chraibi",
    "Berrada",    "Ouazzani",   "El Fassi",    "Bouzid",    "Haddad",   "Belkacem", "Mansouri",
    "Cherkaoui",  "Ziani",      "Ben Youssef", "Bin Laden", "Al Masri", "Kabbaj",   "Martin",
    "Bernard",    "Dubois",     "Lefebvre",    "Moreau",    "Laurent",  "Garcia",   "Lambert",
    "Rousseau",   "Benjelloun", "Sefrioui",    "Lahlou",    "Naciri",   "Skalli",   "Filali",
    "Amrani",     "Hajji",      "Raji",        "Kettani",   "Zniber"};

struct WrkResult {
  double requests_per_second = 0;
  std::string p50;
  std::string p99;
  bool non_2xx = false;
  std::string raw;
};

WrkResult RunWrk(const std::string& url, const std::string& script, int threads, int connections,
                 int seconds) {
  std::string command = "wrk --latency -t" + std::to_string(threads) + " -c" +
                        std::to_string(connections) + " -d" + std::to_string(seconds) + "s -s " +
                        script + " " + url + " 2>&1";
  WrkResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe)) result.raw += buffer;
  pclose(pipe);
  std::smatch match;
  if (std::regex_search(result.raw, match, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) {
    result.requests_per_second = std::stod(match[1]);
  }
  if (std::regex_search(result.raw, match, std::regex(R"(\s50%\s+([0-9.]+\w+))")))
    result.p50 = match[1];
  if (std::regex_search(result.raw, match, std::regex(R"(\s99%\s+([0-9.]+\w+))")))
    result.p99 = match[1];
  result.non_2xx = result.raw.find("Non-2xx") != std::string::npos;
  return result;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// A CSV of `rows` new persons (ids apart from the stored ones), for the import under load.
std::string ImportCsv(int rows) {
  std::string csv = "id,name,birth_date,nationality,category\n";
  std::mt19937 random(7);
  for (int row = 0; row < rows; ++row) {
    csv += "IMP-" + std::to_string(row) + "," + kFirst[random() % kFirst.size()] + " " +
           kLast[random() % kLast.size()] + ",19" + std::to_string(50 + random() % 50) +
           ",MA,terrorism\n";
  }
  return csv;
}

struct ImportRun {
  std::string state = "not started";
  double seconds = 0;
};

// Submits `csv` to POST /api/v1/imports and polls the job until it ends.
ImportRun ImportOverApi(int port, const std::string& token, const std::string& csv) {
  ImportRun run;
  auto began = std::chrono::steady_clock::now();
  httplib::SSLClient client("127.0.0.1", port);
  client.enable_server_certificate_verification(false);  // loopback, the bench's own CA
  client.set_read_timeout(600, 0);
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  auto submitted =
      client.Post("/api/v1/imports?format=csv&source=bench-import", auth, csv, "text/csv");
  if (!submitted || submitted->status != 202) {
    run.state = submitted ? "refused " + std::to_string(submitted->status) : "no answer";
    return run;
  }
  std::string location = submitted->get_header_value("Location");
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto job = client.Get(location.c_str(), auth);
    if (!job || job->status != 200) {
      run.state = "poll failed";
      break;
    }
    std::smatch state;
    if (std::regex_search(job->body, state, std::regex(R"re("state"\s*:\s*"(\w+)")re")) &&
        state[1] != "queued" && state[1] != "running") {
      run.state = state[1];
      break;
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  int persons = 200000;
  int seconds = 10;
  int connections = 8;
  int threads = 2;
  int import_rows = 300000;
  std::string store_target;
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    std::string flag = argv[arg_idx];
    if (flag == "--store") store_target = argv[arg_idx + 1];
    int value = std::atoi(argv[arg_idx + 1]);
    if (flag == "--persons") persons = value;
    if (flag == "--seconds") seconds = value;
    if (flag == "--connections") connections = value;
    if (flag == "--threads") threads = value;
    if (flag == "--import-rows") import_rows = value;
  }
  spdlog::set_level(spdlog::level::warn);
  std::string dir =
      (std::filesystem::temp_directory_path() / ("entente-server-bench-" + RandomHex(4))).string();
  std::filesystem::create_directories(dir + "/static");
  std::string db_path = store_target.empty() ? dir + "/bench.db" : store_target;
  if (!CreateCa(dir + "/pki", "bench CA").ok() ||
      !IssueCertificate(dir + "/pki", "server",
                        {"localhost", CertificateKind::kServer, {"localhost"}, {"127.0.0.1"}, 30})
           .ok()) {
    std::cerr << "pki failed\n";
    return 1;
  }

  // The store: `persons` synthetic persons, 1 in 10 AMBER, the rest GREEN.
  std::vector<std::string> green_ids;
  std::vector<std::string> amber_ids;
  std::string token;
  std::string sample_json;
  {
    auto db = Database::Open(db_path);
    if (!db.ok() || !RecordStore::Migrate(**db).ok() || !UserStore::Migrate(**db).ok()) {
      std::cerr << "store failed\n";
      return 1;
    }
    RecordStore store(db->get());
    std::mt19937 random(42);
    auto began = std::chrono::steady_clock::now();
    auto writer = store.BeginWrite();
    if (!writer.ok()) return 1;
    for (int person_idx = 0; person_idx < persons; ++person_idx) {
      Entity person;
      person.type = EntityType::kPerson;
      person.meta.id = DeterministicId("person", "bench", std::to_string(person_idx));
      person.meta.provenance = {"DGSN-DGST", "bench", std::to_string(person_idx), "", ""};
      person.meta.grades = {'B', 2};
      person.meta.category = ThreatCategory::kTerrorism;
      bool amber = person_idx % 10 == 0;
      person.meta.marking.tlp = amber ? Tlp::kAmber : Tlp::kGreen;
      std::string name = kFirst[random() % kFirst.size()] + " " + kLast[random() % kLast.size()];
      if (random() % 3 == 0) name = kFirst[random() % kFirst.size()] + " " + name;
      person.names.push_back({name, NameKind::kPrimary, "Latn"});
      person.birth_dates.push_back(*PartialDate::Parse(std::to_string(1950 + random() % 50) + "-0" +
                                                       std::to_string(1 + random() % 9) + "-1" +
                                                       std::to_string(random() % 10)));
      person.nationalities = {random() % 2 ? "MA" : "FR"};
      auto put = (*writer)->Put(person);
      if (!put.ok()) {
        std::cerr << put.status().ToString() << "\n";
        return 1;
      }
      (amber ? amber_ids : green_ids).push_back(person.meta.id);
      if (person_idx == 1) sample_json = EntityToJson(person);
    }
    if (!(*writer)->Commit().ok()) return 1;
    double load_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    std::cerr << "stored " << persons << " persons in " << load_seconds << " s\n";
    auto key = TokenKey::LoadOrCreate(DefaultTokenKeyPath(db_path));
    UserStore users(db->get(), *key);
    auto made = users.AddUser({"bench", "local", "DGSN-DGST"},
                              {"bench", Role::kAnalyst, Tlp::kRed, "DGSN-DGST", ""});
    if (!made.ok()) return 1;
    token = made->token;
  }
  WriteFile(dir + "/static/static.json", sample_json);

  ServerConfig config;
  config.db_target = db_path;
  config.port = 0;
  config.service = "DGSN-DGST";
  config.tls_cert = dir + "/pki/server.crt";
  config.tls_key = dir + "/pki/server.key";
  config.static_dir = dir + "/static";
  config.id_key_file = dir + "/id-key";  // a PostgreSQL store has no default one
  config.limits.rate_per_minute = 100000000;
  config.limits.rate_burst = 1000000;
  HttpServer server(config);
  Status started = server.Start();
  if (!started.ok()) {
    std::cerr << started.ToString() << "\n";
    return 1;
  }
  MatchService* match = server.services().Get<MatchService>();
  auto index_began = std::chrono::steady_clock::now();
  while (!match->ready() && match->build_status().ok()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  double index_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - index_began).count();
  std::cerr << "match index " << (match->ready() ? "ready" : "unavailable") << " after "
            << index_seconds << " s\n";

  auto id_list = [&](const std::vector<std::string>& ids, const std::string& path) {
    std::string text;
    for (size_t id_idx = 0; id_idx < ids.size() && id_idx < 20000; ++id_idx)
      text += ids[id_idx] + "\n";
    WriteFile(path, text);
  };
  id_list(green_ids, dir + "/green.txt");
  id_list(amber_ids, dir + "/amber.txt");
  std::string names;
  for (const std::string& first : kFirst)
    names += first + " " + kLast[first.size() % kLast.size()] + "\n";
  WriteFile(dir + "/names.txt", names);
  std::string auth = "\"Authorization\", \"Bearer " + token + "\"";
  auto get_script = [&](const std::string& ids_file) {
    return "local ids = {}\nfor line in io.lines(\"" + ids_file +
           "\") do ids[#ids + 1] = line end\n"
           "request = function()\n  return wrk.format(\"GET\", \"/api/v1/entities/\" .. "
           "ids[math.random(#ids)], "
           "{[\"Authorization\"] = \"Bearer " +
           token + "\"})\nend\n";
  };
  WriteFile(dir + "/get_green.lua", get_script(dir + "/green.txt"));
  WriteFile(dir + "/get_amber.lua", get_script(dir + "/amber.txt"));
  WriteFile(
      dir + "/match.lua",
      "local names = {}\nfor line in io.lines(\"" + dir +
          "/names.txt\") do names[#names + 1] = line end\n"
          "request = function()\n  local body = '{\"name\": \"' .. names[math.random(#names)] .. "
          "'\", \"top\": 10}'\n"
          "  return wrk.format(\"POST\", \"/api/v1/match\", {[\"Authorization\"] = \"Bearer " +
          token + "\", [\"Content-Type\"] = \"application/json\"}, body)\nend\n");
  WriteFile(dir + "/static.lua",
            "request = function()\n  return wrk.format(\"GET\", \"/ui/static.json\")\nend\n");

  struct Scenario {
    std::string label;
    std::string script;
  };
  std::vector<Scenario> scenarios = {
      {"GET /ui/static.json (static file, baseline)", dir + "/static.lua"},
      {"GET /api/v1/entities/{id} (GREEN)", dir + "/get_green.lua"},
      {"GET /api/v1/entities/{id} (AMBER, audited)", dir + "/get_amber.lua"},
      {"POST /api/v1/match", dir + "/match.lua"},
  };
  std::string url = server.url();
  double baseline = 0;
  std::printf(
      "\n%d persons, wrk -t%d -c%d -d%ds over HTTPS on loopback (wrk and server share 2 cores)\n\n",
      persons, threads, connections, seconds);
  std::printf("| request | req/s | p50 | p99 | vs static |\n| --- | ---: | ---: | ---: | ---: |\n");
  bool all_ok = true;
  for (const Scenario& scenario : scenarios) {
    WrkResult result = RunWrk(url, scenario.script, threads, connections, seconds);
    if (baseline == 0) baseline = result.requests_per_second;
    if (result.requests_per_second == 0 || result.non_2xx) {
      all_ok = false;
      std::cerr << scenario.label << ": wrk said\n" << result.raw << "\n";
    }
    std::printf("| %s | %.0f | %s | %s | %.2f |\n", scenario.label.c_str(),
                result.requests_per_second, result.p50.c_str(), result.p99.c_str(),
                baseline > 0 ? result.requests_per_second / baseline : 0.0);
    std::fflush(stdout);
  }
  // Mixed load: match again while an import of `import_rows` rows runs through the API.
  if (import_rows > 0) {
    ImportRun imported;
    std::thread importing(
        [&] { imported = ImportOverApi(server.port(), token, ImportCsv(import_rows)); });
    WrkResult result = RunWrk(url, dir + "/match.lua", threads, connections, seconds);
    importing.join();
    if (result.requests_per_second == 0 || result.non_2xx || imported.state != "done") {
      all_ok = false;
      std::cerr << "match during import: wrk said\n" << result.raw << "\n";
    }
    std::printf(
        "| POST /api/v1/match during a %d-row API import (%s in %.0f s) | %.0f | %s | %s | %.2f "
        "|\n",
        import_rows, imported.state.c_str(), imported.seconds, result.requests_per_second,
        result.p50.c_str(), result.p99.c_str(),
        baseline > 0 ? result.requests_per_second / baseline : 0.0);
  }
  std::printf("\nengine: %s; index build %.1f s\n",
              match->ready() ? "match index" : "name-search fallback", index_seconds);
  server.Stop();
  std::filesystem::remove_all(dir);
  return all_ok ? 0 : 1;
}
