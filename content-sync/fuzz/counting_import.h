// A FeedImport for fuzz targets: counts what it is given, keeps nothing, and
// checks the adapter never hands over a record that breaks the model's
// required-field rules without the import refusing it (it just counts).
// Thread safety: none (one fuzzer thread).
#pragma once

#include <cstdint>
#include <string>

#include "signpost/catalogue.h"

namespace signpost::sync::fuzz {

class CountingImport : public catalogue::FeedImport {
 public:
  Status AddProvider(const catalogue::Provider& p) override {
    return Count(!p.id.empty() && !p.name.empty());
  }
  Status AddOpportunity(const catalogue::Opportunity& o) override {
    return Count(!o.source_id.empty() && !o.title.empty() && !o.provider_id.empty());
  }
  Status AddCareer(const catalogue::Career& c) override {
    return Count(!c.source_id.empty() && !c.title.empty());
  }
  Status AddLabourMarket(const catalogue::LabourMarketFigure& f) override {
    return Count(!f.soc_code.empty());
  }
  Status AddEvent(const catalogue::Event& e) override {
    return Count(!e.source_id.empty() && !e.title.empty() && e.end >= e.start);
  }
  Status AddLocalItem(const catalogue::LocalItem&) override { return Count(true); }
  Status AddSubjectLink(const catalogue::SubjectLink&) override { return Count(true); }
  Status AddPostcode(const catalogue::PostcodePoint&) override { return Count(true); }
  void Skip(const std::string& reason) override {
    ++skipped_;
    bytes_ += reason.size();
  }
  std::int64_t staged() const override { return staged_; }
  std::int64_t skipped() const override { return skipped_; }
  Result<catalogue::ImportReport> Commit() override { return Status::Internal("fuzz import"); }

 private:
  Status Count(bool ok) {
    if (!ok) {
      ++skipped_;
      return Status::InvalidArgument("refused");
    }
    ++staged_;
    return Status::Ok();
  }
  std::int64_t staged_ = 0;
  std::int64_t skipped_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace signpost::sync::fuzz
