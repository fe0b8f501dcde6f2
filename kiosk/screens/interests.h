// "Start from what you enjoy" (interests.cpp): browsing for a visitor with
// no word in mind. They tap one to three things they enjoy ("Working with
// people", "Making and fixing things", ...) and see every route that fits:
// careers, then college courses, apprenticeships and university courses in
// one list with the routes interleaved (as Search does with no words), the
// route chips sharing their row equally, so no route is favoured.
//
// What each interest means is a small table (interests_table.cpp) a careers
// adviser can review: the subject areas whose courses fit (the sample's names
// and the national feeds' names, which differ) and the career families, as
// SOC 2020 code prefixes, so it works on any job-profile feed.
// Thread safety: UI thread only; FindForInterests runs on the data worker.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/view.h"
#include "signpost/search.h"

namespace signpost::kiosk {

struct Interest {
  const char* key;                 // stable id, for tests and usage counts ("people")
  const char* label;               // what the chip says (tr_noop; translated when drawn)
  std::vector<const char*> areas;  // Opportunity::subject_area values whose courses fit
  std::vector<const char*> soc;    // SOC 2020 prefixes of the careers that fit ("213", "5241")
  const char* why;                 // for reviewers: why these (not shown)
};

// Every interest, in the order the chips show (interests_table.cpp).
const std::vector<Interest>& Interests();
const Interest* FindInterest(const std::string& key);
inline constexpr std::size_t kMaxInterests = 3;  // chosen at once

// What fits the chosen interests.
struct InterestMatches {
  std::vector<std::string> keys;  // the interests these answer
  std::uint8_t routes = 0;        // the route filter they answer (0 = all)
  std::uint64_t version = 0;      // data version
  bool failed = false;            // the catalogue could not be read
  // Careers: each interest's in turn, in the session's fair order.
  std::vector<std::pair<std::int64_t, std::string>> careers;  // row id, title
  std::int64_t total = 0;                                     // opportunities on the chosen routes
  std::array<std::int64_t, catalogue::kRouteCount> route_counts{};
  std::vector<catalogue::OpportunitySummary> rows;  // the first `rows.size()`, routes interleaved
};

// Worker side: careers and the first `rows` opportunities for `keys`.
InterestMatches FindForInterests(Backend& b, const std::vector<std::string>& keys,
                                 std::uint8_t routes, std::int64_t rows, std::uint64_t seed,
                                 const std::optional<catalogue::GeoPoint>& near);

}  // namespace signpost::kiosk
