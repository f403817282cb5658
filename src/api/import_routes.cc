// Imports: upload a file (the raw body), get a job; poll the job.
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/import_jobs.h"
#include "api/route_util.h"

namespace entente::server {
namespace {

nlohmann::json JobJson(const ImportJob& job) {
  return {
      {"id", job.id},
      {"state", job.state},
      {"format", job.format},
      {"file_name", job.file_name},
      {"user", job.user},
      {"created", job.created},
      {"finished", job.finished.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.finished)},
      {"error", job.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.error)},
      {"rows", job.rows},
      {"records", job.records},
      {"created_records", job.created_records},
      {"updated_records", job.updated_records},
      {"unchanged_records", job.unchanged_records},
      {"not_stored", job.not_stored},
      {"not_stored_summary", job.not_stored_summary}};
}

HttpResponse Submit(RequestContext& ctx, ImportJobs* jobs) {
  ImportRequest request;
  request.format = ctx.request.Query("format");
  if (request.format.empty()) return ErrorFromStatus(InvalidArgument("field format: required"));
  request.file_name = ctx.request.Query("filename", "upload");
  request.source = ctx.request.Query("source");
  if (ctx.request.HasQuery("tlp")) {
    auto tlp = ParseTlp(ctx.request.Query("tlp"));
    if (!tlp) return ErrorFromStatus(InvalidArgument("field tlp: not a TLP level"));
    if (*tlp > ctx.principal.clearance) {
      return ErrorFromStatus(PermissionDenied("field tlp: above your clearance"));
    }
    request.tlp = tlp;
  }
  if (ctx.request.body.empty()) return ErrorFromStatus(InvalidArgument("body: the file is empty"));
  auto job = jobs->Submit(ctx.principal, request, ctx.request.body);
  if (!job.ok()) return ErrorFromStatus(job.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(
      ctx.AuditAlone("import.submit", job->id, "ok",
                     {{"format", request.format},
                      {"file_name", job->file_name},
                      {"bytes", std::to_string(ctx.request.body.size())}}));
  HttpResponse response = JsonResponse(202, Dump(JobJson(*job)));
  response.headers.emplace_back("Location", "/api/v1/imports/" + job->id);
  return response;
}

HttpResponse GetJob(RequestContext& ctx, ImportJobs* jobs) {
  auto job = jobs->Get(ctx.request.Param("id"));
  if (!job.ok()) return ErrorFromStatus(job.status());
  // A job is visible to the user who made it only; another's answers as a missing one does.
  if (job->user != ctx.principal.user)
    return ErrorFromStatus(NotFound("import job " + ctx.request.Param("id") + " not found"));
  return JsonResponse(200, Dump(JobJson(*job)));
}

}  // namespace

Status MountImportRoutes(Router& router, const BuiltinDeps& deps) {
  ImportJobs* jobs = deps.imports;
  size_t max_import = deps.config->limits.max_import_bytes;
  const char* job_schema = R"({"$ref": "#/components/schemas/ImportJob"})";
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "POST",
       .pattern = "/api/v1/imports",
       .permission = Permission::kImport,
       .max_body = max_import,
       .openapi = OpenApiOp{"Upload a file to import (the raw body); returns a job",
                            "imports",
                            {202, 400, 401, 403, 413},
                            {"format:string:csv, jsonl, sdn, un, ftm, stix, ...",
                             "filename:string:the file's name, for reports",
                             "source:string:provenance source (default from the format)",
                             "tlp:string:TLP of the imported records (default from the format)"},
                            R"({"type": "string", "format": "binary"})",
                            job_schema,
                            "application/octet-stream"}
                      .ToJson(),
       .handler = [jobs](RequestContext& ctx) { return Submit(ctx, jobs); }}));
  return router.Add(
      {.method = "GET",
       .pattern = "/api/v1/imports/{id}",
       .permission = Permission::kImport,
       .openapi =
           OpenApiOp{
               "An import job and its outcome", "imports", {200, 401, 403, 404}, {}, "", job_schema}
               .ToJson(),
       .handler = [jobs](RequestContext& ctx) { return GetJob(ctx, jobs); }});
}

}  // namespace entente::server
