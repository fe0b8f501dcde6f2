// UsageTracker: the kiosk's side of the anonymous usage counters
// (signpost/usage.h). It adds up what the current session does in memory
// (a SessionTally: which routes were opened, filters and accessibility
// features used, searches that found nothing) and, when the session ends,
// hands the tally to a UsageRecorder that writes it on its own thread: the
// UI thread never touches the disk. Nothing is kept per session once it is
// written, and nothing is written for a technician's session.
//
// App calls the On* hooks (one line each) from navigation, search results
// and settings changes. Disabled (all calls do nothing) when the path is "".
// Thread safety: UI thread only (the recorder has its own thread).
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kiosk/app_state.h"
#include "signpost/usage.h"

namespace signpost::kiosk {

class UsageTracker {
 public:
  explicit UsageTracker(const std::string& path);  // "" = counting off
  ~UsageTracker();

  void Start(double now);  // a session begins (attract -> home); no-op while one runs
  void End(double now);    // the session ends (idle wipe, "Back to kiosk"): submit it
  void OnScreen(Screen s, std::int64_t id, const Session& session);
  void OnOpportunity(std::int64_t rowid, catalogue::Route route, const std::string& subject_area);
  void OnSearch(const SearchState& s);  // a search was run with these filters
  void OnSearchResult(const std::string& text, std::int64_t total);
  void OnSettings(const Settings& now, const Settings& defaults);
  void OnSchoolSubject(const std::string& subject);

  bool enabled() const { return recorder_ != nullptr; }
  bool active() const { return active_; }
  usage::UsageRecorder* recorder() { return recorder_.get(); }  // nullptr when off
  const std::string& path() const { return path_; }

 private:
  void Explore(const char* route_key);
  std::string path_;
  std::unique_ptr<usage::UsageRecorder> recorder_;
  bool active_ = false;
  bool staff_ = false;  // the technician was here: not a student session
  double started_ = 0;  // app clock
  usage::SessionTally tally_;
  std::set<std::string> seen_;           // things already counted this session
  std::vector<std::string> zero_texts_;  // normalised searches that found nothing
};

// Where the kiosk keeps its counters by default: usage.db beside the catalogue.
std::string DefaultUsagePath(const std::string& catalogue_path);

}  // namespace signpost::kiosk
