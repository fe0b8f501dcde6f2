// Field coverage: format drift made visible.
//
// Each adapter declares its key fields (FeedAdapter::KeyFields): what a
// usable record of its feed needs and the feed's format promises (a located
// vacancy needs a postcode or a map point, a service an address or a phone,
// a course a link a student can open...). CoverageImport sits between an
// adapter and the real import (the sync engine) or the counting one
// (`content-sync validate`): for every record the import accepts it counts
// which key fields it has. A feed whose records mostly lack a key field
// (fewer than KeyField::min_share of them have it, or half as many as last
// time when nearly all did) is "degraded": the sync still imports it, but
// `content-sync status`, `signpost-doctor` and the kiosk's technician screen
// say so in a sentence a technician understands ("vacancies: 2,310 vacancies
// imported, none has a location: has the API version changed?").
//
// CoverageImport also holds the per-feed record cap: past max_records
// records (accepted or skipped) it refuses more and over_cap() says so; the
// engine then fails the feed and keeps its old data.
//
// Owned by the feed adapters; the sync engine and the CLI use it. Thread
// safety: one thread at a time; FieldCoverage is a value.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/catalogue.h"

namespace signpost::sync {

// One key field of a feed's records. Exactly one predicate is set: the
// record type the field belongs to.
struct KeyField {
  std::string name;        // as a technician reads it: "a location (postcode or map point)"
  std::string records;     // the feed's records in plain words: "vacancies", "services"
  double min_share = 0.5;  // degraded when fewer of the records have it (0 = report only)
  std::string hint;        // the likely cause: "has the API version changed?"
  std::function<bool(const catalogue::Opportunity&)> opportunity;
  std::function<bool(const catalogue::Provider&)> provider;
  std::function<bool(const catalogue::Career&)> career;
  std::function<bool(const catalogue::Event&)> event;
  std::function<bool(const catalogue::LabourMarketFigure&)> figure;
};

// How many records had each key field, after a sync or a validate.
struct FieldCount {
  std::string name;
  std::string records;
  std::int64_t total = 0;  // records of the field's type
  std::int64_t with = 0;   // ... that had it
  double min_share = 0.5;
  std::string hint;
};

struct FieldCoverage {
  std::vector<FieldCount> fields;

  // The sentence a technician reads when a key field is missing from most
  // of the feed's records (see the header), or "" when the feed is fine.
  // `previous` is the coverage of the data the catalogue held before.
  std::string Degraded(const std::string& feed, const FieldCoverage* previous = nullptr) const;
  // "  a location (postcode or map point): 2,308 of 2,310 vacancies (99%)" lines.
  std::string Table() const;
  std::string ToJson() const;
  static std::optional<FieldCoverage> FromJson(std::string_view json);
};

// The catalogue meta keys where a sync keeps a feed's coverage (JSON) and,
// while the feed is degraded, the sentence (plain text; the kiosk shows it).
std::string CoverageMetaKey(const std::string& feed);
std::string DegradedMetaKey(const std::string& feed);

// The most records one feed may send in one sync (accepted and skipped
// together): twice the largest national feed known (Find a course).
inline constexpr std::int64_t kMaxRecordsPerFeed = 1'000'000;

class CoverageImport final : public catalogue::FeedImport {
 public:
  // `inner` must outlive this object.
  CoverageImport(catalogue::FeedImport& inner, std::vector<KeyField> fields,
                 std::int64_t max_records = kMaxRecordsPerFeed);

  Status AddProvider(const catalogue::Provider& p) override;
  Status AddOpportunity(const catalogue::Opportunity& o) override;
  Status AddCareer(const catalogue::Career& c) override;
  Status AddLabourMarket(const catalogue::LabourMarketFigure& f) override;
  Status AddEvent(const catalogue::Event& e) override;
  Status AddLocalItem(const catalogue::LocalItem& l) override;
  Status AddSubjectLink(const catalogue::SubjectLink& s) override;
  Status AddPostcode(const catalogue::PostcodePoint& p) override;
  Status AddSearchAlias(const catalogue::SearchAlias& a) override {
    return inner_.AddSearchAlias(a);
  }
  void Skip(const std::string& reason) override;
  std::int64_t staged() const override { return inner_.staged(); }
  std::int64_t skipped() const override { return inner_.skipped(); }
  Result<catalogue::ImportReport> Commit(const catalogue::CommitExtras& extras = {}) override {
    return inner_.Commit(extras);
  }

  bool over_cap() const { return over_cap_; }
  std::int64_t max_records() const { return max_records_; }
  FieldCoverage coverage() const;

 private:
  bool Admit();  // counts one record against the cap; false when over it
  template <typename R>
  void Count(const R& record, std::function<bool(const R&)> KeyField::*predicate);

  catalogue::FeedImport& inner_;
  std::vector<KeyField> fields_;
  std::vector<FieldCount> counts_;  // parallel to fields_
  std::int64_t max_records_;
  std::int64_t seen_ = 0;
  bool over_cap_ = false;
};

}  // namespace signpost::sync
