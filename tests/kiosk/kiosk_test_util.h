// Helpers for kiosk tests: a sample catalogue built once per test process in
// a temporary directory, and a headless Kiosk on it.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/platform.h"
#include "kiosk/script.h"
#include "signpost/catalogue.h"
#include "signpost/sample_data.h"

namespace signpost::kiosk::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "signpost-kiosk-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The sample catalogue, loaded once per process (dates relative to today).
inline const std::string& SampleCatalogue() {
  static TempDir dir;
  static const std::string path = [] {
    std::string p = dir.File("sample.db");
    auto writer = catalogue::Catalogue::Open(p);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    if (writer.ok()) {
      Status s = LoadSampleCatalogue(writer->get(), DefaultSampleDir(), TodayUtc());
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    return p;
  }();
  return path;
}

inline RunOptions HeadlessOptions(int width = 800, int height = 480) {
  RunOptions o;
  o.headless = true;
  o.speech = false;
  o.width = width;
  o.height = height;
  o.config.catalogue_path = SampleCatalogue();
  o.config.pin_hash_path = "/nonexistent/technician-pin";  // no PIN can open it
  return o;
}

// Runs script lines (tap-label, expect-text, ...) on `k`; false with `error`
// set when one fails to parse or to hold.
inline bool RunWords(Kiosk& k, const std::string& script, std::string* error) {
  std::vector<ScriptLine> lines;
  return ParseScript(script, &lines, error) && RunScript(k, lines, error);
}

inline std::unique_ptr<Kiosk> MakeKiosk(const RunOptions& options) {
  std::string error;
  auto k = Kiosk::Create(options, &error);
  EXPECT_TRUE(k) << error;
  if (k) k->Settle();
  return k;
}

}  // namespace signpost::kiosk::testing
