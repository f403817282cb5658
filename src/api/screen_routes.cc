#include "api/screen_routes.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "common/ids.h"
#include "http/message_codes.h"
#include "http/node_database.h"
#include "http/route.h"
#include "model/codec.h"
#include "screen/job_runner.h"
#include "screen/screen.h"

namespace entente::screen {
namespace {

using nlohmann::json;
using server::HttpResponse;
using server::Permission;
using server::RequestContext;
using server::RouteSpec;

constexpr size_t kMaxListBytes = size_t{256} << 20;
constexpr int64_t kDefaultPage = 100;
constexpr int64_t kMaxPage = 1000;

json Parsed(const std::string& text) { return json::parse(text); }

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A non-negative integer query parameter (or `fallback` when absent), at most `max`.
Result<int64_t> IntQuery(const RequestContext& ctx, const std::string& name, int64_t fallback,
                         int64_t max) {
  if (!ctx.request.HasQuery(name)) return fallback;
  const std::string text = ctx.request.Query(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    return InvalidArgument("field " + name + ": must be an integer between 0 and " +
                           std::to_string(max));
  }
  return value;
}

// A page request: ?cursor= (the last id of the previous page) and ?limit= (1..kMaxPage).
struct Page {
  int64_t after = 0;
  int64_t limit = kDefaultPage;
  // What to ask the store for: one row more than the page tells whether a next page exists.
  int64_t fetch() const { return limit + 1; }
};

Result<Page> PageOf(const RequestContext& ctx) {
  ENTENTE_ASSIGN_OR_RETURN(int64_t after, IntQuery(ctx, "cursor", 0, INT64_MAX));
  ENTENTE_ASSIGN_OR_RETURN(int64_t limit, IntQuery(ctx, "limit", kDefaultPage, kMaxPage));
  return Page{after, std::max<int64_t>(limit, 1)};
}

// {"items": the first page.limit rows through `view`, "next_cursor": the last item's `id_key`
// when more rows follow, else null}. Rows at or before the cursor are skipped.
template <typename Row, typename View, typename IdOf>
json PageBody(const std::vector<Row>& rows, const Page& page, IdOf id_of, View view) {
  json items = json::array();
  json next = nullptr;
  int64_t last = 0;
  for (const Row& row : rows) {
    if (id_of(row) <= page.after) continue;
    if (static_cast<int64_t>(items.size()) == page.limit) {
      next = std::to_string(last);
      break;
    }
    items.push_back(view(row));
    last = id_of(row);
  }
  return json{{"items", std::move(items)}, {"next_cursor", std::move(next)}};
}

// The integer path parameter `name`.
Result<int64_t> IdParam(const RequestContext& ctx, const std::string& name) {
  const std::string& text = ctx.request.Param(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return InvalidArgument("field " + name + ": '" + text + "' is not a positive integer id");
  }
  return value;
}

// Whether the caller may read the record `entity_id`; when not, `owner` is the service that
// holds it (empty when the record is gone).
struct Readability {
  bool readable = false;
  std::string owner;
};

class ReadCheck {
 public:
  explicit ReadCheck(RequestContext& ctx) : ctx_(ctx) {}

  const Readability& Of(const std::string& entity_id) {
    auto it = cache_.find(entity_id);
    if (it != cache_.end()) return it->second;
    Readability r;
    auto record = ctx_.records.CacheFeed().Get(entity_id);
    if (record.ok()) {
      const RecordMeta& meta = MetaOf(*record);
      r.readable = ctx_.records.policy().CanRead(meta);
      r.owner = meta.provenance.service;
    }
    return cache_.emplace(entity_id, std::move(r)).first->second;
  }

 private:
  RequestContext& ctx_;
  std::map<std::string, Readability> cache_;
};

// A score as a coarse band, for hits on records the caller may not read: enough to decide
// whether to ask the owner, not enough to probe the record's contents with crafted rows.
std::string ScoreBand(double score) {
  if (score >= 0.9) return "high";
  if (score >= 0.8) return "medium";
  return "low";
}

// What a caller who may not read the record learns: that a hit exists, and whom to ask.
json Restricted(json full, const Readability& r) {
  json out = {
      {"restricted", true},
      {"owner_service", r.owner},
      {"message", r.owner.empty() ? "the record this hit was on is no longer in the store"
                                  : "a record you may not read matches this row; ask " + r.owner}};
  for (const char* key : {"hit_id", "alert_id", "list", "row_id", "query_id", "status", "kind",
                          "raised", "origin", "hit_status", "job_id"}) {
    if (full.contains(key)) out[key] = full[key];
  }
  if (full.contains("score") && full["score"].is_number()) {
    out["score_band"] = ScoreBand(full["score"].get<double>());
  }
  return out;
}

json HitView(ReadCheck& check, const HitInfo& hit) {
  json full = Parsed(HitToJson(hit));
  const Readability& r = check.Of(hit.entity_id);
  return r.readable ? full : Restricted(std::move(full), r);
}

json AlertView(ReadCheck& check, const AlertInfo& alert) {
  json full = Parsed(AlertToJson(alert));
  const Readability& r = check.Of(alert.entity_id);
  return r.readable ? full : Restricted(std::move(full), r);
}

HttpResponse Fail(const Status& status) { return server::ErrorFromStatus(status); }

// --- lists and jobs --------------------------------------------------------------------------

// The base name a list's rows record as their source file: the list name, made safe.
std::string UploadFileName(const std::string& list_name) {
  std::string safe;
  for (char c : list_name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    safe += ok ? c : '_';
  }
  if (safe.empty() || safe[0] == '.') safe = "list" + safe;
  return safe.substr(0, 80) + ".csv";
}

HttpResponse UploadList(RequestContext& ctx) {
  const std::string name = ctx.request.Query("name");
  if (name.empty()) return Fail(InvalidArgument("field name: the list needs a name (?name=...)"));
  ScreeningOptions options;
  options.user = ctx.principal.user;
  if (ctx.request.HasQuery("threshold")) {
    const std::string text = ctx.request.Query("threshold");
    char* end = nullptr;
    double t = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !(t >= 0.0 && t <= 1.0)) {
      return Fail(InvalidArgument("field threshold: must be a number in [0, 1]"));
    }
    options.threshold = t;
  }
  auto top = IntQuery(ctx, "top", 10, 100);
  if (!top.ok()) return Fail(top.status());
  if (*top < 1) return Fail(InvalidArgument("field top: must be between 1 and 100"));
  options.top = static_cast<int>(*top);
  if (ctx.request.body.empty()) return Fail(InvalidArgument("field body: the list is empty"));
  auto* node = ctx.services.Get<server::NodeDatabase>();
  if (node == nullptr) return Fail(Unavailable("background screening is not available here"));

  // The rows keep the file they came from: a private folder per upload, named by the server.
  std::error_code ec;
  const auto dir = std::filesystem::temp_directory_path(ec) /
                   ("entente-list-" + RandomId("upload").substr(8, 16));
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(IOError("cannot create an upload folder: " + ec.message()));
  const auto path = dir / UploadFileName(name);
  {
    std::ofstream out(path, std::ios::binary);
    out.write(ctx.request.body.data(), static_cast<std::streamsize>(ctx.request.body.size()));
    if (!out) {
      std::filesystem::remove_all(dir, ec);
      return Fail(IOError("cannot save the uploaded list"));
    }
  }
  auto created = CreateScreeningJob(ctx.db, ScreenListInput{name, path.string()}, options);
  std::filesystem::remove_all(dir, ec);
  if (!created.ok()) {
    (void)ctx.AuditAlone("screen.job.start", "list:" + name, "failed",
                         {{"reason", created.status().message()}});
    return Fail(created.status());
  }
  const std::string target = "job:" + std::to_string(created->id);
  Status audited = ctx.AuditAlone("screen.job.start", target, "ok",
                                  {{"list", name}, {"rows", std::to_string(created->rows_total)}});
  if (!audited.ok()) return Fail(audited);
  server::NodeDatabase where = *node;
  JobRunner::Process().Submit(
      created->id, [where] { return where.Open(); }, ctx.principal.user);
  return server::JsonResponse(202, JobToJson(*created));
}

HttpResponse ListJobsRoute(RequestContext& ctx) {
  auto page = PageOf(ctx);
  if (!page.ok()) return Fail(page.status());
  auto jobs = ListJobs(ctx.db);
  if (!jobs.ok()) return Fail(jobs.status());
  json body = PageBody(
      *jobs, *page, [](const JobInfo& job) { return job.id; },
      [](const JobInfo& job) { return Parsed(JobToJson(job)); });
  return server::JsonResponse(200, Dump(body));
}

HttpResponse GetJobRoute(RequestContext& ctx) {
  auto id = IdParam(ctx, "job");
  if (!id.ok()) return Fail(id.status());
  auto job = GetJob(ctx.db, *id);
  if (!job.ok()) return Fail(job.status());
  json body = Parsed(JobToJson(*job));
  body["queued_or_running_here"] = JobRunner::Process().Pending();
  return server::JsonResponse(200, Dump(body));
}

HttpResponse ResumeJobRoute(RequestContext& ctx) {
  auto id = IdParam(ctx, "job");
  if (!id.ok()) return Fail(id.status());
  auto job = GetJob(ctx.db, *id);
  if (!job.ok()) return Fail(job.status());
  if (job->status == "done") return server::JsonResponse(200, JobToJson(*job));
  if (job->DisplayStatus() == "running") {
    return Fail(Conflict("job " + std::to_string(*id) + " is running now"));
  }
  auto* node = ctx.services.Get<server::NodeDatabase>();
  if (node == nullptr) return Fail(Unavailable("background screening is not available here"));
  Status audited = ctx.AuditAlone("screen.job.resume", "job:" + std::to_string(*id));
  if (!audited.ok()) return Fail(audited);
  server::NodeDatabase where = *node;
  JobRunner::Process().Submit(
      *id, [where] { return where.Open(); }, ctx.principal.user);
  return server::JsonResponse(202, JobToJson(*job));
}

HttpResponse JobReportRoute(RequestContext& ctx) {
  auto id = IdParam(ctx, "job");
  if (!id.ok()) return Fail(id.status());
  ReadCheck check(ctx);
  auto report = BuildJobReport(
      ctx.db, *id, [&check](const std::string& entity_id) { return check.Of(entity_id).readable; });
  if (!report.ok()) return Fail(report.status());
  return server::JsonResponse(200, JobReportToJson(*report));
}

HttpResponse JobErrorsRoute(RequestContext& ctx) {
  auto id = IdParam(ctx, "job");
  if (!id.ok()) return Fail(id.status());
  auto job = GetJob(ctx.db, *id);
  if (!job.ok()) return Fail(job.status());
  auto errors = ListRowErrors(ctx.db, job->list_id);
  if (!errors.ok()) return Fail(errors.status());
  json items = json::array();
  for (const RowError& e : *errors) {
    json item = {{"file", std::filesystem::path(e.source_file).filename().string()},
                 {"line", e.line},
                 {"row_id", e.row_id},
                 {"kind", e.kind},
                 {"reason", e.reason}};
    server::AddCode(item, "reason", e.reason);  // the UI's translation key (http/message_codes.h)
    items.push_back(std::move(item));
  }
  return server::JsonResponse(200, Dump(json{{"job_id", *id}, {"errors", items}}));
}

// --- the review queue ------------------------------------------------------------------------

HttpResponse ListHitsRoute(RequestContext& ctx) {
  auto page = PageOf(ctx);
  auto job = IntQuery(ctx, "job", 0, INT64_MAX);
  if (!page.ok()) return Fail(page.status());
  if (!job.ok()) return Fail(job.status());
  HitFilter filter;
  filter.list_name = ctx.request.Query("list");
  filter.status = ctx.request.Query("status");
  filter.job_id = *job;
  filter.after_hit_id = page->after;
  filter.limit = page->fetch();
  auto hits = ListHits(ctx.db, filter);
  if (!hits.ok()) return Fail(hits.status());
  ReadCheck check(ctx);
  int64_t restricted = 0;
  json body = PageBody(
      *hits, *page, [](const HitInfo& hit) { return hit.hit_id; },
      [&](const HitInfo& hit) {
        json view = HitView(check, hit);
        if (view.contains("restricted")) restricted++;
        return view;
      });
  Status audited = ctx.AuditAlone(
      "screen.hits.read", filter.list_name, "ok",
      {{"hits", std::to_string(body["items"].size())}, {"restricted", std::to_string(restricted)}});
  if (!audited.ok()) return Fail(audited);
  return server::JsonResponse(200, Dump(body));
}

HttpResponse GetHitRoute(RequestContext& ctx) {
  auto id = IdParam(ctx, "hit");
  if (!id.ok()) return Fail(id.status());
  auto hit = GetHit(ctx.db, *id);
  if (!hit.ok()) return Fail(hit.status());
  ReadCheck check(ctx);
  json body = HitView(check, *hit);
  if (!body.contains("restricted")) {
    auto decisions = DecisionsOf(ctx.db, *id);
    if (!decisions.ok()) return Fail(decisions.status());
    json list = json::array();
    for (const DecisionRecord& d : *decisions) {
      list.push_back({{"decision", d.decision},
                      {"reason", d.reason},
                      {"decided_by", d.decided_by},
                      {"decided_at", d.decided_at},
                      {"previous", d.previous},
                      {"forced", d.forced}});
    }
    body["decisions"] = list;
  }
  Status audited = ctx.AuditAlone("screen.hit.read", "hit:" + std::to_string(*id),
                                  body.contains("restricted") ? "filtered" : "ok");
  if (!audited.ok()) return Fail(audited);
  return server::JsonResponse(200, Dump(body));
}

HttpResponse DecideRoute(RequestContext& ctx) {
  auto id = IdParam(ctx, "hit");
  if (!id.ok()) return Fail(id.status());
  json request = json::parse(ctx.request.body, nullptr, false);
  if (request.is_discarded() || !request.is_object()) {
    return Fail(InvalidArgument("field body: not a JSON object"));
  }
  if (!request.contains("decision") || !request["decision"].is_string()) {
    return Fail(InvalidArgument("field decision: required, one of match, no-match, refer"));
  }
  auto decision = ParseDecision(request["decision"].get<std::string>());
  if (!decision) {
    return Fail(InvalidArgument("field decision: '" + request["decision"].get<std::string>() +
                                "' is not match, no-match or refer"));
  }
  if (!request.contains("reason") || !request["reason"].is_string()) {
    return Fail(InvalidArgument("field reason: required, why this decision"));
  }
  if (request.contains("force") && !request["force"].is_boolean()) {
    return Fail(InvalidArgument("field force: must be true or false"));
  }
  auto hit = GetHit(ctx.db, *id);
  if (!hit.ok()) return Fail(hit.status());
  ReadCheck check(ctx);
  if (!check.Of(hit->entity_id).readable) {
    (void)ctx.AuditAlone("screen.decide", "hit:" + std::to_string(*id), "denied");
    return Fail(PermissionDenied("hit " + std::to_string(*id) +
                                 " is on a record you may not read; ask " +
                                 check.Of(hit->entity_id).owner));
  }
  DecideRequest decide;
  decide.hit_id = *id;
  decide.decision = *decision;
  decide.reason = request["reason"].get<std::string>();
  decide.user = ctx.principal.user;
  decide.force = request.value("force", false);
  decide.in_transaction = [&ctx](Database&, const HitInfo& decided) {
    return ctx.Audit("screen.decide", "hit:" + std::to_string(decided.hit_id), "ok",
                     {{"decision", decided.decision},
                      {"list", decided.list_name},
                      {"row", decided.row_id},
                      {"entity", decided.entity_id}});
  };
  auto decided = Decide(ctx.db, decide);
  if (!decided.ok()) return Fail(decided.status());
  return server::JsonResponse(200, Dump(HitView(check, *decided)));
}

HttpResponse ListAlertsRoute(RequestContext& ctx) {
  auto page = PageOf(ctx);
  if (!page.ok()) return Fail(page.status());
  AlertFilter filter;
  filter.list_name = ctx.request.Query("list");
  filter.kind = ctx.request.Query("kind");
  filter.after_id = page->after;
  filter.limit = page->fetch();
  auto alerts = ListAlerts(ctx.db, filter);
  if (!alerts.ok()) return Fail(alerts.status());
  ReadCheck check(ctx);
  json body = PageBody(
      *alerts, *page, [](const AlertInfo& alert) { return alert.alert_id; },
      [&](const AlertInfo& alert) { return AlertView(check, alert); });
  Status audited = ctx.AuditAlone("screen.alerts.read", filter.list_name, "ok",
                                  {{"alerts", std::to_string(body["items"].size())}});
  if (!audited.ok()) return Fail(audited);
  return server::JsonResponse(200, Dump(body));
}

HttpResponse RescreenRoute(RequestContext& ctx) {
  RescreenOptions options;
  options.user = ctx.principal.user;
  options.wait_ms = 2000;
  if (!ctx.request.body.empty()) {
    json request = json::parse(ctx.request.body, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
      return Fail(InvalidArgument("field body: not a JSON object"));
    }
    if (request.contains("list")) {
      if (!request["list"].is_string())
        return Fail(InvalidArgument("field list: must be a string"));
      options.list_name = request["list"].get<std::string>();
    }
  }
  auto summary = Rescreen(ctx.db, options, nullptr);
  Status audited =
      ctx.AuditAlone("screen.rescreen", options.list_name, summary.ok() ? "ok" : "failed",
                     {{"alerts", summary.ok() ? std::to_string(summary->alerts) : "0"}});
  if (!summary.ok()) return Fail(summary.status());
  if (!audited.ok()) return Fail(audited);
  json body = {
      {"from_seq", summary->from_seq},           {"to_seq", summary->to_seq},
      {"lists_checked", summary->lists_checked}, {"entities_changed", summary->entities_changed},
      {"new_hits", summary->new_hits},           {"raised_again", summary->raised_again},
      {"withdrawn", summary->withdrawn},         {"alerts", summary->alerts},
      {"strategy", summary->strategy},           {"seconds", summary->seconds},
      {"summary", summary->ToString()}};
  return server::JsonResponse(200, Dump(body));
}

// --- OpenAPI ---------------------------------------------------------------------------------

std::string PathParam(const std::string& name) {
  return R"j({"name": ")j" + name +
         R"j(", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}})j";
}

std::string QueryParam(const std::string& name, const std::string& type) {
  return R"j({"name": ")j" + name +
         R"j(", "in": "query", "required": false, "schema": {"type": ")j" + type + R"j("}})j";
}

std::string Responses(const std::string& ok_status, const std::string& ok_description,
                      const std::string& extra) {
  return R"j("responses": {")j" + ok_status + R"j(": {"description": ")j" + ok_description +
         R"j(", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": {"description": "Bad parameter or body (the field is named)"}, "401": {"description": "Not authenticated"}, "403": {"description": "Not allowed for this role, or the record is above your clearance"}, "404": {"description": "No such list, job or hit"}, "429": {"description": "Too many requests"})j" +
         extra + "}";
}

std::string Operation(const std::string& summary, const std::string& parameters,
                      const std::string& responses, const std::string& body = "") {
  return R"j({"summary": ")j" + summary + R"j(", "tags": ["screening"], "parameters": [)j" +
         parameters + "], " + (body.empty() ? "" : body + ", ") + responses + "}";
}

const char kJsonBody[] =
    R"j("requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object"}}}})j";

Status Add(server::Router& router, std::string method, std::string pattern, Permission permission,
           std::string openapi, server::RouteHandler handler, size_t max_body = 0) {
  RouteSpec spec;
  spec.method = std::move(method);
  spec.pattern = std::move(pattern);
  spec.permission = permission;
  spec.openapi = std::move(openapi);
  spec.handler = std::move(handler);
  spec.max_body = max_body;
  return router.Add(std::move(spec));
}

}  // namespace

Status MountHttpRoutes(server::Router& router) {
  const std::string paging = QueryParam("cursor", "string") + ", " + QueryParam("limit", "integer");
  const std::string too_large = R"j(, "413": {"description": "Body too large"})j";
  const std::string conflict = R"j(, "409": {"description": "Conflict (see the message)"})j";
  const std::string busy = R"j(, "503": {"description": "Busy or not available; retry"})j";
  ENTENTE_RETURN_IF_ERROR(Add(
      router, "POST", "/api/v1/screening/lists", Permission::kScreenRun,
      Operation(
          "Store a list (CSV) and screen it in the background",
          QueryParam("name", "string") + ", " + QueryParam("threshold", "number") + ", " +
              QueryParam("top", "integer"),
          Responses("202", "The job, queued; poll it for progress", too_large + conflict + busy),
          R"j("requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}})j"),
      UploadList, kMaxListBytes));
  ENTENTE_RETURN_IF_ERROR(Add(router, "GET", "/api/v1/screening/jobs", Permission::kScreenRun,
                              Operation("Screening jobs with their progress", paging,
                                        Responses("200", "A page of jobs", "")),
                              ListJobsRoute));
  ENTENTE_RETURN_IF_ERROR(Add(router, "GET", "/api/v1/screening/jobs/{job}", Permission::kScreenRun,
                              Operation("One screening job: status, progress and counts",
                                        PathParam("job"), Responses("200", "The job", "")),
                              GetJobRoute));
  ENTENTE_RETURN_IF_ERROR(Add(
      router, "POST", "/api/v1/screening/jobs/{job}/resume", Permission::kScreenRun,
      Operation(
          "Resume an interrupted job after its last committed batch", PathParam("job"),
          Responses("202", "The job, queued again (200 when already done)",
                    too_large + conflict + busy + R"j(, "200": {"description": "Already done"})j"),
          kJsonBody),
      ResumeJobRoute));
  ENTENTE_RETURN_IF_ERROR(Add(router, "GET", "/api/v1/screening/jobs/{job}/report",
                              Permission::kScreenRun,
                              Operation("A job's summary by score band, category and decision",
                                        PathParam("job"), Responses("200", "The report", "")),
                              JobReportRoute));
  ENTENTE_RETURN_IF_ERROR(
      Add(router, "GET", "/api/v1/screening/jobs/{job}/errors", Permission::kScreenRun,
          Operation("Rows of a job's list that were rejected or refused, with line and reason",
                    PathParam("job"), Responses("200", "The rows", "")),
          JobErrorsRoute));
  ENTENTE_RETURN_IF_ERROR(Add(
      router, "GET", "/api/v1/screening/hits", Permission::kScreenRun,
      Operation(
          "The review queue",
          QueryParam("list", "string") + ", " + QueryParam("status", "string") + ", " +
              QueryParam("job", "integer") + ", " + paging,
          Responses("200",
                    "A page of hits; those on records you may not read are marked restricted", "")),
      ListHitsRoute));
  ENTENTE_RETURN_IF_ERROR(Add(router, "GET", "/api/v1/screening/hits/{hit}", Permission::kScreenRun,
                              Operation("One hit with its explanation and decisions",
                                        PathParam("hit"), Responses("200", "The hit", "")),
                              GetHitRoute));
  ENTENTE_RETURN_IF_ERROR(Add(
      router, "POST", "/api/v1/screening/hits/{hit}/decision", Permission::kScreenDecide,
      Operation(
          "Decide a hit: match, no-match or refer, with a reason", PathParam("hit"),
          Responses("200", "The decided hit", too_large + conflict),
          R"j("requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["decision", "reason"], "properties": {"decision": {"type": "string", "enum": ["match", "no-match", "refer"]}, "reason": {"type": "string"}, "force": {"type": "boolean"}}}}}})j"),
      DecideRoute));
  ENTENTE_RETURN_IF_ERROR(Add(
      router, "GET", "/api/v1/screening/alerts", Permission::kScreenRun,
      Operation("Alerts raised by continuous re-screening",
                QueryParam("list", "string") + ", " + QueryParam("kind", "string") + ", " + paging,
                Responses("200", "A page of alerts", "")),
      ListAlertsRoute));
  return Add(router, "POST", "/api/v1/screening/rescreen", Permission::kScreenRun,
             Operation("Re-check stored lists against the entities changed since", "",
                       Responses("200", "What the re-screening did", too_large + busy), kJsonBody),
             RescreenRoute);
}

}  // namespace entente::screen
