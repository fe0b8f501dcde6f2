// RecordingImport: a catalogue::FeedImport test double that keeps every
// record it is given and counts skips, so adapter tests need no database.
// Add* apply only the model's "required" rules (non-empty ids and titles),
// like the real import, and count a refusal as a skip.
// Thread safety: none (one test at a time).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "signpost/catalogue.h"

namespace signpost::sync::testing {

class RecordingImport : public catalogue::FeedImport {
 public:
  Status AddProvider(const catalogue::Provider& p) override {
    if (p.id.empty() || p.name.empty()) return Refuse("provider without id or name");
    providers.push_back(p);
    return Status::Ok();
  }
  Status AddOpportunity(const catalogue::Opportunity& o) override {
    if (o.source_id.empty() || o.title.empty() || o.provider_id.empty()) {
      return Refuse("opportunity without source_id, title or provider_id");
    }
    opportunities.push_back(o);
    return Status::Ok();
  }
  Status AddCareer(const catalogue::Career& c) override {
    if (c.source_id.empty() || c.title.empty()) return Refuse("career without source_id or title");
    careers.push_back(c);
    return Status::Ok();
  }
  Status AddLabourMarket(const catalogue::LabourMarketFigure& f) override {
    if (f.soc_code.empty()) return Refuse("figure without soc_code");
    figures.push_back(f);
    return Status::Ok();
  }
  Status AddEvent(const catalogue::Event& e) override {
    if (e.source_id.empty() || e.title.empty() || e.end < e.start) return Refuse("bad event");
    events.push_back(e);
    return Status::Ok();
  }
  Status AddLocalItem(const catalogue::LocalItem&) override {
    return Refuse("unexpected local item");
  }
  Status AddSubjectLink(const catalogue::SubjectLink&) override {
    return Refuse("unexpected subject link");
  }
  Status AddPostcode(const catalogue::PostcodePoint&) override {
    return Refuse("unexpected postcode");
  }
  void Skip(const std::string& reason) override { skips.push_back(reason); }
  std::int64_t staged() const override {
    return static_cast<std::int64_t>(providers.size() + opportunities.size() + careers.size() +
                                     figures.size() + events.size());
  }
  std::int64_t skipped() const override { return static_cast<std::int64_t>(skips.size()); }
  Result<catalogue::ImportReport> Commit(const catalogue::CommitExtras& = {}) override {
    return Status::Internal("RecordingImport cannot commit");
  }

  const catalogue::Opportunity* Opportunity(const std::string& source_id) const {
    for (const auto& o : opportunities) {
      if (o.source_id == source_id) return &o;
    }
    return nullptr;
  }
  const catalogue::Provider* Provider(const std::string& id) const {
    for (const auto& p : providers) {
      if (p.id == id) return &p;
    }
    return nullptr;
  }
  const catalogue::Event* Event(const std::string& source_id) const {
    for (const auto& e : events) {
      if (e.source_id == source_id) return &e;
    }
    return nullptr;
  }
  // True when some skip reason contains `text`.
  bool SkippedFor(const std::string& text) const {
    return std::any_of(skips.begin(), skips.end(),
                       [&](const std::string& s) { return s.find(text) != std::string::npos; });
  }

  std::vector<catalogue::Provider> providers;
  std::vector<catalogue::Opportunity> opportunities;
  std::vector<catalogue::Career> careers;
  std::vector<catalogue::LabourMarketFigure> figures;
  std::vector<catalogue::Event> events;
  std::vector<std::string> skips;

 private:
  Status Refuse(const std::string& why) {
    skips.push_back(why);
    return Status::InvalidArgument(why);
  }
};

// The bytes of tests/content_sync/fixtures/<relative>.
inline std::string ReadFixture(const std::string& relative) {
  std::ifstream in(std::string(SIGNPOST_FEEDS_FIXTURE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The bytes of a real publisher payload, ../shared/feeds/samples/<relative>
// beside the checkout (see ../shared/feeds/FORMATS.md; never copied into the
// repository). A missing sample fails the test that asked for it.
inline std::string ReadSample(const std::string& relative) {
  const std::string path = std::string(SIGNPOST_SHARED_SAMPLES_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "missing real sample " << path << " (../shared/ beside the checkout)";
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace signpost::sync::testing
