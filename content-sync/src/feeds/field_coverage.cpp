// Field coverage (field_coverage.h).
#include "feeds/field_coverage.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "feeds/feed_util.h"

namespace signpost::sync {

namespace {

double Share(const FieldCount& f) {
  return f.total > 0 ? static_cast<double>(f.with) / static_cast<double>(f.total) : 1.0;
}

const FieldCount* Find(const FieldCoverage* c, const FieldCount& f) {
  if (c == nullptr) return nullptr;
  for (const FieldCount& p : c->fields) {
    if (p.name == f.name && p.records == f.records) return &p;
  }
  return nullptr;
}

}  // namespace

std::string FieldCoverage::Degraded(const std::string& feed, const FieldCoverage* previous) const {
  std::string out;
  for (const FieldCount& f : fields) {
    if (f.total == 0) continue;
    const double share = Share(f);
    bool degraded = f.min_share > 0 && share < f.min_share;
    if (const FieldCount* before = Find(previous, f); before && before->total > 0) {
      // Nearly all used to have it; now not even half as many do.
      degraded = degraded || (Share(*before) >= 0.8 && share < Share(*before) / 2);
    }
    if (!degraded) continue;
    std::string sentence =
        feed + ": " + feeds::WithCommas(f.total) + " " + f.records + " imported, " +
        (f.with == 0 ? std::string("none has ")
                     : "only " + feeds::WithCommas(f.with) + (f.with == 1 ? " has " : " have ")) +
        f.name;
    if (!f.hint.empty()) sentence += ": " + f.hint;
    out += (out.empty() ? "" : "; ") + sentence;
  }
  return out;
}

std::string FieldCoverage::Table() const {
  std::string out;
  for (const FieldCount& f : fields) {
    const long pct = f.total > 0 ? std::lround(Share(f) * 100) : 0;
    out += "  " + f.name + ": " + feeds::WithCommas(f.with) + " of " + feeds::WithCommas(f.total) +
           " " + f.records + (f.total > 0 ? " (" + std::to_string(pct) + "%)" : "") + "\n";
  }
  return out;
}

std::string FieldCoverage::ToJson() const {
  nlohmann::json doc = nlohmann::json::array();
  for (const FieldCount& f : fields) {
    doc.push_back({{"field", f.name},
                   {"records", f.records},
                   {"total", f.total},
                   {"with", f.with},
                   {"min_share", f.min_share},
                   {"hint", f.hint}});
  }
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<FieldCoverage> FieldCoverage::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_array()) return std::nullopt;
  FieldCoverage c;
  for (const auto& f : doc) {
    if (!f.is_object()) return std::nullopt;
    FieldCount n;
    n.name = f.value("field", "");
    n.records = f.value("records", "");
    n.total = f.value("total", std::int64_t{0});
    n.with = f.value("with", std::int64_t{0});
    n.min_share = f.value("min_share", 0.5);
    n.hint = f.value("hint", "");
    c.fields.push_back(std::move(n));
  }
  return c;
}

std::string CoverageMetaKey(const std::string& feed) { return "field_coverage:" + feed; }
std::string DegradedMetaKey(const std::string& feed) {
  return catalogue::FeedDegradedMetaKey(feed);  // one key for content-sync and the kiosk
}

CoverageImport::CoverageImport(catalogue::FeedImport& inner, std::vector<KeyField> fields,
                               std::int64_t max_records)
    : inner_(inner), fields_(std::move(fields)), max_records_(max_records) {
  for (const KeyField& k : fields_) {
    FieldCount c;
    c.name = k.name;
    c.records = k.records;
    c.min_share = k.min_share;
    c.hint = k.hint;
    counts_.push_back(std::move(c));
  }
}

bool CoverageImport::Admit() {
  if (++seen_ > max_records_) {
    if (!over_cap_) {
      over_cap_ = true;
      inner_.Skip("more than " + feeds::WithCommas(max_records_) +
                  " records in one feed: the rest were refused");
    }
    return false;
  }
  return true;
}

template <typename R>
void CoverageImport::Count(const R& record, std::function<bool(const R&)> KeyField::*predicate) {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const auto& has = fields_[i].*predicate;
    if (!has) continue;
    ++counts_[i].total;
    if (has(record)) ++counts_[i].with;
  }
}

namespace {
Status OverCap(std::int64_t cap) {
  return Status::InvalidArgument("more than " + feeds::WithCommas(cap) + " records in one feed");
}
}  // namespace

Status CoverageImport::AddProvider(const catalogue::Provider& p) {
  if (!Admit()) return OverCap(max_records_);
  Status s = inner_.AddProvider(p);
  if (s.ok()) Count(p, &KeyField::provider);
  return s;
}
Status CoverageImport::AddOpportunity(const catalogue::Opportunity& o) {
  if (!Admit()) return OverCap(max_records_);
  Status s = inner_.AddOpportunity(o);
  if (s.ok()) Count(o, &KeyField::opportunity);
  return s;
}
Status CoverageImport::AddCareer(const catalogue::Career& c) {
  if (!Admit()) return OverCap(max_records_);
  Status s = inner_.AddCareer(c);
  if (s.ok()) Count(c, &KeyField::career);
  return s;
}
Status CoverageImport::AddLabourMarket(const catalogue::LabourMarketFigure& f) {
  if (!Admit()) return OverCap(max_records_);
  Status s = inner_.AddLabourMarket(f);
  if (s.ok()) Count(f, &KeyField::figure);
  return s;
}
Status CoverageImport::AddEvent(const catalogue::Event& e) {
  if (!Admit()) return OverCap(max_records_);
  Status s = inner_.AddEvent(e);
  if (s.ok()) Count(e, &KeyField::event);
  return s;
}
Status CoverageImport::AddLocalItem(const catalogue::LocalItem& l) {
  if (!Admit()) return OverCap(max_records_);
  return inner_.AddLocalItem(l);
}
Status CoverageImport::AddSubjectLink(const catalogue::SubjectLink& s) {
  if (!Admit()) return OverCap(max_records_);
  return inner_.AddSubjectLink(s);
}
Status CoverageImport::AddPostcode(const catalogue::PostcodePoint& p) {
  if (!Admit()) return OverCap(max_records_);
  return inner_.AddPostcode(p);
}
void CoverageImport::Skip(const std::string& reason) {
  if (!Admit()) return;
  inner_.Skip(reason);
}

FieldCoverage CoverageImport::coverage() const {
  FieldCoverage c;
  c.fields = counts_;
  return c;
}

}  // namespace signpost::sync
