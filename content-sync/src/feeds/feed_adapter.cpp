// MakeFeedAdapter / FeedAdapterKinds: the registry of adapter kinds.
#include "feeds/feed_adapter.h"

#include "feeds/adapters.h"

namespace signpost::sync {

namespace {
struct KindEntry {
  std::string_view kind;
  std::unique_ptr<FeedAdapter> (*make)();
};
std::unique_ptr<FeedAdapter> MakeIcalendarDefault() { return MakeIcalendarAdapter(); }

constexpr KindEntry kKinds[] = {
    {"find-a-course", &MakeFindACourseAdapter},  {"fat-vacancies", &MakeFatVacanciesAdapter},
    {"standards", &MakeStandardsAdapter},        {"job-profiles", &MakeJobProfilesAdapter},
    {"lmi-for-all", &MakeLmiForAllAdapter},      {"discover-uni", &MakeDiscoverUniAdapter},
    {"open-referral", &MakeOpenReferralAdapter}, {"icalendar", &MakeIcalendarDefault},
};
}  // namespace

std::unique_ptr<FeedAdapter> MakeFeedAdapter(std::string_view kind) {
  for (const KindEntry& e : kKinds) {
    if (e.kind == kind) return e.make();
  }
  return nullptr;
}

std::vector<std::string> FeedAdapterKinds() {
  std::vector<std::string> out;
  for (const KindEntry& e : kKinds) out.emplace_back(e.kind);
  return out;
}

}  // namespace signpost::sync
