// Helpers for catalogue tests: a temporary directory and record builders.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

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

// Takes a catalogue's tables back to how they were before schema version 5
// (the columns its migration adds): for tests that make an older catalogue.
inline constexpr const char* kDropSchemaV5Columns = R"sql(
  ALTER TABLE opportunity DROP COLUMN posted_date;
  ALTER TABLE local_item DROP COLUMN event_date;
  ALTER TABLE local_item DROP COLUMN event_start;
  ALTER TABLE local_item DROP COLUMN event_end;
  ALTER TABLE local_item DROP COLUMN place;
)sql";

// Kill tests. The child, once its work is committed: says so on `fd` and
// waits to be killed (it never exits on its own after the commit).
[[noreturn]] inline void SayCommittedAndWait(int fd) {
  if (write(fd, "c", 1) == 1) {
    for (;;) pause();
  }
  _exit(0);
}

// The parent: SIGKILLs `child` just after it says it committed (`after_commit`:
// whatever the load; EOF means the child died first, and its status says so),
// else after a random delay of up to `max_us`, which may land on either side.
inline void KillChild(pid_t child, int fd, bool after_commit, long max_us, std::mt19937& rng) {
  if (after_commit) {
    char c = 0;
    (void)!read(fd, &c, 1);
  } else {
    std::uniform_int_distribution<long> delay(0, max_us);
    std::this_thread::sleep_for(std::chrono::microseconds(delay(rng)));
  }
  close(fd);
  kill(child, SIGKILL);
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
