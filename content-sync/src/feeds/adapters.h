// Constructors of the individual feed adapters, one per published format.
//
// MakeFeedAdapter(kind) (feed_adapter.h) is the usual entry point; these are
// here so tests and fuzz targets can build an adapter directly, and so the
// iCalendar adapter can be given a fixed clock. Each adapter's own .cpp
// opens with where its format was confirmed. Thread safety: each adapter
// object is used by one thread at a time (it keeps paging state).
#pragma once

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
  int max_occurrences = 500;  // hard cap per recurring event
  // Where to note things that were handled but not exactly (a TZID other
  // than Europe/London read as UTC, an unsupported RRULE FREQ); nullptr =
  // nowhere. Notes are not skips: the events are still imported.
  std::vector<std::string>* notes = nullptr;
};
std::unique_ptr<FeedAdapter> MakeIcalendarAdapter(const IcalendarOptions& options = {});

}  // namespace signpost::sync
