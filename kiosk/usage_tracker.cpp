// UsageTracker: a session's tally in memory, written once when it ends.
#include "kiosk/usage_tracker.h"

#include <algorithm>
#include <filesystem>

namespace signpost::kiosk {

namespace cat = signpost::catalogue;

std::string DefaultUsagePath(const std::string& catalogue_path) {
  return (std::filesystem::path(catalogue_path).parent_path() / "usage.db").string();
}

UsageTracker::UsageTracker(const std::string& path) : path_(path) {
  if (!path.empty()) recorder_ = std::make_unique<usage::UsageRecorder>(path);
}

UsageTracker::~UsageTracker() = default;

void UsageTracker::Start(double now) {
  if (!recorder_ || active_) return;  // already counting this session
  tally_ = usage::SessionTally{};
  tally_.started = NowUnix();
  started_ = now;
  seen_.clear();
  zero_texts_.clear();
  staff_ = false;
  active_ = true;
}

void UsageTracker::End(double now) {
  if (!recorder_ || !active_) return;
  active_ = false;
  if (staff_) return;
  tally_.seconds = std::max(0.0, now - started_);
  tally_.Add(usage::kSessions);
  tally_.Add(usage::SessionLengthCounter(tally_.seconds));
  // Typing "marine biol" then "marine biology" is one search: keep only the
  // texts that are not the start of a longer one that also found nothing.
  for (const auto& t : zero_texts_) {
    bool prefix = std::any_of(zero_texts_.begin(), zero_texts_.end(), [&](const std::string& o) {
      return o.size() > t.size() && o.starts_with(t);
    });
    if (!prefix) tally_.missed_searches.insert(t);
  }
  if (!tally_.missed_searches.empty())
    tally_.Add("search.none_found", static_cast<std::int64_t>(tally_.missed_searches.size()));
  recorder_->Submit(std::move(tally_));
  tally_ = usage::SessionTally{};
  seen_.clear();
  zero_texts_.clear();
}

void UsageTracker::Explore(const char* route_key) {
  tally_.Once(std::string("explored.") + route_key);
}

void UsageTracker::OnScreen(Screen s, std::int64_t id, const Session& session) {
  if (!active_) return;
  switch (s) {
    case Screen::kPin:
    case Screen::kTechnician:
      staff_ = true;
      break;
    case Screen::kCareer:
      if (seen_.insert("career:" + std::to_string(id)).second) tally_.Add("view.careers");
      Explore("careers");
      break;
    case Screen::kEvents:
      if (seen_.insert("events").second) tally_.Add("view.events");
      Explore("events");
      tally_.Once("screen.events");
      break;
    case Screen::kShortlist:
      if (!session.shortlist.empty()) {
        // The take-away code is on this screen: count the list once, at its biggest.
        tally_.Once("shortlist.taken_away");
        tally_.counts["shortlist.items"] = std::max<std::int64_t>(
            tally_.counts["shortlist.items"], static_cast<std::int64_t>(session.shortlist.size()));
      }
      break;
    case Screen::kHelp:
      tally_.Once("screen.help");
      break;
    case Screen::kSubjects:
      tally_.Once("screen.subjects");
      break;
    case Screen::kCareers:
      tally_.Once("screen.careers");
      break;
    default:
      break;
  }
}

void UsageTracker::OnOpportunity(std::int64_t rowid, cat::Route route,
                                 const std::string& subject_area) {
  if (!active_ || !seen_.insert("opp:" + std::to_string(rowid)).second) return;
  const std::string key(cat::RouteKey(route));
  tally_.Add("view." + key);
  Explore(key.c_str());
  if (!subject_area.empty()) tally_.Add("subject." + subject_area.substr(0, 80));
}

void UsageTracker::OnSearch(const SearchState& s) {
  if (!active_) return;
  if (!usage::NormaliseSearch(s.text).empty()) tally_.Once("filter.text");
  if (s.routes) tally_.Once("filter.route");
  if (s.levels) tally_.Once("filter.level");
  if (s.modes) tally_.Once("filter.mode");
  if (!s.subject_areas.empty()) tally_.Once("filter.subject");
  if (s.within_miles > 0) tally_.Once("filter.distance");
  if (s.starting_soon) tally_.Once("filter.starting_soon");
}

void UsageTracker::OnSearchResult(const std::string& text, std::int64_t total) {
  if (!active_ || total != 0) return;
  std::string norm = usage::NormaliseSearch(text);
  if (norm.empty()) return;
  if (std::find(zero_texts_.begin(), zero_texts_.end(), norm) == zero_texts_.end() &&
      zero_texts_.size() < 50)
    zero_texts_.push_back(std::move(norm));
}

void UsageTracker::OnSettings(const Settings& now, const Settings& defaults) {
  if (!active_) return;
  if (now.text_size > defaults.text_size) tally_.Once("a11y.text_size");
  if (now.high_contrast && !defaults.high_contrast) tally_.Once("a11y.high_contrast");
  if (now.dyslexia_font && !defaults.dyslexia_font) tally_.Once("a11y.dyslexia_font");
  if (now.read_aloud && !defaults.read_aloud) tally_.Once("a11y.read_aloud");
  if (now.language != defaults.language) tally_.Once("a11y.language");
}

void UsageTracker::OnSchoolSubject(const std::string& subject) {
  if (!active_ || subject.empty() || !seen_.insert("subject:" + subject).second) return;
  tally_.Add("school_subject." + subject.substr(0, 60));
}

}  // namespace signpost::kiosk
