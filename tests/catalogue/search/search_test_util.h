// Helpers for the search quality tests: the bundled sample catalogue loaded
// once into a temporary file, and the first screen of a search as plain
// lines (kind, route, title) that expectations can be checked against.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/sample_data.h"
#include "signpost/search.h"

namespace signpost::catalogue::testing {

struct ScreenLine {
  ResultKind kind = ResultKind::kOpportunity;
  Route route = Route::kFurtherEducation;  // opportunities
  std::string title;
};

struct FirstScreen {
  std::vector<ScreenLine> lines;
  std::vector<ResultBlock> blocks;
  std::string showing;  // "Showing results for ..." ("" = as typed)
};

// The sample catalogue, loaded once per test program into a temp folder.
class SampleCatalogue {
 public:
  static SampleCatalogue& Get() {
    static SampleCatalogue s;
    return s;
  }
  SearchEngine& engine() { return *engine_; }
  Catalogue& catalogue() { return *reader_; }
  std::optional<GeoPoint> origin() const { return origin_; }

  FirstScreen Search(const std::string& text, std::uint64_t seed) {
    FirstScreen out;
    SearchRequest req;
    req.text = text;
    req.origin = origin_;
    req.session_seed = seed;
    auto r = engine_->Search(req);
    EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
    if (!r.ok()) return out;
    if (r->corrected()) out.showing = r->did_you_mean();
    out.blocks = r->first_screen();
    for (const ResultBlock& b : out.blocks) {
      if (b.kind == ResultKind::kOpportunity) {
        auto rows = engine_->Summaries(b.rowids);
        EXPECT_TRUE(rows.ok());
        if (!rows.ok()) continue;
        for (const auto& s : *rows) out.lines.push_back({b.kind, s.route, s.title});
      } else {
        auto rows = engine_->ItemSummaries(b.kind, b.rowids);
        EXPECT_TRUE(rows.ok());
        if (!rows.ok()) continue;
        for (const auto& s : *rows)
          out.lines.push_back({b.kind, Route::kFurtherEducation, s.title});
      }
    }
    return out;
  }

 private:
  SampleCatalogue() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "signpost-search-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    const std::string path = dir_ + "/sample.db";
    {
      auto writer = Catalogue::Open(path);
      EXPECT_TRUE(writer.ok()) << writer.status().ToString();
      Status s = LoadSampleCatalogue(writer->get(), SIGNPOST_TEST_SAMPLE_DIR, TodayUtc(), nullptr);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    reader_ = std::move(Catalogue::Open(path, {.read_only = true}).value());
    engine_ = std::move(SearchEngine::Create(reader_.get()).value());
    origin_ = reader_->LookupPostcode("LS6 3QT");
  }
  ~SampleCatalogue() {
    engine_.reset();
    reader_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string dir_;
  std::unique_ptr<Catalogue> reader_;
  std::unique_ptr<SearchEngine> engine_;
  std::optional<GeoPoint> origin_;
};

}  // namespace signpost::catalogue::testing
