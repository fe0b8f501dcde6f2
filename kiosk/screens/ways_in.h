// "Ways in" (ways_in.cpp): every route the catalogue holds into one career,
// for one route at a time (college and sixth form, apprenticeship,
// university). Built from the career's own links, never a text search for
// its title:
//   - opportunities that lead to it (its SOC code);
//   - a step on the way: opportunities leading to its related careers
//     ("you could start as a laboratory technician");
//   - when a route still has nothing, the same subject area on that route
//     (from the subject links table), said as such.
// Each group is fairly ordered: whole miles from the visitor, then the
// session's shuffle, so no provider is favoured.
//
// The career screen asks this view for its counts (Load()), so the data is
// ready when the student taps a route.
// Thread safety: UI thread only; FindWaysIn runs on the data worker.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/view.h"
#include "signpost/search.h"

namespace signpost::kiosk {

// The career screen's three ways in, in its order.
enum class WayIn : std::uint8_t { kCollege = 0, kApprenticeship = 1, kUniversity = 2 };
inline constexpr int kWayInCount = 3;
WayIn WayInOf(catalogue::Route r);  // FE and T Levels are college
std::uint8_t RoutesOf(WayIn w);     // 1 << Route bits for Search
const char* WayInName(WayIn w);     // translated "College", ...

struct WayInGroup {
  enum class Why : std::uint8_t { kLeadsThere, kStepOnTheWay, kSameSubject };
  Why why = Why::kLeadsThere;
  std::string about;  // kStepOnTheWay: the related career; kSameSubject: the subject area
  std::vector<catalogue::OpportunitySummary> rows;
};

struct WaysIn {
  std::int64_t career = 0;  // row id
  bool missing = false;     // the career is no longer listed
  std::string title;
  std::array<std::string, kWayInCount> entry;  // the career's own words for each way in
  std::string subject_area;                    // the career's area, "" = none known
  std::array<std::vector<WayInGroup>, kWayInCount> groups;
  std::array<std::int64_t, kWayInCount> count{};  // rows over all groups
};

// Worker side: everything above for one career.
WaysIn FindWaysIn(Backend& b, std::int64_t career, std::uint64_t seed,
                  const std::optional<catalogue::GeoPoint>& near);

class WaysInScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override;

  // The ways into a career (fetched once per career and data version); null
  // while loading.
  const WaysIn* Load(App& app, std::int64_t career);
  // Opens the screen for a career on one way in.
  static void Open(App& app, std::int64_t career, WayIn way);

 private:
  WaysIn ways_;
  std::uint64_t version_ = 0;
  bool loading_ = false;
  bool loaded_ = false;
  WayIn tab_ = WayIn::kCollege;
  bool scroll_top_ = false;
};

}  // namespace signpost::kiosk
