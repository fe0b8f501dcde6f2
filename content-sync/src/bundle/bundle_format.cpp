// Bundle file format. Index:
//   [SECTION] Hashing, files
//   [SECTION] Records <-> JSON lines
//   [SECTION] Manifest
//   [SECTION] Encoding segments
//   [SECTION] Bundle files, decoding
#include "bundle/bundle_format.h"

#include "common/untrusted_file.h"

#include <sodium.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

namespace signpost::sync::bundle {

using nlohmann::json;
namespace cat = signpost::catalogue;
using catalogue::GeoPoint;

namespace {

// [SECTION] Hashing, files ----------------------------------------------------------

std::string Hex(const unsigned char* d, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), d, n);
  out.pop_back();
  return out;
}

class Sha256 {
 public:
  Sha256() { crypto_hash_sha256_init(&st_); }
  void Update(const void* d, std::size_t n) {
    crypto_hash_sha256_update(&st_, static_cast<const unsigned char*>(d), n);
  }
  std::string HexDigest() {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st_, out);
    return Hex(out, sizeof out);
  }

 private:
  crypto_hash_sha256_state st_;
};

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// [SECTION] Records <-> JSON lines ----------------------------------------------------

void Put(json& j, const char* k, const std::string& v) {
  if (!v.empty()) j[k] = v;
}
void Put(json& j, const char* k, const std::optional<Day>& d) {
  if (d) j[k] = FormatIsoDate(*d);
}
void Put(json& j, const char* k, const std::optional<GeoPoint>& p) {
  if (p) j[k] = json::array({p->lat, p->lon});
}
void Put(json& j, const char* k, const std::vector<std::string>& v) {
  if (!v.empty()) j[k] = v;
}

std::string S(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::int64_t I(const json& j, const char* k, std::int64_t def = 0) {
  auto it = j.find(k);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : def;
}
double D(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}
bool B(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}
std::optional<Day> OptDay(const json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return ParseIsoDate(it->get<std::string>());
}
std::optional<GeoPoint> OptPoint(const json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || !it->is_array() || it->size() != 2 || !(*it)[0].is_number() ||
      !(*it)[1].is_number()) {
    return std::nullopt;
  }
  return GeoPoint{(*it)[0].get<double>(), (*it)[1].get<double>()};
}
std::vector<std::string> V(const json& j, const char* k) {
  std::vector<std::string> out;
  auto it = j.find(k);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& e : *it)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

json ToJson(const cat::Provider& p, bool owned) {
  json j = {{"t", "provider"}, {"id", p.id}, {"name", p.name}};
  if (!owned) j["borrowed"] = true;  // another feed's: staged only when the kiosk lacks it
  j["kind"] = std::string(cat::ProviderKindKey(p.kind));
  Put(j, "ukprn", p.ukprn);
  Put(j, "address", p.address);
  Put(j, "town", p.town);
  Put(j, "postcode", p.postcode);
  Put(j, "loc", p.location);
  Put(j, "phone", p.phone);
  Put(j, "email", p.email);
  Put(j, "website", p.website);
  return j;
}

json ToJson(const cat::Opportunity& o) {
  json j = {{"t", "opportunity"}, {"id", o.source_id}, {"title", o.title}};
  j["kind"] = std::string(cat::OpportunityKindKey(o.kind));
  j["route"] = std::string(cat::RouteKey(o.route));
  j["provider"] = o.provider_id;
  Put(j, "employer", o.employer);
  if (o.level != -1) j["level"] = o.level;
  Put(j, "qualification", o.qualification);
  Put(j, "subject_area", o.subject_area);
  if (o.mode != cat::StudyMode::kUnknown) j["mode"] = std::string(cat::StudyModeKey(o.mode));
  Put(j, "duration", o.duration);
  if (o.duration_months != 0) j["duration_months"] = o.duration_months;
  Put(j, "start", o.start);
  if (o.flexible_start) j["flexible_start"] = true;
  Put(j, "closing", o.closing);
  Put(j, "posted", o.posted);
  Put(j, "location_name", o.location_name);
  Put(j, "postcode", o.postcode);
  Put(j, "loc", o.location);
  Put(j, "entry_requirements", o.entry_requirements);
  Put(j, "description", o.description);
  Put(j, "wage_text", o.wage_text);
  if (o.wage_annual != 0) j["wage_annual"] = o.wage_annual;
  if (o.hours_per_week != 0) j["hours_per_week"] = o.hours_per_week;
  Put(j, "cost_text", o.cost_text);
  Put(j, "url", o.url);
  Put(j, "lars_code", o.lars_code);
  Put(j, "soc_codes", o.soc_codes);
  if (o.updated) j["updated"] = *o.updated;
  Put(j, "expires", o.expires);
  Put(j, "typical_job_titles", o.typical_job_titles);
  if (!o.outcomes.empty()) j["outcomes"] = cat::EncodeCourseOutcomes(o.outcomes);
  return j;
}

json ToJson(const cat::Career& c) {
  json j = {{"t", "career"}, {"id", c.source_id}, {"title", c.title}};
  Put(j, "alternative_titles", c.alternative_titles);
  Put(j, "overview", c.overview);
  if (c.salary_starter != 0) j["salary_starter"] = c.salary_starter;
  if (c.salary_experienced != 0) j["salary_experienced"] = c.salary_experienced;
  Put(j, "hours", c.hours);
  Put(j, "working_pattern", c.working_pattern);
  Put(j, "entry_university", c.entry_university);
  Put(j, "entry_college", c.entry_college);
  Put(j, "entry_apprenticeship", c.entry_apprenticeship);
  Put(j, "entry_work", c.entry_work);
  Put(j, "skills", c.skills);
  Put(j, "what_you_do", c.what_you_do);
  Put(j, "career_path", c.career_path);
  Put(j, "related_careers", c.related_careers);
  Put(j, "soc_code", c.soc_code);
  Put(j, "related_subjects", c.related_subjects);
  Put(j, "url", c.url);
  return j;
}

json ToJson(const cat::LabourMarketFigure& f) {
  return {{"t", "lmi"},       {"soc", f.soc_code},
          {"area", f.area},   {"metric", std::string(cat::LmiMetricKey(f.metric))},
          {"value", f.value}, {"year", f.year}};
}

json ToJson(const cat::Event& e) {
  json j = {{"t", "event"}, {"id", e.source_id}, {"title", e.title}};
  j["kind"] = std::string(cat::EventKindKey(e.kind));
  Put(j, "provider", e.provider_id);
  j["start"] = e.start;
  j["end"] = e.end;
  if (e.all_day) j["all_day"] = true;
  Put(j, "location_name", e.location_name);
  Put(j, "postcode", e.postcode);
  Put(j, "loc", e.location);
  Put(j, "url", e.url);
  Put(j, "description", e.description);
  if (e.routes != 0) j["routes"] = e.routes;
  return j;
}

json ToJson(const cat::LocalItem& l) {
  json j = {{"t", "local"}, {"id", l.source_id}, {"title", l.title}};
  j["kind"] = std::string(cat::LocalKindKey(l.kind));
  Put(j, "body", l.body);
  if (l.route) j["route"] = std::string(cat::RouteKey(*l.route));
  Put(j, "provider_name", l.provider_name);
  Put(j, "leads_to", l.leads_to);
  Put(j, "subject_area", l.subject_area);
  Put(j, "image_path", l.image_path);
  Put(j, "url", l.url);
  Put(j, "starts", l.starts);
  Put(j, "ends", l.ends);
  Put(j, "event_day", l.event_day);
  if (l.event_start_minute) j["event_start"] = *l.event_start_minute;
  if (l.event_end_minute) j["event_end"] = *l.event_end_minute;
  Put(j, "place", l.place);
  return j;
}

json ToJson(const cat::SubjectLink& s) {
  json j = {{"t", "subject"}, {"subject", s.subject}, {"subject_area", s.subject_area}};
  Put(j, "career", s.career_source_id);
  return j;
}

json ToJson(const cat::PostcodePoint& p) {
  return {{"t", "postcode"},
          {"postcode", p.postcode},
          {"loc", json::array({p.location.lat, p.location.lon})}};
}

// One decoded line into the import. kCorrupt for a line that is not a record.
Status AddRecord(const json& j, cat::FeedImport& sink, cat::Catalogue* existing) {
  if (!j.is_object()) return Status::Corrupt("a segment line is not a JSON object");
  const std::string t = S(j, "t");
  if (t == "provider") {
    cat::Provider p;
    p.id = S(j, "id");
    p.name = S(j, "name");
    p.kind = cat::ParseProviderKind(S(j, "kind")).value_or(cat::ProviderKind::kOther);
    p.ukprn = S(j, "ukprn");
    p.address = S(j, "address");
    p.town = S(j, "town");
    p.postcode = S(j, "postcode");
    p.location = OptPoint(j, "loc");
    p.phone = S(j, "phone");
    p.email = S(j, "email");
    p.website = S(j, "website");
    // A provider another feed owns is staged only when the catalogue lacks it,
    // so importing this feed does not take it over from its owner.
    if (B(j, "borrowed") && existing != nullptr && existing->GetProvider(p.id).ok()) {
      return Status::Ok();
    }
    (void)sink.AddProvider(p);  // a skip is counted by the import itself
  } else if (t == "opportunity") {
    cat::Opportunity o;
    o.source_id = S(j, "id");
    o.title = S(j, "title");
    o.kind = cat::ParseOpportunityKind(S(j, "kind")).value_or(cat::OpportunityKind::kFeCourse);
    o.route = cat::ParseRoute(S(j, "route")).value_or(cat::RouteOfKind(o.kind));
    o.provider_id = S(j, "provider");
    o.employer = S(j, "employer");
    o.level = static_cast<int>(I(j, "level", -1));
    o.qualification = S(j, "qualification");
    o.subject_area = S(j, "subject_area");
    o.mode = cat::ParseStudyMode(S(j, "mode")).value_or(cat::StudyMode::kUnknown);
    o.duration = S(j, "duration");
    o.duration_months = static_cast<int>(I(j, "duration_months"));
    o.start = OptDay(j, "start");
    o.flexible_start = B(j, "flexible_start");
    o.closing = OptDay(j, "closing");
    o.posted = OptDay(j, "posted");
    o.location_name = S(j, "location_name");
    o.postcode = S(j, "postcode");
    o.location = OptPoint(j, "loc");
    o.entry_requirements = S(j, "entry_requirements");
    o.description = S(j, "description");
    o.wage_text = S(j, "wage_text");
    o.wage_annual = D(j, "wage_annual");
    o.hours_per_week = D(j, "hours_per_week");
    o.cost_text = S(j, "cost_text");
    o.url = S(j, "url");
    o.lars_code = S(j, "lars_code");
    o.soc_codes = V(j, "soc_codes");
    if (j.contains("updated")) o.updated = I(j, "updated");
    o.expires = OptDay(j, "expires");
    o.typical_job_titles = V(j, "typical_job_titles");
    o.outcomes = cat::DecodeCourseOutcomes(S(j, "outcomes"));
    (void)sink.AddOpportunity(o);
  } else if (t == "career") {
    cat::Career c;
    c.source_id = S(j, "id");
    c.title = S(j, "title");
    c.alternative_titles = S(j, "alternative_titles");
    c.overview = S(j, "overview");
    c.salary_starter = static_cast<int>(I(j, "salary_starter"));
    c.salary_experienced = static_cast<int>(I(j, "salary_experienced"));
    c.hours = S(j, "hours");
    c.working_pattern = S(j, "working_pattern");
    c.entry_university = S(j, "entry_university");
    c.entry_college = S(j, "entry_college");
    c.entry_apprenticeship = S(j, "entry_apprenticeship");
    c.entry_work = S(j, "entry_work");
    c.skills = V(j, "skills");
    c.what_you_do = S(j, "what_you_do");
    c.career_path = S(j, "career_path");
    c.related_careers = V(j, "related_careers");
    c.soc_code = S(j, "soc_code");
    c.related_subjects = V(j, "related_subjects");
    c.url = S(j, "url");
    (void)sink.AddCareer(c);
  } else if (t == "lmi") {
    cat::LabourMarketFigure f;
    f.soc_code = S(j, "soc");
    f.area = S(j, "area");
    f.metric = cat::ParseLmiMetric(S(j, "metric")).value_or(cat::LmiMetric::kMedianAnnualPay);
    f.value = D(j, "value");
    f.year = static_cast<int>(I(j, "year"));
    (void)sink.AddLabourMarket(f);
  } else if (t == "event") {
    cat::Event e;
    e.source_id = S(j, "id");
    e.title = S(j, "title");
    e.kind = cat::ParseEventKind(S(j, "kind")).value_or(cat::EventKind::kOther);
    e.provider_id = S(j, "provider");
    e.start = I(j, "start");
    e.end = I(j, "end");
    e.all_day = B(j, "all_day");
    e.location_name = S(j, "location_name");
    e.postcode = S(j, "postcode");
    e.location = OptPoint(j, "loc");
    e.url = S(j, "url");
    e.description = S(j, "description");
    e.routes = static_cast<std::uint8_t>(I(j, "routes"));
    (void)sink.AddEvent(e);
  } else if (t == "local") {
    cat::LocalItem l;
    l.source_id = S(j, "id");
    l.title = S(j, "title");
    l.kind = cat::ParseLocalKind(S(j, "kind")).value_or(cat::LocalKind::kNotice);
    l.body = S(j, "body");
    if (j.contains("route")) l.route = cat::ParseRoute(S(j, "route"));
    l.provider_name = S(j, "provider_name");
    l.leads_to = S(j, "leads_to");
    l.subject_area = S(j, "subject_area");
    l.image_path = S(j, "image_path");
    l.url = S(j, "url");
    l.starts = OptDay(j, "starts");
    l.ends = OptDay(j, "ends");
    l.event_day = OptDay(j, "event_day");
    // Out of range (-1): the import skips the item and says why.
    auto minute = [&j](const char* k) {
      return static_cast<int>(std::clamp<std::int64_t>(I(j, k, -1), -1, 24 * 60));
    };
    if (j.contains("event_start")) l.event_start_minute = minute("event_start");
    if (j.contains("event_end")) l.event_end_minute = minute("event_end");
    l.place = S(j, "place");
    (void)sink.AddLocalItem(l);
  } else if (t == "subject") {
    cat::SubjectLink s;
    s.subject = S(j, "subject");
    s.subject_area = S(j, "subject_area");
    s.career_source_id = S(j, "career");
    (void)sink.AddSubjectLink(s);
  } else if (t == "postcode") {
    cat::PostcodePoint p;
    p.postcode = S(j, "postcode");
    p.location = OptPoint(j, "loc").value_or(GeoPoint{});
    (void)sink.AddPostcode(p);
  } else {
    return Status::Corrupt("unknown record type \"" + t + "\" in a segment");
  }
  return Status::Ok();
}

// Serialises visited records as canonical lines into a byte consumer.
class LineWriter final : public cat::RecordVisitor {
 public:
  explicit LineWriter(std::function<Status(std::string_view)> out) : out_(std::move(out)) {}
  Status OnProvider(const cat::Provider& p, bool owned) override { return Emit(ToJson(p, owned)); }
  Status OnOpportunity(const cat::Opportunity& o) override { return Emit(ToJson(o)); }
  Status OnCareer(const cat::Career& c) override { return Emit(ToJson(c)); }
  Status OnLabourMarket(const cat::LabourMarketFigure& f) override { return Emit(ToJson(f)); }
  Status OnEvent(const cat::Event& e) override { return Emit(ToJson(e)); }
  Status OnLocalItem(const cat::LocalItem& l) override { return Emit(ToJson(l)); }
  Status OnSubjectLink(const cat::SubjectLink& s) override { return Emit(ToJson(s)); }
  Status OnPostcode(const cat::PostcodePoint& p) override { return Emit(ToJson(p)); }
  std::int64_t records() const { return records_; }
  std::int64_t bytes() const { return bytes_; }
  std::string Digest() { return sha_.HexDigest(); }

 private:
  Status Emit(const json& j) {
    line_ = j.dump(-1, ' ', false, json::error_handler_t::replace);
    line_ += '\n';
    sha_.Update(line_.data(), line_.size());
    ++records_;
    bytes_ += static_cast<std::int64_t>(line_.size());
    return out_(line_);
  }
  std::function<Status(std::string_view)> out_;
  std::string line_;
  Sha256 sha_;
  std::int64_t records_ = 0;
  std::int64_t bytes_ = 0;
};

}  // namespace

std::string Sha256Hex(std::string_view data) {
  Sha256 s;
  s.Update(data.data(), data.size());
  return s.HexDigest();
}

// [SECTION] Manifest --------------------------------------------------------------------

std::int64_t Manifest::TotalRecords() const {
  std::int64_t n = 0;
  for (const auto& f : feeds) n += f.records;
  return n;
}

const FeedEntry* Manifest::Find(const std::string& feed) const {
  for (const auto& f : feeds)
    if (f.name == feed) return &f;
  return nullptr;
}

std::string ManifestToJson(const Manifest& m) {
  json feeds = json::array();
  for (const auto& f : m.feeds) {
    json e = {{"name", f.name},
              {"records", f.records},
              {"content_sha256", f.content_sha256},
              {"raw_bytes", f.raw_bytes},
              {"included", f.included}};
    if (f.included) {
      e["offset"] = f.offset;
      e["size"] = f.size;
      e["sha256"] = f.sha256;
    }
    feeds.push_back(std::move(e));
  }
  json j = {{"format", m.format},
            {"kind", m.kind},
            {"serial", m.serial},
            {"created_at", FormatIsoTimestamp(m.created_at)},
            {"valid_until", FormatIsoTimestamp(m.valid_until)},
            {"hub", m.hub},
            {"key_id", m.key_id},
            {"total_records", m.TotalRecords()},
            {"feeds", feeds}};
  if (m.kind == "delta") j["base_serial"] = m.base_serial;
  if (m.sample) {
    j["sample"] = true;
    j["sample_name"] = m.sample_name;
  }
  return j.dump(1, ' ', false, json::error_handler_t::replace);
}

Result<Manifest> ParseManifest(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corrupt("the manifest is not JSON");
  Manifest m;
  m.format = static_cast<int>(I(j, "format", -1));
  if (m.format < 1) return Status::Corrupt("the manifest has no format version");
  if (m.format > kBundleFormat) {
    return Status::TooNew("bundle format " + std::to_string(m.format) +
                          " is newer than this content-sync understands (" +
                          std::to_string(kBundleFormat) + "); update content-sync");
  }
  m.kind = S(j, "kind");
  if (m.kind != "full" && m.kind != "delta") return Status::Corrupt("unknown bundle kind");
  m.serial = I(j, "serial", -1);
  if (m.serial < 1) return Status::Corrupt("the manifest has no serial");
  if (m.kind == "delta") m.base_serial = I(j, "base_serial", -1);
  const auto created = ParseIsoTimestamp(S(j, "created_at"));
  const auto valid = ParseIsoTimestamp(S(j, "valid_until"));
  if (!created || !valid) return Status::Corrupt("the manifest has no created_at/valid_until");
  m.created_at = *created;
  m.valid_until = *valid;
  m.hub = S(j, "hub");
  m.key_id = S(j, "key_id");
  m.sample = B(j, "sample");
  m.sample_name = S(j, "sample_name");
  auto feeds = j.find("feeds");
  if (feeds == j.end() || !feeds->is_array()) return Status::Corrupt("the manifest has no feeds");
  for (const auto& e : *feeds) {
    if (!e.is_object()) return Status::Corrupt("a manifest feed entry is not an object");
    FeedEntry f;
    f.name = S(e, "name");
    f.records = I(e, "records");
    f.content_sha256 = S(e, "content_sha256");
    f.raw_bytes = I(e, "raw_bytes");
    f.included = B(e, "included");
    f.offset = I(e, "offset", -1);
    f.size = I(e, "size", -1);
    f.sha256 = S(e, "sha256");
    if (f.name.empty() || f.content_sha256.size() != 64) {
      return Status::Corrupt("a manifest feed entry has no name or content hash");
    }
    if (f.included && (f.offset < 0 || f.size < 0 || f.sha256.size() != 64)) {
      return Status::Corrupt("manifest entry " + f.name + " has no offset/size/sha256");
    }
    m.feeds.push_back(std::move(f));
  }
  return m;
}

// [SECTION] Encoding segments ---------------------------------------------------------------

Result<EncodedSegment> EncodeFeed(cat::Catalogue& catalogue, const std::string& feed,
                                  const std::string& path, int zstd_level) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return Status::IoError("cannot write " + path);
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  if (!cctx) return Status::Internal("zstd: out of memory");
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, zstd_level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  std::vector<char> out(ZSTD_CStreamOutSize());
  Sha256 packed;
  std::int64_t packed_bytes = 0;
  auto pump = [&](std::string_view in, ZSTD_EndDirective mode) -> Status {
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    for (;;) {
      ZSTD_outBuffer ob{out.data(), out.size(), 0};
      const std::size_t left = ZSTD_compressStream2(cctx.get(), &ob, &ib, mode);
      if (ZSTD_isError(left))
        return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(left));
      if (ob.pos > 0) {
        if (std::fwrite(out.data(), 1, ob.pos, f.get()) != ob.pos) {
          return Status::IoError("cannot write " + path + " (disk full?)");
        }
        packed.Update(out.data(), ob.pos);
        packed_bytes += static_cast<std::int64_t>(ob.pos);
      }
      const bool done = mode == ZSTD_e_end ? left == 0 : ib.pos == ib.size;
      if (done) return Status::Ok();
    }
  };
  std::string buffer;
  LineWriter writer([&](std::string_view line) -> Status {
    buffer.append(line);
    if (buffer.size() < (1 << 20)) return Status::Ok();
    Status st = pump(buffer, ZSTD_e_continue);
    buffer.clear();
    return st;
  });
  if (Status st = cat::ExportFeed(catalogue, feed, writer); !st.ok()) return st;
  if (Status st = pump(buffer, ZSTD_e_end); !st.ok()) return st;
  if (std::fflush(f.get()) != 0) return Status::IoError("cannot write " + path);
  EncodedSegment seg;
  seg.path = path;
  seg.entry.name = feed;
  seg.entry.records = writer.records();
  seg.entry.raw_bytes = writer.bytes();
  seg.entry.content_sha256 = writer.Digest();
  seg.entry.size = packed_bytes;
  seg.entry.sha256 = packed.HexDigest();
  return seg;
}

Result<std::string> FeedContentHash(cat::Catalogue& catalogue, const std::string& feed) {
  LineWriter writer([](std::string_view) { return Status::Ok(); });
  if (Status st = cat::ExportFeed(catalogue, feed, writer); !st.ok()) return st;
  return writer.Digest();
}

Result<std::string> CatalogueDigest(cat::Catalogue& catalogue) {
  auto feeds = cat::ListFeeds(catalogue);
  if (!feeds.ok()) return feeds.status();
  std::set<std::string> providers;
  Sha256 sha;
  class Visitor final : public cat::RecordVisitor {
   public:
    Visitor(Sha256* sha, std::set<std::string>* providers) : sha_(sha), providers_(providers) {}
    Status OnProvider(const cat::Provider& p, bool) override {
      providers_->insert(ToJson(p, true).dump(-1, ' ', false, json::error_handler_t::replace));
      return Status::Ok();
    }
    Status OnOpportunity(const cat::Opportunity& o) override { return Add(ToJson(o)); }
    Status OnCareer(const cat::Career& c) override { return Add(ToJson(c)); }
    Status OnLabourMarket(const cat::LabourMarketFigure& f) override { return Add(ToJson(f)); }
    Status OnEvent(const cat::Event& e) override { return Add(ToJson(e)); }
    Status OnLocalItem(const cat::LocalItem& l) override { return Add(ToJson(l)); }
    Status OnSubjectLink(const cat::SubjectLink& s) override { return Add(ToJson(s)); }
    Status OnPostcode(const cat::PostcodePoint& p) override { return Add(ToJson(p)); }

   private:
    Status Add(const json& j) {
      const std::string line = j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
      sha_->Update(line.data(), line.size());
      return Status::Ok();
    }
    Sha256* sha_;
    std::set<std::string>* providers_;
  };
  Visitor visitor(&sha, &providers);
  for (const std::string& feed : feeds.value()) {
    const std::string head = "feed " + feed + "\n";
    sha.Update(head.data(), head.size());
    if (Status st = cat::ExportFeed(catalogue, feed, visitor); !st.ok()) return st;
  }
  sha.Update("providers\n", 10);
  for (const std::string& p : providers) {
    sha.Update(p.data(), p.size());
    sha.Update("\n", 1);
  }
  return sha.HexDigest();
}

// [SECTION] Bundle files, decoding -------------------------------------------------------------

Status WriteBundle(const std::string& path, Manifest manifest,
                   const std::vector<EncodedSegment>& segments) {
  std::int64_t offset = 0;
  std::vector<const EncodedSegment*> order;
  for (auto& e : manifest.feeds) {
    if (!e.included) continue;
    const EncodedSegment* seg = nullptr;
    for (const auto& s : segments)
      if (s.entry.name == e.name) seg = &s;
    if (seg == nullptr) return Status::Internal("no segment for feed " + e.name);
    e.offset = offset;
    e.size = seg->entry.size;
    e.sha256 = seg->entry.sha256;
    offset += e.size;
    order.push_back(seg);
  }
  const std::string m = ManifestToJson(manifest);
  const std::string header = "SIGNPOST-BUNDLE " + std::to_string(kBundleFormat) + "\n" +
                             std::to_string(m.size()) + "\n" + m + "\n";
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return Status::IoError("cannot write " + path);
  if (std::fwrite(header.data(), 1, header.size(), f.get()) != header.size()) {
    return Status::IoError("cannot write " + path + " (disk full?)");
  }
  std::vector<char> buf(1 << 16);
  for (const EncodedSegment* seg : order) {
    File in(std::fopen(seg->path.c_str(), "rb"));
    if (!in) return Status::IoError("cannot read segment " + seg->path);
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), in.get())) > 0) {
      if (std::fwrite(buf.data(), 1, n, f.get()) != n) {
        return Status::IoError("cannot write " + path + " (disk full?)");
      }
    }
  }
  if (std::fflush(f.get()) != 0 || fsync(fileno(f.get())) != 0) {
    return Status::IoError("cannot write " + path + " (disk full?)");
  }
  return Status::Ok();
}

namespace {

// Header and manifest from `head` (the file's first bytes; the whole file
// or at least header + manifest) of a file of `file_size` bytes.
Result<BundleFile> ParseHead(const std::string& path, std::string_view head,
                             std::int64_t file_size) {
  BundleFile b;
  b.path = path;
  b.file_size = file_size;
  const std::size_t nl1 = head.find('\n');
  if (nl1 == std::string_view::npos || nl1 > 63 ||
      head.substr(0, nl1 + 1).rfind("SIGNPOST-BUNDLE ", 0) != 0) {
    return Status::Corrupt(path + " is not a Signpost content bundle");
  }
  const std::size_t nl2 = head.find('\n', nl1 + 1);
  if (nl2 == std::string_view::npos || nl2 - nl1 > 63) {
    return Status::Corrupt(path + " is truncated (no manifest)");
  }
  const std::string len_text(head.substr(nl1 + 1, nl2 - nl1 - 1));
  char* end = nullptr;
  const long long mlen = std::strtoll(len_text.c_str(), &end, 10);
  if (mlen <= 0 || mlen > kMaxManifestBytes || len_text.empty() || (end && *end != '\0')) {
    return Status::Corrupt(path + " has a damaged header");
  }
  const std::size_t mstart = nl2 + 1;
  if (head.size() < mstart + static_cast<std::size_t>(mlen) + 1 ||
      head[mstart + static_cast<std::size_t>(mlen)] != '\n') {
    return Status::Corrupt(path + " is truncated (manifest incomplete)");
  }
  b.data_start = static_cast<std::int64_t>(mstart) + mlen + 1;
  auto m = ParseManifest(head.substr(mstart, static_cast<std::size_t>(mlen)));
  if (!m.ok())
    return Status(m.status().code() == Status::Code::kTooNew
                      ? m.status()
                      : Status::Corrupt(path + ": " + m.status().message()));
  b.manifest = std::move(m.value());
  std::int64_t need = b.data_start;
  for (const auto& e : b.manifest.feeds) {
    if (e.included) {
      if (e.offset > kMaxBundleBytes || e.size > kMaxBundleBytes) {
        return Status::Corrupt(path + ": manifest entry " + e.name + " is out of range");
      }
      need = std::max(need, b.data_start + e.offset + e.size);
    }
  }
  if (b.file_size < need) {
    return Status::Corrupt(path + " is truncated: " + std::to_string(b.file_size) + " of " +
                           std::to_string(need) + " bytes");
  }
  if (b.file_size > need) {
    return Status::Corrupt(path + " has " + std::to_string(b.file_size - need) +
                           " unexpected bytes at the end");
  }
  return b;
}

// The compressed bytes of an included segment (ParseHead checked the range).
std::string_view SegmentBytes(const BundleFile& bundle, const FeedEntry& e) {
  return std::string_view(*bundle.bytes)
      .substr(static_cast<std::size_t>(bundle.data_start + e.offset),
              static_cast<std::size_t>(e.size));
}

}  // namespace

Result<BundleFile> ParseBundle(const std::string& path, std::shared_ptr<const std::string> bytes) {
  if (!bytes) return Status::Internal("no bytes for " + path);
  auto b = ParseHead(path, *bytes, static_cast<std::int64_t>(bytes->size()));
  if (!b.ok()) return b.status();
  b->bytes = std::move(bytes);
  return b;
}

Result<BundleFile> OpenBundle(const std::string& path) {
  auto bytes = ReadUntrustedFile(path, kMaxBundleBytes);
  if (!bytes.ok()) {
    if (bytes.status().code() == Status::Code::kNotFound)
      return Status::NotFound("cannot read " + path);
    return bytes.status();
  }
  return ParseBundle(path, std::make_shared<const std::string>(std::move(bytes.value())));
}

Result<BundleFile> ReadBundleHeader(const std::string& path) {
  std::int64_t size = 0;  // of the same open file the header came from
  auto head = ReadUntrustedPrefix(path, 128 + kMaxManifestBytes, kMaxBundleBytes, &size);
  if (!head.ok()) return head.status();
  return ParseHead(path, head.value(), size);
}

Status CheckSegmentHashes(const BundleFile& bundle) {
  if (!bundle.bytes) return Status::Internal(bundle.path + " was not read whole");
  for (const auto& e : bundle.manifest.feeds) {
    if (!e.included) continue;
    const std::string_view seg = SegmentBytes(bundle, e);
    Sha256 sha;
    sha.Update(seg.data(), seg.size());
    if (sha.HexDigest() != e.sha256) {
      return Status::Corrupt(bundle.path + ": segment " + e.name + " does not match its hash");
    }
  }
  return Status::Ok();
}

Status DecodeSegment(const BundleFile& bundle, const FeedEntry& entry, cat::FeedImport& sink,
                     cat::Catalogue* existing) {
  if (!entry.included) return Status::Internal("segment " + entry.name + " is not in this file");
  if (!bundle.bytes) return Status::Internal(bundle.path + " was not read whole");
  const std::string_view seg = SegmentBytes(bundle, entry);
  // Pass 1: the compressed bytes' hash, before anything is parsed.
  {
    Sha256 sha;
    sha.Update(seg.data(), seg.size());
    if (sha.HexDigest() != entry.sha256) {
      return Status::Corrupt(bundle.path + ": segment " + entry.name + " does not match its hash");
    }
  }
  // Pass 2: decompress, split lines, import, hash the lines.
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!dctx) return Status::Internal("zstd: out of memory");
  std::vector<char> out(ZSTD_DStreamOutSize());
  std::string pending;
  Sha256 content;
  std::int64_t records = 0, raw = 0;
  auto consume_lines = [&](bool final) -> Status {
    std::size_t start = 0;
    for (;;) {
      const std::size_t nl = pending.find('\n', start);
      if (nl == std::string::npos) break;
      std::string_view line(pending.data() + start, nl - start);
      json j = json::parse(line, nullptr, false);
      if (j.is_discarded()) {
        return Status::Corrupt("segment " + entry.name + " line " + std::to_string(records + 1) +
                               " is not JSON");
      }
      if (Status st = AddRecord(j, sink, existing); !st.ok()) return st;
      ++records;
      start = nl + 1;
    }
    pending.erase(0, start);
    if (final && !pending.empty()) {
      return Status::Corrupt("segment " + entry.name + " ends in the middle of a record");
    }
    return Status::Ok();
  };
  std::size_t last_ret = 1;
  for (std::size_t at = 0; at < seg.size();) {
    const std::size_t n = std::min<std::size_t>(seg.size() - at, 1 << 16);
    ZSTD_inBuffer ib{seg.data() + at, n, 0};
    at += n;
    while (ib.pos < ib.size) {
      ZSTD_outBuffer ob{out.data(), out.size(), 0};
      last_ret = ZSTD_decompressStream(dctx.get(), &ob, &ib);
      if (ZSTD_isError(last_ret)) {
        return Status::Corrupt("segment " + entry.name + ": " + ZSTD_getErrorName(last_ret));
      }
      content.Update(out.data(), ob.pos);
      raw += static_cast<std::int64_t>(ob.pos);
      pending.append(out.data(), ob.pos);
      if (Status st = consume_lines(false); !st.ok()) return st;
    }
  }
  // Flush anything still buffered inside the decoder.
  for (int guard = 0; last_ret != 0 && guard < 1 << 20; ++guard) {
    ZSTD_inBuffer ib{nullptr, 0, 0};
    ZSTD_outBuffer ob{out.data(), out.size(), 0};
    last_ret = ZSTD_decompressStream(dctx.get(), &ob, &ib);
    if (ZSTD_isError(last_ret)) {
      return Status::Corrupt("segment " + entry.name + ": " + ZSTD_getErrorName(last_ret));
    }
    if (ob.pos == 0) break;
    content.Update(out.data(), ob.pos);
    raw += static_cast<std::int64_t>(ob.pos);
    pending.append(out.data(), ob.pos);
    if (Status st = consume_lines(false); !st.ok()) return st;
  }
  if (last_ret != 0) return Status::Corrupt("segment " + entry.name + " is incomplete");
  if (Status st = consume_lines(true); !st.ok()) return st;
  if (records != entry.records || raw != entry.raw_bytes ||
      content.HexDigest() != entry.content_sha256) {
    return Status::Corrupt("segment " + entry.name + " does not match its manifest entry");
  }
  return Status::Ok();
}

}  // namespace signpost::sync::bundle
