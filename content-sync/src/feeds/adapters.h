// Constructors of the individual feed adapters, one per published format.
//
// MakeFeedAdapter(kind) (feed_adapter.h) is the usual entry point; these are
// here so tests and fuzz targets can build an adapter directly, and so the
// iCalendar adapter can be given a fixed clock. Each adapter's own .cpp
// opens with where its format was confirmed. Thread safety: each adapter
// object is used by one thread at a time (it keeps paging state).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "feeds/feed_adapter.h"
#include "signpost/dates.h"

namespace signpost::sync {

std::unique_ptr<FeedAdapter> MakeFindACourseAdapter();
std::unique_ptr<FeedAdapter> MakeFatVacanciesAdapter();
std::unique_ptr<FeedAdapter> MakeStandardsAdapter();
std::unique_ptr<FeedAdapter> MakeJobProfilesAdapter();
std::unique_ptr<FeedAdapter> MakeLmiForAllAdapter();
std::unique_ptr<FeedAdapter> MakeDiscoverUniAdapter();
std::unique_ptr<FeedAdapter> MakeOpenReferralAdapter();

struct IcalendarOptions {
  UnixTime now = 0;           // 0 = the real clock (NowUnix()) at each Parse
  int horizon_days = 365;     // recurring events: occurrences within [now, now + horizon)
  int max_occurrences = 500;  // cap per recurring event (the rest are noted, not imported)
  // Caps per feed: more events than this in the horizon, or more recurrence
  // steps than this to expand them, fails the feed (it keeps its old data).
  std::int64_t max_feed_occurrences = 20000;
  std::int64_t max_feed_steps = 2'000'000;
  // Where to note things that were handled but not exactly (a TZID read as
  // a fixed offset or UTC, an unsupported RRULE FREQ, an event over its
  // cap); nullptr = nowhere. Notes are not skips: the events are imported.
  std::vector<std::string>* notes = nullptr;
};
std::unique_ptr<FeedAdapter> MakeIcalendarAdapter(const IcalendarOptions& options = {});

}  // namespace signpost::sync
