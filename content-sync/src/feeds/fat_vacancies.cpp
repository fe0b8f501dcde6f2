// Find an apprenticeship: Display Advert API v2 (vacancy search) adapter.
//
// Format confirmed against the publisher's source,
// SkillsFundingAgency/das-apim-endpoints src/Vacancies/SFA.DAS.Vacancies.Api
// (commit b6b2b064e, 2026-08-21; ../shared/feeds/FORMATS.md section 2):
//   Controllers/v2/VacancyController.cs, versioned by the "X-Version" header
//     (no header = the deprecated v1, so this adapter always sends
//     "X-Version: 2" itself);
//   Models/GetVacanciesListResponseV2 {vacancies[], total, totalFiltered,
//     totalPages}; each item (GetVacanciesListResponseItemV2, this shape
//     since 2025-07-08): title, description, numberOfPositions, postedDate,
//     closingDate, startDate, wage {wageType, wageAmount, wageUnit,
//     wageAdditionalInformation, workingWeekDescription}, hoursPerWeek,
//     expectedDuration, addresses[] {addressLine1..4, postcode, latitude,
//     longitude}, applicationUrl, employerName, course {larsCode, title,
//     level, route, type}, apprenticeshipLevel, providerName, ukprn,
//     vacancyUrl, vacancyReference, isNationalVacancy,
//     isNationalVacancyDetails. System.Text.Json camelCase, enums as names
//     (a value outside the enum as a number), null fields omitted.
//   WageType names seen across the DAS code: ApprenticeshipMinimum /
//     NationalMinimumWageForApprentices (2), NationalMinimum /
//     NationalMinimumWage (3), Custom / FixedWage (4), CustomRange (5),
//     CompetitiveSalary (6), ToBeAgreedUponAppointment (7), Unwaged (8);
//     WageUnit Unspecified 1, Weekly 2, Monthly 3, Annually 4. "If wageType
//     is Custom, wageAmount will be the set annual wage": a fixed wage is
//     always read as annual, whatever wageUnit says.
// v1 fallback (kept, tested): an item with no addresses[] but the v1
// address {addressLine1..4, postcode}, otherAddresses[] and location
// {lat, lon}. No real v2 response body has been published; the fixtures
// are built from the source's models (not confirmed against a capture).
//
// Request: GET <url>?PageNumber=N&PageSize=S&Sort=AgeDesc&<FeedSettings::query>
// with "X-Version: 2"; paging by totalPages (saturated to an int).
// Mapping: a vacancy -> one Opportunity kApprenticeshipVacancy per workplace
// in addresses[] (at most kMaxSites), so a vacancy at several sites is
// findable near each: the first keeps source_id = vacancyReference, the
// others "<vacancyReference>/2", "/3"...; each names the others in its
// description. isNationalVacancy with no address: one record whose location
// is "Anywhere in England". Provider = the training provider "ukprn:<ukprn>"
// (kTrainingProvider, once per import); employer = employerName;
// location_name = the workplace town. wage_annual for fixed wages only
// (minimum-wage types depend on the apprentice's age: said in wage_text).
// expires = closing date.
// Skipped: no vacancyReference, title, ukprn/providerName or closingDate;
// malformed dates; invalid UTF-8.
// Thread safety: one thread at a time (paging state).
#include <set>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"
#include "feeds/json_stream.h"

namespace signpost::sync {
namespace {

using catalogue::Opportunity;
using feeds::JsonReader;
using nlohmann::json;

constexpr std::size_t kMaxSites = 50;  // workplaces kept per vacancy
constexpr const char* kNational = "Anywhere in England";

int LevelFromName(const std::string& s) {
  if (feeds::ContainsNoCase(s, "intermediate")) return 2;
  if (feeds::ContainsNoCase(s, "advanced")) return 3;
  if (feeds::ContainsNoCase(s, "higher")) return 4;
  if (feeds::ContainsNoCase(s, "degree")) return 6;
  return -1;
}

bool IsOneOf(const std::string& v, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (feeds::EqualsNoCase(v, n)) return true;
  }
  return false;
}

struct Site {
  std::string lines[4];
  std::string postcode;
  std::optional<catalogue::GeoPoint> point;
  std::string Town() const {
    // Recruit addresses put the town in line 3 and the county in line 4.
    for (int i : {2, 3, 1}) {
      std::string_view t = feeds::Trim(lines[i]);
      if (!t.empty()) return std::string(t);
    }
    return {};
  }
  std::string Key() const { return postcode + "|" + lines[0] + "|" + lines[1]; }
};

std::optional<catalogue::GeoPoint> Point(std::optional<double> lat, std::optional<double> lon) {
  if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180 &&
      !(*lat == 0 && *lon == 0)) {
    return catalogue::GeoPoint{*lat, *lon};
  }
  return std::nullopt;
}

Site ReadSite(JsonReader& rd, const json& a) {
  Site s;
  for (int i = 0; i < 4; ++i) {
    s.lines[i] = feeds::DecodeHtmlEntities(rd.Str(a, "addressLine" + std::to_string(i + 1)));
  }
  s.postcode = std::string(feeds::Trim(rd.Str(a, "postcode")));
  s.point = Point(rd.Num(a, "latitude"), rd.Num(a, "longitude"));
  return s;
}

class FatVacanciesAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "fat-vacancies"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override { return RequestFor(feed, 0); }

  std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int page) const override {
    if (page + 1 >= total_pages_) return std::nullopt;
    return RequestFor(feed, page + 1);
  }

  std::vector<KeyField> KeyFields() const override {
    const std::string what = "vacancies";
    const std::string version = "has the API version changed? (this adapter reads v2 addresses[])";
    KeyField located{"a location (postcode, map point or anywhere in England)", what, 0.5, version};
    located.opportunity = [](const Opportunity& o) {
      return !o.postcode.empty() || o.location.has_value() || o.location_name == kNational;
    };
    KeyField link{"a link to the advert", what, 0.5, "have the vacancy URL fields changed?"};
    link.opportunity = [](const Opportunity& o) { return !o.url.empty(); };
    KeyField wage{"a wage", what, 0.5, "have the wage fields changed?"};
    wage.opportunity = [](const Opportunity& o) { return !o.wage_text.empty(); };
    KeyField level{"a level", what, 0.5, "has the course block changed?"};
    level.opportunity = [](const Opportunity& o) { return o.level >= 0; };
    return {located, link, wage, level};
  }

  Status ParsePayload(const Payload& payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) providers_.clear();
    total_pages_ = 0;
    feeds::JsonEnvelope envelope;
    Status s = feeds::StreamJsonRecords(
        payload, {false, {"vacancies"}},
        [&](std::int64_t index, const json& v) { ParseVacancy(v, page, index, out); }, &envelope);
    if (!s.ok()) return Status::InvalidArgument("fat-vacancies: " + s.message());
    if (!envelope.found_records) {
      return Status::InvalidArgument(
          "fat-vacancies: the response has no \"vacancies\" array (not a vacancy search response)");
    }
    JsonReader rd;
    // totalPages may be anything a server sends (1e10, -1): saturate, never cast.
    total_pages_ = feeds::ClampInt(rd.Num(envelope.scalars, "totalPages").value_or(0), 0,
                                   std::numeric_limits<int>::max());
    if (envelope.records == 0) total_pages_ = 0;
    return Status::Ok();
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    return ParsePayload(Payload::Borrow(payload), page, out);
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
    req.headers = {{"X-Version", "2"}};  // no header = the deprecated v1
    return req;
  }

  // The workplaces of a vacancy: v2 addresses[], else v1 address +
  // otherAddresses (with v1 location for the first).
  static std::vector<Site> Sites(JsonReader& rd, const json& v) {
    std::vector<Site> sites;
    std::set<std::string> seen;
    auto add = [&](Site s) {
      if (sites.size() < kMaxSites && seen.insert(s.Key()).second) sites.push_back(std::move(s));
    };
    if (const json* list = JsonReader::Child(v, "addresses"); list && list->is_array()) {
      for (const json& a : *list) {
        if (a.is_object()) add(ReadSite(rd, a));
      }
      return sites;
    }
    if (const json* a = JsonReader::Child(v, "address"); a && a->is_object()) {
      Site first = ReadSite(rd, *a);
      if (const json* loc = JsonReader::Child(v, "location"))
        first.point = Point(rd.Num(*loc, "lat"), rd.Num(*loc, "lon"));
      add(std::move(first));
    }
    if (const json* others = JsonReader::Child(v, "otherAddresses"); others && others->is_array()) {
      for (const json& a : *others) {
        if (a.is_object()) add(ReadSite(rd, a));
      }
    }
    return sites;
  }

  void ParseVacancy(const json& v, int page, std::int64_t index, catalogue::FeedImport& out) {
    const std::string where =
        "fat-vacancies: page " + std::to_string(page) + " vacancy " + std::to_string(index);
    if (!v.is_object()) return out.Skip(where + ": not an object");
    JsonReader rd;
    Opportunity o;
    o.kind = catalogue::OpportunityKind::kApprenticeshipVacancy;
    o.route = catalogue::Route::kApprenticeship;
    o.mode = catalogue::StudyMode::kWorkBased;
    o.source_id = std::string(feeds::Trim(rd.Str(v, "vacancyReference")));
    o.title = feeds::DecodeHtmlEntities(rd.Str(v, "title"));
    const std::string ukprn = rd.Str(v, "ukprn");
    const std::string provider_name = feeds::DecodeHtmlEntities(rd.Str(v, "providerName"));
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
    if (!posted.empty()) {
      o.updated = ParseIsoTimestamp(posted);
      o.posted = ParseIsoDate(posted);  // the date part, as for closingDate: the "New" tag
    }

    o.description = feeds::HtmlToText(rd.Str(v, "description"));
    if (auto h = rd.Num(v, "hoursPerWeek"); h && *h > 0 && *h <= 168) o.hours_per_week = *h;
    o.duration = feeds::DecodeHtmlEntities(rd.Str(v, "expectedDuration"));
    o.duration_months = feeds::DurationMonthsFromText(o.duration);
    o.url = rd.Str(v, "vacancyUrl");
    if (o.url.empty()) o.url = rd.Str(v, "applicationUrl");
    o.level = LevelFromName(rd.Str(v, "apprenticeshipLevel"));
    if (const json* course = JsonReader::Child(v, "course")) {
      o.lars_code = rd.Str(*course, "larsCode");
      if (o.lars_code == "0") o.lars_code.clear();
      o.qualification = feeds::DecodeHtmlEntities(rd.Str(*course, "title"));
      o.subject_area = feeds::DecodeHtmlEntities(rd.Str(*course, "route"));
      if (auto lvl = rd.Num(*course, "level"); lvl && *lvl >= 1 && *lvl <= 8)
        o.level = feeds::ClampInt(*lvl, 1, 8);
    }
    o.employer = feeds::DecodeHtmlEntities(rd.Str(v, "employerName"));
    std::string working_week;
    if (const json* w = JsonReader::Child(v, "wage")) {
      Wage(rd, *w, o);
      working_week = feeds::DecodeHtmlEntities(rd.Str(*w, "workingWeekDescription"));
    }
    if (!working_week.empty()) {
      o.description = feeds::JoinNonEmpty({o.description, "Working week: " + working_week}, "\n");
    }
    const bool national = rd.Bool(v, "isNationalVacancy").value_or(false);
    std::vector<Site> sites = Sites(rd, v);
    if (rd.bad_utf8) return out.Skip(id + ": invalid UTF-8 in " + rd.bad_field);

    if (providers_.insert(o.provider_id).second) {
      catalogue::Provider p;
      p.id = o.provider_id;
      p.name = provider_name;
      p.ukprn = std::string(feeds::Trim(ukprn));
      p.kind = catalogue::ProviderKind::kTrainingProvider;
      (void)out.AddProvider(p);
    }
    if (national && sites.empty()) {
      o.location_name = kNational;
      const std::string details = feeds::HtmlToText(rd.Str(v, "isNationalVacancyDetails"));
      o.description = feeds::JoinNonEmpty(
          {o.description, "Recruiting nationally" + (details.empty() ? "." : ": " + details)},
          "\n");
      (void)out.AddOpportunity(o);
      return;
    }
    if (sites.empty()) {
      (void)out.AddOpportunity(o);  // counted as unlocated by the key fields
      return;
    }
    std::string elsewhere;
    if (sites.size() > 1) {
      std::vector<std::string> towns;
      for (const Site& s : sites) towns.push_back(s.Town().empty() ? s.postcode : s.Town());
      elsewhere = "This vacancy is at " + std::to_string(sites.size()) +
                  " workplaces: " + feeds::JoinNonEmpty(towns, ", ") + ".";
    }
    const std::string base_id = o.source_id;
    const std::string base_description = o.description;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      const Site& s = sites[i];
      o.source_id = i == 0 ? base_id : base_id + "/" + std::to_string(i + 1);
      o.location_name = s.Town();
      o.postcode = s.postcode;
      o.location = s.point;
      o.description = feeds::JoinNonEmpty({base_description, elsewhere}, "\n");
      (void)out.AddOpportunity(o);
    }
  }

  static void Wage(JsonReader& rd, const json& w, Opportunity& o) {
    const std::string type = rd.Str(w, "wageType");
    const std::string extra = feeds::HtmlToText(rd.Str(w, "wageAdditionalInformation"));
    std::string text;
    if (IsOneOf(type, {"Custom", "FixedWage", "4", "CustomRange", "5"})) {
      // "If wageType is Custom, wageAmount will be the set annual wage."
      if (auto amount = rd.Num(w, "wageAmount"); amount && *amount > 0 && *amount < 1e7) {
        o.wage_annual = *amount;
        text = feeds::FormatPounds(*amount) + " a year";
      }
    } else if (IsOneOf(type, {"NationalMinimum", "NationalMinimumWage", "3"})) {
      text = "National Minimum Wage";
    } else if (IsOneOf(type, {"ApprenticeshipMinimum", "NationalMinimumWageForApprentices", "2"})) {
      text = "National Minimum Wage for apprentices";
    } else if (IsOneOf(type, {"CompetitiveSalary", "6"})) {
      text = "Competitive salary";
    } else if (IsOneOf(type, {"ToBeAgreedUponAppointment", "7"})) {
      text = "Wage to be agreed when appointed";
    } else if (IsOneOf(type, {"Unwaged", "8"})) {
      text = "Unwaged";
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
