// Helpers for catalogue tests: a temporary directory and record builders.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "signpost/catalogue.h"

namespace signpost::catalogue::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "signpost-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline Provider MakeProvider(const std::string& id, const std::string& name,
                             GeoPoint where = {53.80, -1.55}) {
  Provider p;
  p.id = id;
  p.name = name;
  p.kind = ProviderKind::kFeCollege;
  p.town = "Leeds";
  p.postcode = "ls1 4ap";
  p.location = where;
  return p;
}

inline Opportunity MakeOpportunity(const std::string& id, const std::string& title,
                                   const std::string& provider,
                                   Route route = Route::kFurtherEducation, int level = 3) {
  Opportunity o;
  o.source_id = id;
  o.title = title;
  o.provider_id = provider;
  o.route = route;
  switch (route) {
    case Route::kFurtherEducation:
      o.kind = OpportunityKind::kFeCourse;
      break;
    case Route::kTLevel:
      o.kind = OpportunityKind::kTLevel;
      break;
    case Route::kHigherEducation:
      o.kind = OpportunityKind::kHeCourse;
      break;
    case Route::kApprenticeship:
      o.kind = OpportunityKind::kApprenticeshipVacancy;
      break;
  }
  o.level = level;
  o.subject_area = "Engineering and manufacturing";
  o.mode = StudyMode::kFullTime;
  o.description = "A practical course with workshops and a work placement.";
  return o;
}

inline std::unique_ptr<Catalogue> OpenWriter(const std::string& path) {
  auto c = Catalogue::Open(path);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c.value()) : nullptr;
}

inline std::unique_ptr<Catalogue> OpenReader(const std::string& path) {
  OpenOptions o;
  o.read_only = true;
  auto c = Catalogue::Open(path, o);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c.value()) : nullptr;
}

}  // namespace signpost::catalogue::testing
