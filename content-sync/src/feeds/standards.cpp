// Apprenticeship standards (training courses) adapter.
//
// Format confirmed against the publisher's source: the courses API list
// item SFA.DAS.FindApprenticeshipTraining.InnerApi.Responses.GetStandardsListItem
// and StandardDetailResponse (SkillsFundingAgency/das-apim-endpoints):
// standardUId, ifateReferenceNumber, larsCode, status, title, level,
// version, overviewOfRole, keywords, route, routeCode, typicalJobTitles,
// standardPageUrl, integratedDegree, sectorSubjectAreaTier2Description,
// apprenticeshipFunding[] {maxEmployerLevyCap, effectiveFrom, effectiveTo,
// duration (months)}; the response wraps the list as {"standards": [...]}
// (GetStandardsListResponse; the VacanciesManage reference-data endpoint
// uses {"trainingCourses": [...]}). typicalDuration (months) is read when a
// version publishes it at the top level (SFA.DAS.Courses GetStandardResponse).
// A bare top-level array is accepted too. camelCase JSON.
//
// Request: one GET of <url> (+ FeedSettings::query); no paging.
// Mapping: standard -> Opportunity kApprenticeshipStandard, source_id
// "lars:<larsCode>", level, subject_area = route, duration from the typical
// duration in months, description = overviewOfRole, url = standardPageUrl.
// A standard has no provider but the catalogue requires one, so every
// standard points at one synthetic Provider "org:ifate" (added once).
// Withdrawn/retired standards are left out (not counted as skipped).
// Skipped: no larsCode, no title, invalid UTF-8.
// Thread safety: one thread at a time.
#include "feeds/adapters.h"
#include "feeds/feed_util.h"

namespace signpost::sync {
namespace {

using feeds::JsonReader;
using nlohmann::json;

constexpr const char* kProviderId = "org:ifate";

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

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    std::string error;
    std::optional<json> doc = feeds::ParseJsonPayload(payload, &error);
    if (!doc) return Status::InvalidArgument("standards: " + error);
    const json* list = nullptr;
    if (doc->is_array()) {
      list = &*doc;
    } else if (doc->is_object()) {
      list = JsonReader::Child(*doc, "standards");
      if (!list) list = JsonReader::Child(*doc, "trainingCourses");
    }
    if (!list || !list->is_array()) {
      return Status::InvalidArgument(
          "standards: expected a \"standards\" array (not an apprenticeship standards response)");
    }
    if (page == 0) {
      catalogue::Provider p;
      p.id = kProviderId;
      p.name = "Institute for Apprenticeships and Technical Education";
      p.kind = catalogue::ProviderKind::kOther;
      p.website = "https://www.instituteforapprenticeships.org/";
      (void)out.AddProvider(p);
    }
    int index = 0;
    for (const json& s : *list) ParseStandard(s, index++, out);
    return Status::Ok();
  }

 private:
  static void ParseStandard(const json& s, int index, catalogue::FeedImport& out) {
    const std::string where = "standards: standard " + std::to_string(index);
    if (!s.is_object()) return out.Skip(where + ": not an object");
    JsonReader rd;
    const std::string status = rd.Str(s, "status");
    if (feeds::ContainsNoCase(status, "withdrawn") || feeds::ContainsNoCase(status, "retired"))
      return;
    catalogue::Opportunity o;
    o.kind = catalogue::OpportunityKind::kApprenticeshipStandard;
    o.route = catalogue::Route::kApprenticeship;
    o.mode = catalogue::StudyMode::kWorkBased;
    o.provider_id = kProviderId;
    o.lars_code = rd.Str(s, "larsCode");
    if (o.lars_code.empty() || o.lars_code == "0") return out.Skip(where + ": missing larsCode");
    o.source_id = "lars:" + o.lars_code;
    o.title = rd.Str(s, "title");
    if (o.title.empty()) return out.Skip(where + " (" + o.source_id + "): missing title");
    if (auto lvl = rd.Num(s, "level"); lvl && *lvl >= 0 && *lvl <= 8)
      o.level = static_cast<int>(*lvl);
    o.subject_area = rd.Str(s, "route");
    o.qualification = rd.Str(s, "ifateReferenceNumber");
    o.description = feeds::HtmlToText(rd.Str(s, "overviewOfRole"));
    const std::string jobs = rd.Str(s, "typicalJobTitles");
    if (!jobs.empty()) {
      std::string list;
      for (char c : jobs) list += c == '|' ? std::string(", ") : std::string(1, c);
      o.description = feeds::JoinNonEmpty({o.description, "Typical job titles: " + list}, "\n");
    }
    o.url = rd.Str(s, "standardPageUrl");
    double months = rd.Num(s, "typicalDuration").value_or(0);
    if (months <= 0) {
      if (const json* funding = JsonReader::Child(s, "apprenticeshipFunding");
          funding && funding->is_array()) {
        for (const json& f : *funding) {
          // The band without an end date is the current one.
          if (f.is_object() && rd.Str(f, "effectiveTo").empty())
            months = rd.Num(f, "duration").value_or(0);
        }
        if (months <= 0 && !funding->empty() && funding->back().is_object()) {
          months = rd.Num(funding->back(), "duration").value_or(0);
        }
      }
    }
    if (months > 0 && months < 200) {
      o.duration_months = static_cast<int>(months);
      o.duration = std::to_string(o.duration_months) + " months";
    }
    if (rd.bad_utf8)
      return out.Skip(where + " (" + o.source_id + "): invalid UTF-8 in " + rd.bad_field);
    (void)out.AddOpportunity(o);
  }
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeStandardsAdapter() { return std::make_unique<StandardsAdapter>(); }

}  // namespace signpost::sync
