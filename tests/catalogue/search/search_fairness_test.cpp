// Impartiality at the first keystroke: over 1,000 sessions and a set of
// queries that several routes answer, every route that matches is on the
// first screen in every session, and routes that tie on relevance lead
// (come first) equally often, within +-20%.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "search_test_util.h"

namespace signpost::catalogue {
namespace {

using testing::SampleCatalogue;

constexpr int kSessions = 1000;

const std::vector<std::string>& MultiRouteQueries() {
  static const std::vector<std::string> kQueries = {
      "nurse",        "nursing",     "engineering", "engineer",       "care",     "degree",
      "construction", "business",    "law",         "digital",        "health",   "science",
      "accounting",   "media",       "sport",       "computing",      "plumbing", "electrical",
      "early years",  "teaching",    "hair",        "animal",         "software", "design",
      "physio",       "social work", "uni",         "apprenticeship", "a levels", "t levels"};
  return kQueries;
}

TEST(SearchFairnessTest, EveryMatchingRouteIsOnTheFirstScreenInEverySession) {
  SearchEngine& engine = SampleCatalogue::Get().engine();
  for (const std::string& q : MultiRouteQueries()) {
    SCOPED_TRACE(q);
    int missing = 0;
    for (int s = 1; s <= kSessions; ++s) {
      auto r = engine.Search({.text = q,
                              .origin = SampleCatalogue::Get().origin(),
                              .session_seed = static_cast<std::uint64_t>(s)});
      ASSERT_TRUE(r.ok());
      std::uint8_t shown = 0;
      for (const ResultBlock& b : r->first_screen()) {
        if (b.kind == ResultKind::kOpportunity && !b.rowids.empty()) {
          shown |= static_cast<std::uint8_t>(1u << static_cast<int>(b.route));
        }
      }
      for (Route route : kAllRoutes) {
        if (r->facets().route[static_cast<int>(route)] > 0 &&
            !(shown >> static_cast<int>(route) & 1)) {
          ++missing;
        }
      }
    }
    EXPECT_EQ(missing, 0) << "a matching route was missing from the first screen";
  }
}

TEST(SearchFairnessTest, RoutesThatTieLeadEquallyOftenWithinTwentyPercent) {
  SearchEngine& engine = SampleCatalogue::Get().engine();
  int tied_queries = 0;
  for (const std::string& q : MultiRouteQueries()) {
    SCOPED_TRACE(q);
    std::map<Route, int> leads;
    std::set<Route> tied;  // the routes whose first-screen group matched best
    for (int s = 1; s <= kSessions; ++s) {
      auto r = engine.Search({.text = q,
                              .origin = SampleCatalogue::Get().origin(),
                              .session_seed = static_cast<std::uint64_t>(s)});
      ASSERT_TRUE(r.ok());
      int best = 99;
      std::set<Route> at_best;
      const ResultBlock* lead = nullptr;
      for (const ResultBlock& b : r->first_screen()) {
        if (b.kind != ResultKind::kOpportunity) continue;
        if (!lead) lead = &b;
        if (b.tier < best) {
          best = b.tier;
          at_best.clear();
        }
        if (b.tier == best) at_best.insert(b.route);
      }
      if (!lead) break;
      if (s == 1) tied = at_best;
      ASSERT_EQ(at_best, tied) << "which routes tie must not depend on the session";
      ASSERT_EQ(lead->tier, best) << "a route that matched worse led";
      leads[lead->route]++;
    }
    if (tied.size() < 2) continue;
    ++tied_queries;
    const double fair = static_cast<double>(kSessions) / static_cast<double>(tied.size());
    for (Route route : tied) {
      EXPECT_GE(leads[route], 0.8 * fair) << RouteKey(route) << " led too rarely";
      EXPECT_LE(leads[route], 1.2 * fair) << RouteKey(route) << " led too often";
    }
  }
  EXPECT_GE(tied_queries, 10) << "the query set should hold queries where routes tie";
}

}  // namespace
}  // namespace signpost::catalogue
