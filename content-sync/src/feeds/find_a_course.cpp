// Find a course (National Careers Service course directory) adapter.
//
// Format confirmed against the publisher's own source,
// SkillsFundingAgency/dfc-coursedirectory at commit 1e27eb266
// (../shared/feeds/FORMATS.md section 1): Dfc.CourseDirectory.FindACourseApi/
//   Features/Search/Search.cs (request Query: subjectKeyword, postcode,
//     distance, qualificationLevels, studyModes, deliveryModes, sortBy,
//     limit (max 50), start),
//   Features/Search/SearchViewModel.cs (response: facets, results, total,
//     limit, start), Features/Search/SearchResultViewModel.cs (fields),
//   Core FindACourseOfferingType (Course=1, TLevel=2), CourseStudyMode
//     (FullTime=1, PartTime=2, Flexible=3), CourseDeliveryMode
//     (ClassroomBased=1, Online=2, WorkBased=3, BlendedLearning=4),
//     CourseDurationUnit (Days=1, Weeks=2, Months=3, Years=4, Hours=5,
//     Minutes=6).
// JSON is camelCase; enums are names (StringEnumConverter) or numbers: both
// accepted. Text fields are HTML-encoded by System.Net.WebUtility.HtmlEncode
// (characters 160-255 as "&#NNN;", CR LF as "&#xD;&#xA;", "&#x2013;"): every
// text field is decoded (feeds::DecodeHtmlEntities / HtmlToText).
// Search results carry no course URL: each course links to its public page
// on the National Careers Service site, built as the publisher's own
// clients build it (SkillsFundingAgency dfc-app-* "find-a-course/
// course-details?CourseId={courseId}&r={courseRunId}", T Levels
// "find-a-course/tdetails?tlevelId=..&tlevelLocationId=.."). Whether that
// host changes with the service's 2026 rename is not confirmed.
//
// Request: POST <url> (the search endpoint) with a JSON body built from
// FeedSettings::query ("subjectKeyword=..&postcode=..&distance=..&
// qualificationLevels=3,4") plus limit/start paging; results are streamed.
// Mapping: each result -> Opportunity (kFeCourse, or kTLevel for
// offeringType TLevel; source_id courseRunId, or tLevelLocationId) and its
// provider -> Provider "ukprn:<ukprn>" (kind kOther: the search result does
// not say whether it is a college or a training provider), once per import.
// Skipped: no run id, no course name, no provider name/UKPRN, invalid UTF-8.
// Thread safety: one thread at a time (paging state).
#include <set>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"
#include "feeds/json_stream.h"

namespace signpost::sync {
namespace {

using catalogue::Opportunity;
using catalogue::OpportunityKind;
using catalogue::StudyMode;
using feeds::JsonReader;
using nlohmann::json;

constexpr int kMaxLimit = 50;  // the API refuses limit > 50
constexpr const char* kCoursePages = "https://nationalcareers.service.gov.uk/find-a-course/";

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
  static constexpr U kUnits[] = {{"Days", "1", "day", 1.0 / 30}, {"Weeks", "2", "week", 12.0 / 52},
                                 {"Months", "3", "month", 1.0},  {"Years", "4", "year", 12.0},
                                 {"Hours", "5", "hour", 0.0},    {"Minutes", "6", "minute", 0.0}};
  for (const U& u : kUnits) {
    if (feeds::EqualsNoCase(unit, u.name) || unit == u.code) {
      const int n = feeds::ClampInt(*value, 0, 1000);
      o.duration = std::to_string(n) + " " + u.word + (n == 1 ? "" : "s");
      const int months = feeds::ClampInt(*value * u.months + 0.5, 0, 1000);
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

  std::vector<KeyField> KeyFields() const override {
    const std::string what = "courses";
    KeyField link{"a link to the course page", what, 0.8, "have courseId/courseRunId changed?"};
    link.opportunity = [](const Opportunity& o) { return !o.url.empty(); };
    KeyField venue{"a venue postcode or map point", what, 0.3,
                   "have venueAddress/venueLocation changed? (online courses have none)"};
    venue.opportunity = [](const Opportunity& o) {
      return !o.postcode.empty() || o.location.has_value();
    };
    KeyField start{"a start date (or flexible start)", what, 0.5,
                   "have startDate/flexibleStartDate changed?"};
    start.opportunity = [](const Opportunity& o) {
      return o.start.has_value() || o.flexible_start;
    };
    KeyField level{"a level", what, 0.5, "has qualificationLevel changed?"};
    level.opportunity = [](const Opportunity& o) { return o.level >= 0; };
    return {link, venue, start, level};
  }

  Status ParsePayload(const Payload& payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) providers_.clear();
    more_ = false;
    feeds::JsonEnvelope envelope;
    Status s = feeds::StreamJsonRecords(
        payload, {false, {"results"}},
        [&](std::int64_t index, const json& r) { ParseResult(r, page, index, out); }, &envelope);
    if (!s.ok()) return Status::InvalidArgument("find-a-course: " + s.message());
    if (!envelope.found_records) {
      return Status::InvalidArgument(
          "find-a-course: the response has no \"results\" array (not a course search response)");
    }
    JsonReader rd;
    const double total = rd.Num(envelope.scalars, "total").value_or(0);
    const double start = rd.Num(envelope.scalars, "start").value_or(0);
    const double limit =
        rd.Num(envelope.scalars, "limit").value_or(static_cast<double>(envelope.records));
    more_ = envelope.records > 0 && start + limit < total;
    return Status::Ok();
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    return ParsePayload(Payload::Borrow(payload), page, out);
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

  void ParseResult(const json& r, int page, std::int64_t index, catalogue::FeedImport& out) {
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
    o.title = feeds::HtmlToText(rd.Str(r, "courseName"));
    if (o.title.empty()) o.title = feeds::HtmlToText(rd.Str(r, "qualificationCourseTitle"));
    const std::string ukprn = rd.Str(r, "ukprn");
    const std::string provider_name = feeds::HtmlToText(rd.Str(r, "providerName"));
    if (o.source_id.empty()) return out.Skip(where + ": missing courseRunId");
    if (o.title.empty()) return out.Skip(where + " (" + o.source_id + "): missing courseName");
    if (provider_name.empty() || feeds::ProviderIdForUkprn(ukprn).empty()) {
      return out.Skip(where + " (" + o.source_id + "): missing providerName or ukprn");
    }
    o.provider_id = feeds::ProviderIdForUkprn(ukprn);
    o.level = tlevel ? 3 : LevelOf(rd.Str(r, "qualificationLevel"));
    o.qualification = feeds::HtmlToText(rd.Str(r, "qualificationCourseTitle"));
    o.subject_area = feeds::HtmlToText(rd.Str(r, "sectorDescription"));
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
    if (auto cost = rd.Num(r, "cost"); cost && *cost > 0 && *cost < 1e9)
      o.cost_text = feeds::FormatPounds(*cost);
    const std::string cost_desc = feeds::HtmlToText(rd.Str(r, "costDescription"));
    o.cost_text = feeds::JoinNonEmpty({o.cost_text, cost_desc}, " - ");
    o.url = rd.Str(r, "courseUrl");
    if (o.url.empty()) o.url = CoursePage(rd, r, tlevel);
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

  // The course's public page: the course-run detail page of the National
  // Careers Service site ("" when the ids it needs are missing).
  static std::string CoursePage(JsonReader& rd, const json& r, bool tlevel) {
    if (tlevel) {
      const std::string id = rd.Str(r, "tLevelId"), location = rd.Str(r, "tLevelLocationId");
      if (id.empty()) return {};
      return std::string(kCoursePages) + "tdetails?tlevelId=" + feeds::UrlEncode(id) +
             (location.empty() ? "" : "&tlevelLocationId=" + feeds::UrlEncode(location));
    }
    const std::string course = rd.Str(r, "courseId"), run = rd.Str(r, "courseRunId");
    if (course.empty() || run.empty()) return {};
    return std::string(kCoursePages) + "course-details?CourseId=" + feeds::UrlEncode(course) +
           "&r=" + feeds::UrlEncode(run);
  }

  std::set<std::string> providers_;  // provider ids staged in this import
  bool more_ = false;                // the last page said more results follow
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeFindACourseAdapter() {
  return std::make_unique<FindACourseAdapter>();
}

}  // namespace signpost::sync
