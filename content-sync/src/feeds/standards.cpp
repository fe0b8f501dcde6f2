// Apprenticeship standards adapter: the public Skills England list.
//
// Format (../shared/feeds/FORMATS.md section 3): Skills England replaced
// IfATE on 1 June 2025. GET https://skillsengland.education.gov.uk/api/
// apprenticeshipstandards (the old www.instituteforapprenticeships.org URL
// redirects there), no key, no paging: one bare JSON array of about 78 MB
// (size likely, not confirmed), one object per standard. Field names are
// confirmed in SkillsFundingAgency/das-courses-api (commit f7c51c5,
// src/SFA.DAS.Courses.Domain/ImportTypes/SkillsEngland/Apprenticeship.cs,
// read as IEnumerable<T> by .../Api/SkillsEnglandService.cs):
// referenceNumber ("ST0001"), title, level (int), status, larsCode (int, 0
// when none), version, versionNumber, overviewOfRole, route, routeCode,
// typicalDuration (int, months), typicalJobTitles (array of strings),
// keywords (array), standardPageUrl, approvedForDelivery, ... Status values
// seen: "Approved for delivery", "Retired", "In development", "Withdrawn",
// "Proposal in development". No real payload is available as a sample: the
// fixtures follow those models.
// Also accepted (older shapes, tested): {"standards": [...]} from the DAS
// courses API (ifateReferenceNumber, typicalJobTitles as a "|"-joined
// string, apprenticeshipFunding[] {duration, effectiveTo}) and
// {"trainingCourses": [...]} from the Display Advert API's reference data.
//
// The array is read as a stream (json_stream.h): memory is bounded by one
// standard, not the body, which is spooled to a file by the HTTP layer;
// MaxBodyBytes is 256 MB (the [sync] 64 MB default cannot hold it).
//
// Request: one GET of <url> (+ FeedSettings::query); no paging.
// Mapping: only "Approved for delivery" standards (a record with no status
// at all is kept: the older shapes have none); others are left out, not
// counted as skipped. A standard listed in several versions keeps the
// highest. -> Opportunity kApprenticeshipStandard, source_id
// "lars:<larsCode>", qualification = the reference number ("ST0001"),
// level, subject_area = route, duration "N months" / "N years" from
// typicalDuration, description = overviewOfRole followed by "Typical job
// titles: ..." (so search finds a standard by its jobs), the titles also in
// typical_job_titles, url = standardPageUrl. A standard has no provider but
// the catalogue requires one: every standard points at one Provider
// "org:ifate" (the id kept from before; named Skills England).
// Skipped: no larsCode, no title, invalid UTF-8.
// Thread safety: one thread at a time.
#include <map>
#include <set>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"
#include "feeds/json_stream.h"

namespace signpost::sync {
namespace {

using feeds::JsonReader;
using nlohmann::json;

constexpr const char* kProviderId = "org:ifate";

// "1.10" > "1.9": versions compare as numbers, part by part.
std::vector<long long> VersionParts(const std::string& v) {
  std::vector<long long> parts;
  std::string_view rest = v;
  while (!rest.empty() && parts.size() < 8) {
    const std::size_t dot = rest.find('.');
    parts.push_back(feeds::ToInt(rest.substr(0, dot)).value_or(0));
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  }
  return parts;
}

struct Candidate {
  catalogue::Opportunity opportunity;
  std::vector<long long> version;
};

class StandardsAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "standards"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    FeedRequest req;
    std::string q;
    for (const auto& [k, v] : feeds::ParseQueryPairs(feed.query)) {
      if (k.empty()) continue;
      q += (q.empty() ? "" : "&") + feeds::UrlEncode(k) + "=" + feeds::UrlEncode(v);
    }
    req.url = feeds::AppendQuery(feed.url, q);
    return req;
  }

  std::optional<FeedRequest> NextRequest(const FeedSettings&, int) const override {
    return std::nullopt;
  }

  std::int64_t MaxBodyBytes() const override { return 256ll << 20; }

  std::vector<KeyField> KeyFields() const override {
    const std::string what = "standards";
    KeyField jobs{"typical job titles", what, 0.5, "has the typicalJobTitles field changed?"};
    jobs.opportunity = [](const catalogue::Opportunity& o) {
      return !o.typical_job_titles.empty();
    };
    KeyField level{"a level", what, 0.8, "has the level field changed?"};
    level.opportunity = [](const catalogue::Opportunity& o) { return o.level >= 0; };
    KeyField duration{"a typical duration", what, 0.5, "has the typicalDuration field changed?"};
    duration.opportunity = [](const catalogue::Opportunity& o) { return o.duration_months > 0; };
    KeyField reference{"a reference number (ST0001)", what, 0.8,
                       "has the referenceNumber field changed?"};
    reference.opportunity = [](const catalogue::Opportunity& o) {
      return !o.qualification.empty();
    };
    KeyField page{"a page on the Skills England site", what, 0.5,
                  "has the standardPageUrl field changed?"};
    page.opportunity = [](const catalogue::Opportunity& o) { return !o.url.empty(); };
    return {jobs, level, duration, reference, page};
  }

  Status ParsePayload(const Payload& payload, int page, catalogue::FeedImport& out) override {
    // Two passes over the stream, so memory holds one standard at a time:
    // the first finds each standard's highest version, the second imports
    // that version (and counts the skips).
    std::map<std::string, std::vector<long long>> best;  // source id -> version
    feeds::JsonEnvelope envelope;
    const feeds::JsonRecordsSpec where{true, {"standards", "trainingCourses"}};
    Status s = feeds::StreamJsonRecords(
        payload, where,
        [&](std::int64_t, const json& item) {
          std::string why;
          if (std::optional<Candidate> c = Build(item, &why)) {
            auto [it, inserted] = best.try_emplace(c->opportunity.source_id, c->version);
            if (!inserted && it->second < c->version) it->second = c->version;
          }
        },
        &envelope);
    if (!s.ok()) return Status::InvalidArgument("standards: " + s.message());
    if (!envelope.found_records) {
      return Status::InvalidArgument(
          "standards: expected an array of standards (not an apprenticeship standards response)");
    }
    if (page == 0) {
      catalogue::Provider p;
      p.id = kProviderId;
      p.name = "Skills England (apprenticeship standards)";
      p.kind = catalogue::ProviderKind::kOther;
      p.website = "https://skillsengland.education.gov.uk/";
      (void)out.AddProvider(p);
    }
    std::set<std::string> added;
    s = feeds::StreamJsonRecords(
        payload, where,
        [&](std::int64_t index, const json& item) {
          std::string why;
          std::optional<Candidate> c = Build(item, &why);
          if (!c) {
            if (!why.empty()) out.Skip("standards: standard " + std::to_string(index) + why);
            return;
          }
          const std::string& id = c->opportunity.source_id;
          if (c->version == best[id] && added.insert(id).second)
            (void)out.AddOpportunity(c->opportunity);
        },
        &envelope);
    if (!s.ok()) return Status::InvalidArgument("standards: " + s.message());
    return Status::Ok();
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    return ParsePayload(Payload::Borrow(payload), page, out);
  }

 private:
  // The standard as an opportunity; nullopt when it is left out (`*why`
  // empty: not approved for delivery) or skipped (`*why` says why).
  static std::optional<Candidate> Build(const json& s, std::string* why) {
    if (!s.is_object()) {
      *why = ": not an object";
      return std::nullopt;
    }
    JsonReader rd;
    const std::string status = std::string(feeds::Trim(rd.Str(s, "status")));
    // Only standards open to apprentices; "In development", "Retired",
    // "Withdrawn"... are left out (not errors, so not counted as skips).
    if (!status.empty() && !feeds::EqualsNoCase(status, "Approved for delivery"))
      return std::nullopt;
    Candidate c;
    catalogue::Opportunity& o = c.opportunity;
    o.kind = catalogue::OpportunityKind::kApprenticeshipStandard;
    o.route = catalogue::Route::kApprenticeship;
    o.mode = catalogue::StudyMode::kWorkBased;
    o.provider_id = kProviderId;
    o.lars_code = std::string(feeds::Trim(rd.Str(s, "larsCode")));
    if (o.lars_code.empty() || o.lars_code == "0") {
      *why = ": missing larsCode";
      return std::nullopt;
    }
    o.source_id = "lars:" + o.lars_code;
    o.title = feeds::DecodeHtmlEntities(rd.Str(s, "title"));
    if (o.title.empty()) {
      *why = " (" + o.source_id + "): missing title";
      return std::nullopt;
    }
    if (auto lvl = rd.Num(s, "level"); lvl && *lvl >= 0 && *lvl <= 8)
      o.level = feeds::ClampInt(*lvl, 0, 8);
    o.subject_area = feeds::DecodeHtmlEntities(rd.Str(s, "route"));
    o.qualification = std::string(feeds::Trim(rd.Str(s, "referenceNumber")));
    if (o.qualification.empty())
      o.qualification = std::string(feeds::Trim(rd.Str(s, "ifateReferenceNumber")));
    o.description = feeds::HtmlToText(rd.Str(s, "overviewOfRole"));
    // An array of titles (Skills England) or one "|"-joined string (DAS).
    for (const std::string& item : rd.StrList(s, "typicalJobTitles")) {
      std::string_view rest = item;
      while (!rest.empty()) {
        const std::size_t bar = rest.find('|');
        const std::string t = feeds::DecodeHtmlEntities(feeds::Trim(rest.substr(0, bar)));
        rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
        if (!t.empty() && o.typical_job_titles.size() < 50) o.typical_job_titles.push_back(t);
      }
    }
    if (!o.typical_job_titles.empty()) {
      o.description = feeds::JoinNonEmpty(
          {o.description, "Typical job titles: " + feeds::JoinNonEmpty(o.typical_job_titles, ", ")},
          "\n");
    }
    o.url = rd.Str(s, "standardPageUrl");
    double months = rd.Num(s, "typicalDuration").value_or(0);
    if (months <= 0) months = FundingDuration(rd, s);
    if (months >= 1 && months < 200) {
      o.duration_months = feeds::ClampInt(months, 1, 199);
      o.duration = o.duration_months % 12 == 0 ? std::to_string(o.duration_months / 12) +
                                                     (o.duration_months == 12 ? " year" : " years")
                                               : std::to_string(o.duration_months) + " months";
    }
    std::string version = rd.Str(s, "versionNumber");
    if (version.empty()) version = rd.Str(s, "version");
    c.version = VersionParts(version);
    if (rd.bad_utf8) {
      *why = " (" + o.source_id + "): invalid UTF-8 in " + rd.bad_field;
      return std::nullopt;
    }
    return c;
  }

  // The DAS shape's apprenticeshipFunding[]: the band without an end date
  // is the current one.
  static double FundingDuration(JsonReader& rd, const json& s) {
    const json* funding = JsonReader::Child(s, "apprenticeshipFunding");
    if (!funding || !funding->is_array()) return 0;
    double months = 0;
    for (const json& f : *funding) {
      if (f.is_object() && rd.Str(f, "effectiveTo").empty())
        months = rd.Num(f, "duration").value_or(0);
    }
    if (months <= 0 && !funding->empty() && funding->back().is_object())
      months = rd.Num(funding->back(), "duration").value_or(0);
    return months;
  }
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeStandardsAdapter() { return std::make_unique<StandardsAdapter>(); }

}  // namespace signpost::sync
