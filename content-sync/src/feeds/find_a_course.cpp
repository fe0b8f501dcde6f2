// Find a course (National Careers Service course directory) adapter.
//
// Format confirmed against the publisher's own source,
// SkillsFundingAgency/dfc-coursedirectory:
//   src/Dfc.CourseDirectory.FindACourseApi/Features/Search/Search.cs (request
//     Query: subjectKeyword, postcode, distance, qualificationLevels,
//     studyModes, deliveryModes, sortBy, limit (max 50), start),
//   .../Features/Search/SearchViewModel.cs (response: facets, results, total,
//     limit, start),
//   .../Features/Search/SearchResultViewModel.cs (result fields),
//   src/Dfc.CourseDirectory.Core/Search/Models/FindACourseOffering.cs
//     (FindACourseOfferingType Course=1, TLevel=2),
//   src/Dfc.CourseDirectory.Core/Models/CourseStudyMode.cs (FullTime=1,
//     PartTime=2, Flexible=3), CourseDeliveryMode.cs (ClassroomBased=1,
//     Online=2, WorkBased=3, BlendedLearning=4), CourseDurationUnit.cs
//     (Days=1, Weeks=2, Months=3, Years=4, Hours=5).
// JSON is camelCase; enums are written as names (StringEnumConverter in the
// API's Startup.cs) or numbers: both are accepted. venueStudyMode and
// deliveryMode are numbers in strings ("1").
//
// Request: POST <url> (the coursesearch endpoint) with a JSON body built from
// FeedSettings::query ("subjectKeyword=..&postcode=..&distance=..&
// qualificationLevels=3,4") plus limit/start paging.
// Mapping: each result -> Opportunity (kFeCourse, or kTLevel for
// offeringType TLevel; source_id courseRunId, or tLevelLocationId) and its
// provider -> Provider "ukprn:<ukprn>" (kind kOther: the search result does
// not say whether it is a college or a training provider), once per import.
// Skipped: no run id, no course name, no provider name/UKPRN, invalid UTF-8.
// Thread safety: one thread at a time (paging state).
#include <set>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"

namespace signpost::sync {
namespace {

using catalogue::Opportunity;
using catalogue::OpportunityKind;
using catalogue::StudyMode;
using feeds::JsonReader;
using nlohmann::json;

constexpr int kMaxLimit = 50;  // the API refuses limit > 50

int Limit(const FeedSettings& feed) {
  int n = feed.page_size > 0 ? feed.page_size : 20;
  return n > kMaxLimit ? kMaxLimit : n;
}

StudyMode ModeOf(const std::string& study, const std::string& delivery) {
  if (delivery == "2" || feeds::EqualsNoCase(delivery, "Online")) return StudyMode::kDistance;
  if (delivery == "3" || feeds::EqualsNoCase(delivery, "WorkBased")) return StudyMode::kWorkBased;
  if (study == "1" || feeds::EqualsNoCase(study, "FullTime")) return StudyMode::kFullTime;
  if (study == "2" || feeds::EqualsNoCase(study, "PartTime")) return StudyMode::kPartTime;
  if (study == "3" || feeds::EqualsNoCase(study, "Flexible")) return StudyMode::kFlexible;
  return StudyMode::kUnknown;
}

// "Days"/1 ... "Hours"/5 -> (words, months per unit).
void Duration(const std::string& unit, std::optional<double> value, Opportunity& o) {
  if (!value || *value <= 0 || *value > 1000) return;
  struct U {
    const char* name;
    const char* code;
    const char* word;
    double months;
  };
  static constexpr U kUnits[] = {{"Days", "1", "day", 1.0 / 30},
                                 {"Weeks", "2", "week", 12.0 / 52},
                                 {"Months", "3", "month", 1.0},
                                 {"Years", "4", "year", 12.0},
                                 {"Hours", "5", "hour", 0.0}};
  for (const U& u : kUnits) {
    if (feeds::EqualsNoCase(unit, u.name) || unit == u.code) {
      long long n = static_cast<long long>(*value);
      o.duration = std::to_string(n) + " " + u.word + (n == 1 ? "" : "s");
      int months = static_cast<int>(*value * u.months + 0.5);
      o.duration_months = u.months > 0 && months < 1 ? 1 : months;
      return;
    }
  }
}

int LevelOf(const std::string& q) {
  if (q.empty()) return -1;
  if (feeds::EqualsNoCase(q, "E") || feeds::EqualsNoCase(q, "Entry")) return 0;
  std::optional<long long> n = feeds::ToInt(q);
  if (n && *n >= 0 && *n <= 8) return static_cast<int>(*n);
  return -1;
}

class FindACourseAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "find-a-course"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override { return RequestFor(feed, 0); }

  std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int page) const override {
    if (!more_) return std::nullopt;
    return RequestFor(feed, page + 1);
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) providers_.clear();
    more_ = false;
    std::string error;
    std::optional<json> doc = feeds::ParseJsonPayload(payload, &error);
    if (!doc) return Status::InvalidArgument("find-a-course: " + error);
    const json* results = doc->is_object() ? JsonReader::Child(*doc, "results") : nullptr;
    if (!results || !results->is_array()) {
      return Status::InvalidArgument(
          "find-a-course: the response has no \"results\" array (not a course search response)");
    }
    int index = 0;
    for (const json& r : *results) {
      ParseResult(r, page, index++, out);
    }
    JsonReader rd;
    const double total = rd.Num(*doc, "total").value_or(0);
    const double start = rd.Num(*doc, "start").value_or(0);
    const double limit = rd.Num(*doc, "limit").value_or(static_cast<double>(results->size()));
    more_ = !results->empty() && start + limit < total;
    return Status::Ok();
  }

 private:
  FeedRequest RequestFor(const FeedSettings& feed, int page) const {
    json body = json::object();
    for (const auto& [k, v] : feeds::ParseQueryPairs(feed.query)) {
      if (k == "qualificationLevels" || k == "studyModes" || k == "deliveryModes" ||
          k == "attendancePatterns") {
        json list = json::array();
        std::string_view rest = v;
        while (!rest.empty()) {
          std::size_t c = rest.find(',');
          std::string_view item = feeds::Trim(rest.substr(0, c));
          rest = c == std::string_view::npos ? std::string_view() : rest.substr(c + 1);
          if (item.empty()) continue;
          if (k == "qualificationLevels") {
            list.push_back(std::string(item));
          } else if (auto n = feeds::ToInt(item)) {
            list.push_back(*n);
          }
        }
        body[k] = list;
      } else if (k == "distance") {
        if (auto d = feeds::ToDouble(v)) body[k] = *d;
      } else if (!k.empty()) {
        body[k] = v;
      }
    }
    const int limit = Limit(feed);
    body["limit"] = limit;
    body["start"] = page * limit;
    FeedRequest req;
    req.method = "POST";
    req.url = feed.url;
    req.content_type = "application/json";
    req.body = body.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
    return req;
  }

  void ParseResult(const json& r, int page, int index, catalogue::FeedImport& out) {
    const std::string where =
        "find-a-course: page " + std::to_string(page) + " result " + std::to_string(index);
    if (!r.is_object()) {
      out.Skip(where + ": not an object");
      return;
    }
    JsonReader rd;
    Opportunity o;
    const std::string offering = rd.Str(r, "offeringType");
    const bool tlevel = feeds::EqualsNoCase(offering, "TLevel") || offering == "2";
    o.kind = tlevel ? OpportunityKind::kTLevel : OpportunityKind::kFeCourse;
    o.route = catalogue::RouteOfKind(o.kind);
    o.source_id = tlevel ? rd.Str(r, "tLevelLocationId") : rd.Str(r, "courseRunId");
    if (o.source_id.empty()) o.source_id = rd.Str(r, "courseRunId");
    o.title = rd.Str(r, "courseName");
    if (o.title.empty()) o.title = feeds::HtmlToText(rd.Str(r, "qualificationCourseTitle"));
    const std::string ukprn = rd.Str(r, "ukprn");
    const std::string provider_name = rd.Str(r, "providerName");
    if (o.source_id.empty()) return out.Skip(where + ": missing courseRunId");
    if (o.title.empty()) return out.Skip(where + " (" + o.source_id + "): missing courseName");
    if (provider_name.empty() || feeds::ProviderIdForUkprn(ukprn).empty()) {
      return out.Skip(where + " (" + o.source_id + "): missing providerName or ukprn");
    }
    o.provider_id = feeds::ProviderIdForUkprn(ukprn);
    o.level = tlevel ? 3 : LevelOf(rd.Str(r, "qualificationLevel"));
    o.qualification = feeds::HtmlToText(rd.Str(r, "qualificationCourseTitle"));
    o.subject_area = rd.Str(r, "sectorDescription");
    o.mode = ModeOf(rd.Str(r, "venueStudyMode"), rd.Str(r, "deliveryMode"));
    Duration(rd.Str(r, "durationUnit"), rd.Num(r, "durationValue"), o);
    const std::string start = rd.Str(r, "startDate");
    o.flexible_start = rd.Bool(r, "flexibleStartDate").value_or(false);
    if (!start.empty()) {
      o.start = ParseIsoDate(start);
      if (!o.start)
        return out.Skip(where + " (" + o.source_id + "): malformed startDate '" + start + "'");
    }
    o.location_name = feeds::HtmlToText(rd.Str(r, "venueName"));
    const std::string town = feeds::HtmlToText(rd.Str(r, "venueTown"));
    if (o.location_name.empty()) o.location_name = town;
    const std::string address = feeds::HtmlToText(rd.Str(r, "venueAddress"));
    o.postcode = rd.Str(r, "venuePostcode");
    if (o.postcode.empty()) o.postcode = feeds::PostcodeFromAddress(address);
    if (const json* loc = JsonReader::Child(r, "venueLocation")) {
      auto lat = rd.Num(*loc, "latitude");
      auto lon = rd.Num(*loc, "longitude");
      if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180) {
        o.location = catalogue::GeoPoint{*lat, *lon};
      }
    }
    o.description = feeds::HtmlToText(rd.Str(r, "courseDescription"));
    if (auto cost = rd.Num(r, "cost"); cost && *cost > 0) o.cost_text = feeds::FormatPounds(*cost);
    const std::string cost_desc = feeds::HtmlToText(rd.Str(r, "costDescription"));
    o.cost_text = feeds::JoinNonEmpty({o.cost_text, cost_desc}, " - ");
    o.url = rd.Str(r, "courseUrl");
    o.lars_code = rd.Str(r, "learnAimRef");
    const std::string updated = rd.Str(r, "updatedOn");
    if (!updated.empty()) o.updated = ParseIsoTimestamp(updated);
    if (rd.bad_utf8)
      return out.Skip(where + " (" + o.source_id + "): invalid UTF-8 in " + rd.bad_field);

    if (providers_.insert(o.provider_id).second) {
      catalogue::Provider p;
      p.id = o.provider_id;
      p.name = provider_name;
      p.ukprn = std::string(feeds::Trim(ukprn));
      p.kind = catalogue::ProviderKind::kOther;
      p.town = town;
      (void)out.AddProvider(p);  // a refusal is counted by the import
    }
    (void)out.AddOpportunity(o);
  }

  std::set<std::string> providers_;  // provider ids staged in this import
  bool more_ = false;                // the last page said more results follow
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeFindACourseAdapter() {
  return std::make_unique<FindACourseAdapter>();
}

}  // namespace signpost::sync
