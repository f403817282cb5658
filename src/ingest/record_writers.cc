#include "ingest/record_writers.h"

#include <cstdio>
#include <fstream>
#include <vector>

#include "common/csv.h"
#include "common/text.h"

namespace entente::ingest {
namespace {

// Writes to "<path>.partial" and renames on Close(), so a failed export leaves no half file.
class FileSink {
 public:
  Status Open(const std::string& path) {
    path_ = path;
    partial_ = path + ".partial";
    out_.open(partial_, std::ios::binary | std::ios::trunc);
    if (!out_) return IOError(path + ": cannot create the file");
    return Status::Ok();
  }
  std::ofstream& out() { return out_; }
  Status Check() const { return out_ ? Status::Ok() : IOError(path_ + ": write failed"); }
  Status Close() {
    if (closed_) return Status::Ok();
    closed_ = true;
    out_.close();
    if (!out_) {
      std::remove(partial_.c_str());
      return IOError(path_ + ": write failed");
    }
    if (std::rename(partial_.c_str(), path_.c_str()) != 0)
      return IOError(path_ + ": cannot move the finished file into place");
    return Status::Ok();
  }
  ~FileSink() {
    if (!closed_) {
      out_.close();
      std::remove(partial_.c_str());
    }
  }

 private:
  std::string path_;
  std::string partial_;
  std::ofstream out_;
  bool closed_ = false;
};

class JsonlWriter : public RecordWriter {
 public:
  Status Open(const std::string& path) { return sink_.Open(path); }
  Status Write(const Record& record, bool* written) override {
    sink_.out() << RecordToJson(record) << '\n';
    *written = true;
    return sink_.Check();
  }
  Status Close() override { return sink_.Close(); }

 private:
  FileSink sink_;
};

constexpr const char* kCsvHeader =
    "id,type,name,aliases,birth_date,nationality,id_number,category,gender,birth_place,address,"
    "programs,source,source_record_id,service,reliability,credibility,tlp,releasable_to";

class CsvWriter : public RecordWriter {
 public:
  Status Open(const std::string& path) {
    ENTENTE_RETURN_IF_ERROR(sink_.Open(path));
    sink_.out() << kCsvHeader << '\n';
    return sink_.Check();
  }
  Status Write(const Record& record, bool* written) override {
    const Entity* entity = std::get_if<Entity>(&record);
    *written = entity != nullptr;
    if (!entity) return Status::Ok();
    const RecordMeta& m = entity->meta;
    std::vector<std::string> aliases, dates, numbers;
    std::string name;
    for (const Name& n : entity->names) {
      if (name.empty() && n.kind == NameKind::kPrimary)
        name = n.full;
      else
        aliases.push_back(n.full);
    }
    if (name.empty() && !aliases.empty()) {
      name = aliases.front();
      aliases.erase(aliases.begin());
    }
    for (const PartialDate& d : entity->birth_dates) dates.push_back(d.ToString());
    for (const IdentityDocumentInfo& d : entity->documents) numbers.push_back(d.number);
    auto programs = entity->attributes.find("programs");
    std::vector<std::string> row = {
        m.id,
        std::string(EntityTypeName(entity->type)),
        name,
        Join(aliases, "|"),
        Join(dates, "|"),
        Join(entity->nationalities, "|"),
        Join(numbers, "|"),
        std::string(ThreatCategoryName(m.category)),
        std::string(GenderName(entity->gender)),
        Join(entity->birth_places, "|"),
        Join(entity->addresses, "|"),
        programs == entity->attributes.end() ? "" : programs->second,
        m.provenance.source,
        m.provenance.source_record_id,
        m.provenance.service,
        std::string(1, m.grades.reliability),
        std::to_string(m.grades.credibility),
        std::string(TlpName(m.marking.tlp)),
        Join(m.marking.releasable_to, "|"),
    };
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line.push_back(',');
      line += CsvField(row[i]);
    }
    sink_.out() << line << '\n';
    return sink_.Check();
  }
  Status Close() override { return sink_.Close(); }

 private:
  FileSink sink_;
};

}  // namespace

Result<std::unique_ptr<RecordWriter>> OpenJsonlWriter(const std::string& path) {
  auto writer = std::make_unique<JsonlWriter>();
  ENTENTE_RETURN_IF_ERROR(writer->Open(path));
  return std::unique_ptr<RecordWriter>(std::move(writer));
}

Result<std::unique_ptr<RecordWriter>> OpenCsvWriter(const std::string& path) {
  auto writer = std::make_unique<CsvWriter>();
  ENTENTE_RETURN_IF_ERROR(writer->Open(path));
  return std::unique_ptr<RecordWriter>(std::move(writer));
}

}  // namespace entente::ingest
