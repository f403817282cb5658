#include "ingest/exporter.h"

#include <chrono>
#include <cstdio>

#include "ingest/format_registry.h"

namespace entente::ingest {

Result<ExportReport> RunExport(RecordStore& store, const ExportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  if (options.path.empty()) return InvalidArgument("export: no output file given");
  ENTENTE_ASSIGN_OR_RETURN(WriterFormat format,
                           FormatRegistry::Global().FindWriter(options.format));
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<RecordWriter> writer, format.open(options.path));
  ExportReport report;
  Status write_status;
  bool check_markings = options.clearance.has_value() || !options.for_service.empty();
  Tlp clearance = options.clearance.value_or(Tlp::kRed);
  RecordFilter filter = options.filter;
  filter.include_revoked = false;
  Status scan = store.ForEachRecord(filter, [&](const Record& record) {
    const RecordMeta& meta = MetaOf(record);
    if (check_markings &&
        !MayRead(meta.marking, meta.provenance.service, clearance, options.for_service)) {
      ++report.withheld;
      return true;
    }
    bool written = false;
    write_status = writer->Write(record, &written);
    if (!write_status.ok()) return false;
    if (written)
      ++report.written;
    else
      ++report.not_representable;
    return true;
  });
  ENTENTE_RETURN_IF_ERROR(scan);
  ENTENTE_RETURN_IF_ERROR(write_status);
  ENTENTE_RETURN_IF_ERROR(writer->Close());
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

std::string ExportSummaryLine(const ExportOptions& options, const ExportReport& report) {
  char line[512];
  std::snprintf(line, sizeof line,
                "exported %lld records to %s in %.2f s; %lld withheld by markings, %lld not "
                "representable in %s",
                static_cast<long long>(report.written), options.path.c_str(), report.seconds,
                static_cast<long long>(report.withheld),
                static_cast<long long>(report.not_representable), options.format.c_str());
  return line;
}

}  // namespace entente::ingest
