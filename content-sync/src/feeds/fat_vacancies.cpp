// Find an apprenticeship: display advert API v2 (vacancy search) adapter.
//
// Format confirmed against the publisher's outer API source,
// SkillsFundingAgency/das-apim-endpoints (SFA.DAS.Vacancies.Api.Models):
//   GetVacanciesListResponseV2 (vacancies, total, totalFiltered, totalPages),
//   GetVacanciesListResponseItem / ...ItemV2 (closingDate, description,
//     employerName, hoursPerWeek, isNationalVacancy, numberOfPositions,
//     postedDate, providerName, startDate, title, ukprn, vacancyReference,
//     vacancyUrl, course, wage, location {lat, lon}, address, otherAddresses,
//     apprenticeshipLevel, expectedDuration, applicationUrl),
//   GetVacancyWageItem (wageType, wageAmount, wageUnit,
//     wageAdditionalInformation, workingWeekDescription),
//   GetVacancyCourseItem (larsCode, title, level, route, type),
//   GetVacancyAddressItem (addressLine1..4, postcode),
//   enums WageType {ApprenticeshipMinimum=2, NationalMinimum=3, Custom=4,
//     CompetitiveSalary=6}, WageUnit {Unspecified=1, Weekly=2, Monthly=3,
//     Annually=4} (accepted as names or numbers).
// Query parameters (PageNumber 1-based, PageSize, Sort) follow the
// vacancies search request of the same API family
// (SkillsFundingAgency/das-traineeships-api SearchVacancyRequest.cs).
//
// Request: GET <url>?PageNumber=N&PageSize=S&Sort=AgeDesc&<FeedSettings::query>
// with the subscription key and "X-Version: 2" headers set by the fetcher.
// Mapping: vacancy -> Opportunity kApprenticeshipVacancy (source_id
// vacancyReference, provider = the training provider "ukprn:<ukprn>",
// kTrainingProvider, added once per import), employer = employerName,
// location_name = the workplace town. wage_annual is
// worked out for Custom wages (Weekly x52, Monthly x12, Annually);
// minimum-wage types keep wage_annual 0 (it depends on the apprentice's age)
// and say so in wage_text. expires = closing date.
// Skipped: no vacancyReference, title, ukprn/providerName or closingDate;
// malformed dates; invalid UTF-8.
// Thread safety: one thread at a time (paging state).
#include <set>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"

namespace signpost::sync {
namespace {

using catalogue::Opportunity;
using feeds::JsonReader;
using nlohmann::json;

int LevelFromName(const std::string& s) {
  if (feeds::ContainsNoCase(s, "intermediate")) return 2;
  if (feeds::ContainsNoCase(s, "advanced")) return 3;
  if (feeds::ContainsNoCase(s, "higher")) return 4;
  if (feeds::ContainsNoCase(s, "degree")) return 6;
  return -1;
}

class FatVacanciesAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "fat-vacancies"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override { return RequestFor(feed, 0); }

  std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int page) const override {
    if (page + 1 >= total_pages_) return std::nullopt;
    return RequestFor(feed, page + 1);
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) providers_.clear();
    total_pages_ = 0;
    std::string error;
    std::optional<json> doc = feeds::ParseJsonPayload(payload, &error);
    if (!doc) return Status::InvalidArgument("fat-vacancies: " + error);
    const json* list = doc->is_object() ? JsonReader::Child(*doc, "vacancies") : nullptr;
    if (!list || !list->is_array()) {
      return Status::InvalidArgument(
          "fat-vacancies: the response has no \"vacancies\" array (not a vacancy search response)");
    }
    int index = 0;
    for (const json& v : *list) ParseVacancy(v, page, index++, out);
    JsonReader rd;
    total_pages_ = static_cast<int>(rd.Num(*doc, "totalPages").value_or(0));
    if (list->empty()) total_pages_ = 0;
    return Status::Ok();
  }

 private:
  static FeedRequest RequestFor(const FeedSettings& feed, int page) {
    FeedRequest req;
    const int size = feed.page_size > 0 ? feed.page_size : 100;
    std::string q = "PageNumber=" + std::to_string(page + 1) + "&PageSize=" + std::to_string(size);
    bool has_sort = false;
    for (const auto& [k, v] : feeds::ParseQueryPairs(feed.query)) {
      if (k.empty()) continue;
      has_sort = has_sort || feeds::EqualsNoCase(k, "Sort");
      q += "&" + feeds::UrlEncode(k) + "=" + feeds::UrlEncode(v);
    }
    if (!has_sort) q += "&Sort=AgeDesc";
    req.url = feeds::AppendQuery(feed.url, q);
    return req;
  }

  void ParseVacancy(const json& v, int page, int index, catalogue::FeedImport& out) {
    const std::string where =
        "fat-vacancies: page " + std::to_string(page) + " vacancy " + std::to_string(index);
    if (!v.is_object()) return out.Skip(where + ": not an object");
    JsonReader rd;
    Opportunity o;
    o.kind = catalogue::OpportunityKind::kApprenticeshipVacancy;
    o.route = catalogue::Route::kApprenticeship;
    o.mode = catalogue::StudyMode::kWorkBased;
    o.source_id = rd.Str(v, "vacancyReference");
    o.title = rd.Str(v, "title");
    const std::string ukprn = rd.Str(v, "ukprn");
    const std::string provider_name = rd.Str(v, "providerName");
    if (o.source_id.empty()) return out.Skip(where + ": missing vacancyReference");
    const std::string id = where + " (" + o.source_id + ")";
    if (o.title.empty()) return out.Skip(id + ": missing title");
    o.provider_id = feeds::ProviderIdForUkprn(ukprn);
    if (o.provider_id.empty() || provider_name.empty())
      return out.Skip(id + ": missing ukprn or providerName");
    const std::string closing = rd.Str(v, "closingDate");
    if (closing.empty()) return out.Skip(id + ": missing closingDate");
    o.closing = ParseIsoDate(closing);
    if (!o.closing) return out.Skip(id + ": malformed closingDate '" + closing + "'");
    o.expires = o.closing;
    const std::string start = rd.Str(v, "startDate");
    if (!start.empty()) {
      o.start = ParseIsoDate(start);
      if (!o.start) return out.Skip(id + ": malformed startDate '" + start + "'");
    }
    const std::string posted = rd.Str(v, "postedDate");
    if (!posted.empty()) o.updated = ParseIsoTimestamp(posted);

    o.description = feeds::HtmlToText(rd.Str(v, "description"));
    o.hours_per_week = rd.Num(v, "hoursPerWeek").value_or(0);
    if (o.hours_per_week < 0 || o.hours_per_week > 168) o.hours_per_week = 0;
    o.duration = rd.Str(v, "expectedDuration");
    o.duration_months = feeds::DurationMonthsFromText(o.duration);
    o.url = rd.Str(v, "vacancyUrl");
    if (o.url.empty()) o.url = rd.Str(v, "applicationUrl");
    o.level = LevelFromName(rd.Str(v, "apprenticeshipLevel"));
    if (const json* course = JsonReader::Child(v, "course")) {
      o.lars_code = rd.Str(*course, "larsCode");
      if (o.lars_code == "0") o.lars_code.clear();
      o.qualification = rd.Str(*course, "title");
      o.subject_area = rd.Str(*course, "route");
      if (auto lvl = rd.Num(*course, "level"); lvl && *lvl >= 1 && *lvl <= 8)
        o.level = static_cast<int>(*lvl);
    }
    std::string town;
    if (const json* a = JsonReader::Child(v, "address")) {
      std::vector<std::string> lines = {rd.Str(*a, "addressLine1"), rd.Str(*a, "addressLine2"),
                                        rd.Str(*a, "addressLine3"), rd.Str(*a, "addressLine4")};
      o.postcode = rd.Str(*a, "postcode");
      // Recruit addresses put the town in line 3 and the county in line 4.
      for (int i : {2, 3, 1}) {
        if (town.empty()) town = std::string(feeds::Trim(lines[static_cast<std::size_t>(i)]));
      }
    }
    o.employer = rd.Str(v, "employerName");
    o.location_name = town;
    if (const json* loc = JsonReader::Child(v, "location")) {
      auto lat = rd.Num(*loc, "lat");
      auto lon = rd.Num(*loc, "lon");
      if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180 &&
          !(*lat == 0 && *lon == 0)) {
        o.location = catalogue::GeoPoint{*lat, *lon};
      }
    }
    if (const json* w = JsonReader::Child(v, "wage")) Wage(rd, *w, o);
    if (rd.bad_utf8) return out.Skip(id + ": invalid UTF-8 in " + rd.bad_field);

    if (providers_.insert(o.provider_id).second) {
      catalogue::Provider p;
      p.id = o.provider_id;
      p.name = provider_name;
      p.ukprn = std::string(feeds::Trim(ukprn));
      p.kind = catalogue::ProviderKind::kTrainingProvider;
      (void)out.AddProvider(p);
    }
    (void)out.AddOpportunity(o);
  }

  static void Wage(JsonReader& rd, const json& w, Opportunity& o) {
    const std::string type = rd.Str(w, "wageType");
    const std::string unit = rd.Str(w, "wageUnit");
    const std::string extra = rd.Str(w, "wageAdditionalInformation");
    std::string text;
    if (feeds::EqualsNoCase(type, "Custom") || type == "4") {
      if (auto amount = rd.Num(w, "wageAmount"); amount && *amount > 0) {
        double per_year = 0;
        std::string per;
        if (feeds::EqualsNoCase(unit, "Weekly") || unit == "2") {
          per_year = *amount * 52, per = " a week";
        } else if (feeds::EqualsNoCase(unit, "Monthly") || unit == "3") {
          per_year = *amount * 12, per = " a month";
        } else {
          per_year = *amount,
          per = " a year";  // Annually / Unspecified: the API's wageAmount is annual
        }
        o.wage_annual = per_year;
        text = feeds::FormatPounds(*amount) + per;
      }
    } else if (feeds::EqualsNoCase(type, "NationalMinimum") || type == "3") {
      text = "National Minimum Wage";
    } else if (feeds::EqualsNoCase(type, "ApprenticeshipMinimum") || type == "2") {
      text = "National Minimum Wage for apprentices";
    } else if (feeds::EqualsNoCase(type, "CompetitiveSalary") || type == "6") {
      text = "Competitive salary";
    }
    o.wage_text = feeds::JoinNonEmpty({text, extra}, ". ");
  }

  std::set<std::string> providers_;  // provider ids staged in this import
  int total_pages_ = 0;              // from the last parsed page
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeFatVacanciesAdapter() {
  return std::make_unique<FatVacanciesAdapter>();
}

}  // namespace signpost::sync
