// CountingImport: a FeedImport that stores nothing, for `content-sync
// validate`: it counts what an adapter would import, by record type, and
// keeps the first skip reasons. Its checks are the required fields named in
// signpost/model.h; the catalogue's own import may refuse a few more records
// (e.g. an opportunity whose provider is missing), so counts are an upper
// bound. Thread safety: one thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "signpost/catalogue.h"

namespace signpost::sync {

class CountingImport final : public catalogue::FeedImport {
 public:
  Status AddProvider(const catalogue::Provider& p) override;
  Status AddOpportunity(const catalogue::Opportunity& o) override;
  Status AddCareer(const catalogue::Career& c) override;
  Status AddLabourMarket(const catalogue::LabourMarketFigure& f) override;
  Status AddEvent(const catalogue::Event& e) override;
  Status AddLocalItem(const catalogue::LocalItem& l) override;
  Status AddSubjectLink(const catalogue::SubjectLink& s) override;
  Status AddPostcode(const catalogue::PostcodePoint& p) override;
  void Skip(const std::string& reason) override;
  std::int64_t staged() const override { return staged_; }
  std::int64_t skipped() const override { return skipped_; }
  Result<catalogue::ImportReport> Commit(const catalogue::CommitExtras& extras = {}) override;

  const std::map<std::string, std::int64_t>& counts() const { return counts_; }  // by type
  const std::vector<std::string>& problems() const { return problems_; }         // first 20

 private:
  Status Count(const char* type, const std::string& missing);
  std::int64_t staged_ = 0;
  std::int64_t skipped_ = 0;
  std::map<std::string, std::int64_t> counts_;
  std::vector<std::string> problems_;
};

}  // namespace signpost::sync
