#include "feeds/counting_import.h"

namespace signpost::sync {

Status CountingImport::Count(const char* type, const std::string& missing) {
  if (!missing.empty()) {
    const std::string reason = std::string(type) + ": " + missing;
    Skip(reason);
    return Status::InvalidArgument(reason);
  }
  ++staged_;
  ++counts_[type];
  return Status::Ok();
}

void CountingImport::Skip(const std::string& reason) {
  ++skipped_;
  if (problems_.size() < 20) problems_.push_back(reason);
}

Status CountingImport::AddProvider(const catalogue::Provider& p) {
  return Count("providers", p.id.empty() ? "missing id" : (p.name.empty() ? "missing name" : ""));
}
Status CountingImport::AddOpportunity(const catalogue::Opportunity& o) {
  std::string missing;
  if (o.source_id.empty()) {
    missing = "missing source id";
  } else if (o.title.empty()) {
    missing = o.source_id + ": missing title";
  } else if (o.provider_id.empty()) {
    missing = o.source_id + ": missing provider";
  }
  return Count("opportunities", missing);
}
Status CountingImport::AddCareer(const catalogue::Career& c) {
  return Count("careers", c.source_id.empty() ? "missing source id"
                          : c.title.empty()   ? c.source_id + ": missing title"
                                              : "");
}
Status CountingImport::AddLabourMarket(const catalogue::LabourMarketFigure& f) {
  return Count("lmi_figures", f.soc_code.empty() ? "missing SOC code" : "");
}
Status CountingImport::AddEvent(const catalogue::Event& e) {
  std::string missing;
  if (e.source_id.empty()) {
    missing = "missing UID";
  } else if (e.title.empty()) {
    missing = e.source_id + ": missing title";
  } else if (e.start == 0) {
    missing = e.source_id + ": missing start";
  } else if (e.end < e.start) {
    missing = e.source_id + ": ends before it starts";
  }
  return Count("events", missing);
}
Status CountingImport::AddLocalItem(const catalogue::LocalItem& l) {
  return Count("local_items", l.source_id.empty() ? "missing source id"
                              : l.title.empty()   ? l.source_id + ": missing title"
                                                  : "");
}
Status CountingImport::AddSubjectLink(const catalogue::SubjectLink& s) {
  return Count("subject_links", s.subject.empty() ? "missing subject" : "");
}
Status CountingImport::AddPostcode(const catalogue::PostcodePoint& p) {
  return Count("postcodes", p.postcode.empty() ? "missing postcode" : "");
}

Result<catalogue::ImportReport> CountingImport::Commit(const catalogue::CommitExtras&) {
  catalogue::ImportReport r;
  r.feed = "validate";
  r.accepted = staged_;
  r.skipped = skipped_;
  r.problems = problems_;
  return r;
}

}  // namespace signpost::sync
