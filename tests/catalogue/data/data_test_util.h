// Helpers for the catalogue data tests: a temporary directory and a
// FeedImport that records what it is given (no database), with a stable hash.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "signpost/catalogue.h"

namespace signpost::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "signpost-data-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Counts and hashes every record (FNV-1a over a plain-text rendering), keeps
// the opportunities, events and local items for inspection.
class RecordingImport final : public catalogue::FeedImport {
 public:
  Status AddProvider(const catalogue::Provider& p) override {
    ++providers;
    provider_list.push_back(p);
    Hash("P", p.id, p.name, p.town, p.postcode, Point(p.location), p.website);
    return Status::Ok();
  }
  Status AddOpportunity(const catalogue::Opportunity& o) override {
    ++opportunities;
    ++by_kind[o.kind];
    Hash("O", o.source_id, o.title, o.provider_id, o.employer, std::to_string(o.level),
         o.subject_area, o.qualification, o.duration, DayText(o.start), DayText(o.closing),
         o.description, o.wage_text, std::to_string(o.wage_annual), Point(o.location), o.postcode,
         o.entry_requirements);
    if (keep_opportunities) opportunity_list.push_back(o);
    return Status::Ok();
  }
  Status AddCareer(const catalogue::Career& c) override {
    ++careers;
    career_list.push_back(c);
    Hash("C", c.source_id, c.title, c.overview, c.soc_code, std::to_string(c.salary_starter));
    return Status::Ok();
  }
  Status AddLabourMarket(const catalogue::LabourMarketFigure& f) override {
    ++lmi;
    Hash("L", f.soc_code, f.area, std::to_string(f.value), std::to_string(f.year));
    return Status::Ok();
  }
  Status AddEvent(const catalogue::Event& e) override {
    ++events;
    event_list.push_back(e);
    Hash("E", e.source_id, e.title, std::to_string(e.start), std::to_string(e.end), e.provider_id);
    return Status::Ok();
  }
  Status AddLocalItem(const catalogue::LocalItem& l) override {
    ++local_items;
    local_list.push_back(l);
    Hash("I", l.source_id, l.title, l.body, DayText(l.starts), DayText(l.ends));
    return Status::Ok();
  }
  Status AddSubjectLink(const catalogue::SubjectLink& s) override {
    ++subject_links;
    Hash("S", s.subject, s.subject_area, s.career_source_id);
    return Status::Ok();
  }
  Status AddPostcode(const catalogue::PostcodePoint& p) override {
    ++postcodes;
    Hash("Z", p.postcode, Point(p.location));
    return Status::Ok();
  }
  void Skip(const std::string& reason) override { skip_reasons.push_back(reason); }
  std::int64_t staged() const override {
    return providers + opportunities + careers + lmi + events + local_items + subject_links +
           postcodes;
  }
  std::int64_t skipped() const override { return static_cast<std::int64_t>(skip_reasons.size()); }
  Result<catalogue::ImportReport> Commit(const catalogue::CommitExtras& = {}) override {
    return catalogue::ImportReport{};
  }

  std::int64_t providers = 0, opportunities = 0, careers = 0, lmi = 0, events = 0, local_items = 0,
               subject_links = 0, postcodes = 0;
  std::map<catalogue::OpportunityKind, std::int64_t> by_kind;
  bool keep_opportunities = true;
  std::vector<catalogue::Provider> provider_list;
  std::vector<catalogue::Opportunity> opportunity_list;
  std::vector<catalogue::Career> career_list;
  std::vector<catalogue::Event> event_list;
  std::vector<catalogue::LocalItem> local_list;
  std::vector<std::string> skip_reasons;
  std::uint64_t hash = 0xcbf29ce484222325ULL;

 private:
  static std::string DayText(const std::optional<signpost::Day>& d) {
    return d ? std::to_string(*d) : "-";
  }
  static std::string Point(const std::optional<catalogue::GeoPoint>& p) {
    if (!p) return "-";
    std::ostringstream s;
    s.precision(17);
    s << p->lat << "," << p->lon;
    return s.str();
  }
  static std::string Point(const catalogue::GeoPoint& p) { return Point(std::optional(p)); }
  template <typename... Ts>
  void Hash(const Ts&... parts) {
    for (const std::string& s : {std::string(parts)...}) {
      for (char c : s) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
      hash = (hash ^ 0x1f) * 0x100000001b3ULL;  // field separator
    }
  }
};

}  // namespace signpost::testing
