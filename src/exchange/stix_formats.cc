// Registration of the "stix" format with the ingest format registry. Kept apart from
// stix_bundle.cc so that code using only the bundle functions does not need the registry.
#include "exchange/stix_bundle.h"
#include "ingest/format_registry.h"

namespace entente::exchange {

Status RegisterStixFormats() {
  auto& registry = ingest::FormatRegistry::Global();
  if (!registry.FindReader("stix").ok()) {
    ingest::ReaderFormat reader;
    reader.name = "stix";
    reader.description = "STIX 2.1 bundle (JSON); objects validated against the MUST rules";
    reader.default_source = [](const std::string& path) {
      return "stix:" + ingest::BaseName(path);
    };
    reader.default_grades = Grades{'F', 6};
    reader.default_tlp = Tlp::kAmber;
    reader.open = [](const std::string& path, const ingest::ImportDefaults& defaults)
        -> Result<std::unique_ptr<ingest::RecordReader>> {
      auto r = StixBundleReader::Open(path, defaults);
      if (!r.ok()) return r.status();
      return std::unique_ptr<ingest::RecordReader>(std::move(*r));
    };
    ENTENTE_RETURN_IF_ERROR(registry.AddReader(std::move(reader)));
  }
  if (!registry.FindWriter("stix").ok()) {
    ingest::WriterFormat writer;
    writer.name = "stix";
    writer.description = "STIX 2.1 bundle (JSON) with the entente extension";
    writer.open = [](const std::string& path) -> Result<std::unique_ptr<ingest::RecordWriter>> {
      auto w = StixBundleWriter::Open(path);
      if (!w.ok()) return w.status();
      return std::unique_ptr<ingest::RecordWriter>(std::move(*w));
    };
    ENTENTE_RETURN_IF_ERROR(registry.AddWriter(std::move(writer)));
  }
  return Status::Ok();
}

}  // namespace entente::exchange
