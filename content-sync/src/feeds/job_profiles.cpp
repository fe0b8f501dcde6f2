// National Careers Service job profiles adapter.
//
// Format confirmed (../shared/feeds/FORMATS.md section 4) against
// SkillsFundingAgency/dfc-api-jobprofiles (commit c5efd91): Azure Functions
// GET summary, GET {canonicalName}, published through API Management at
// https://api.nationalcareers.service.gov.uk/job-profiles/...; headers
// Ocp-Apim-Subscription-Key (from the config) and "version: v1", which this
// adapter sends itself (without it API Management answers 404); 204 No
// Content for a profile that does not exist; "by default the API supports
// 150 [requests] per minute". The summary ([{Url, Title, LastUpdated}]) is
// not paged. PascalCase profile: Title, LastUpdatedDate, Url, Soc (SOC
// 2010), Soc2020, AlternativeTitle, Overview, SalaryStarter,
// SalaryExperienced (strings), MinimumHours, MaximumHours,
// WorkingHoursDetails, WorkingPattern, WorkingPatternDetails, HowToBecome
// {EntryRouteSummary[], EntryRoutes {University|College|Apprenticeship
// {RelevantSubjects[], FurtherInformation[], EntryRequirementPreface,
// EntryRequirements[], AdditionalInformation[]}, Work[], Volunteering[],
// DirectApplication[], OtherRoutes[]}, MoreInformation {...}}, WhatItTakes
// {DigitalSkillsLevel, Skills [{Description, ...}], ...}, WhatYouWillDo
// {WYDDayToDayTasks[], WorkingEnvironment {...}}, CareerPathAndProgression
// {CareerPathAndProgression[]}, RelatedCareers [{Title, Url}]. Text may
// hold HTML and "[link text | https://...]" link markup (both made plain).
// The samples are the publisher's API test expectations, not captures:
// their "ToDo" placeholders stand where real values would be.
//
// Requests: GET <url> is the summary; each summary Url is then fetched in
// turn as a detail request (FeedRequest::may_be_missing: one profile that
// answers 204/404/410 is skipped and counted, the rest import; detail
// requests do not count against max_pages, see feed_adapter.h). Requests
// are paced at one per 410 ms (MinRequestIntervalMs), under 150 a minute:
// about 800 profiles take about 5.5 minutes. A payload that is already a
// full profile, or an array of them (a hub's pre-built file), is parsed
// directly. The summary array is streamed (json_stream.h).
// Mapping: profile -> Career (source_id = last path segment of Url, else a
// slug of Title), HTML stripped to plain text.
// Skipped: no Title, invalid UTF-8, a profile the API no longer has.
// Thread safety: one thread at a time (keeps the summary URL list).
#include <cstdio>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"
#include "feeds/json_stream.h"

namespace signpost::sync {
namespace {

using feeds::JsonReader;
using nlohmann::json;

std::string Slug(std::string_view s) {
  std::string out;
  for (char c : feeds::ToLower(s)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string LastSegment(std::string_view url) {
  std::size_t q = url.find_first_of("?#");
  if (q != std::string_view::npos) url = url.substr(0, q);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  std::size_t slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

bool LooksLikeFullProfile(const json& j) {
  return j.is_object() &&
         (j.contains("Overview") || j.contains("HowToBecome") || j.contains("Soc"));
}

// "[guide to apprenticeships | https://www.gov.uk/...]" -> "guide to
// apprenticeships" (DFC.HtmlToDataTranslator's link markup).
std::string PlainLinks(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '[') {
      const std::size_t close = s.find(']', i);
      const std::size_t bar = s.find(" | ", i);
      if (close != std::string_view::npos && bar != std::string_view::npos && bar < close &&
          close - i < 2000) {
        out.append(feeds::Trim(s.substr(i + 1, bar - i - 1)));
        i = close + 1;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  return out;
}

std::string Text(const std::string& html) { return PlainLinks(feeds::HtmlToText(html)); }

// True for a fragment that is nothing but one link ("[guide to
// apprenticeships | https://...]"): without its target it says nothing.
bool OnlyALink(std::string_view s) {
  s = feeds::Trim(s);
  return s.size() > 2 && s.front() == '[' && s.back() == ']' &&
         s.find(" | ") != std::string_view::npos && s.find('[', 1) == std::string_view::npos;
}

// Joins an array (or string) of HTML fragments as plain-text lines.
std::string TextList(JsonReader& rd, const json& obj, std::string_view key,
                     std::string_view object_key = "Description") {
  std::vector<std::string> parts;
  for (const std::string& s : rd.StrList(obj, key, object_key)) {
    if (!OnlyALink(s)) parts.push_back(Text(s));
  }
  return feeds::JoinNonEmpty(parts, "\n");
}

std::string Route(JsonReader& rd, const json* routes, std::string_view name) {
  if (!routes) return {};
  const json* r = JsonReader::Child(*routes, name);
  if (!r) return {};
  if (r->is_array()) return TextList(rd, *routes, name);
  // RelevantSubjects holds the route's opening sentence in the publisher's
  // own data ("You could get into this job through an apprenticeship...").
  return feeds::JoinNonEmpty(
      {TextList(rd, *r, "RelevantSubjects"), TextList(rd, *r, "EntryRequirementPreface"),
       TextList(rd, *r, "EntryRequirements"), TextList(rd, *r, "AdditionalInformation")},
      "\n");
}

class JobProfilesAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "job-profiles"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    FeedRequest req;
    req.url = feed.url;
    req.headers = {{"version", "v1"}};
    return req;
  }

  std::optional<FeedRequest> NextRequest(const FeedSettings& /*feed*/, int page) const override {
    // Page 0 was the summary; page k (k >= 1) is summary_urls_[k - 1].
    const std::size_t next = static_cast<std::size_t>(page);
    if (page < 0 || next >= summary_urls_.size()) return std::nullopt;
    FeedRequest req;
    req.url = summary_urls_[next];
    req.headers = {{"version", "v1"}};
    req.may_be_missing = true;
    return req;
  }

  // 150 requests a minute is one per 400 ms; a little slower, for jitter.
  int MinRequestIntervalMs() const override { return 410; }

  std::vector<KeyField> KeyFields() const override {
    const std::string what = "job profiles";
    KeyField overview{"an overview", what, 0.5, "has the profile format changed?"};
    overview.career = [](const catalogue::Career& c) { return !c.overview.empty(); };
    KeyField entry{"a way in (university, college, apprenticeship or work)", what, 0.5,
                   "has HowToBecome changed?"};
    entry.career = [](const catalogue::Career& c) {
      return !c.entry_university.empty() || !c.entry_college.empty() ||
             !c.entry_apprenticeship.empty() || !c.entry_work.empty();
    };
    KeyField salary{"a salary", what, 0.5, "have SalaryStarter/SalaryExperienced changed?"};
    salary.career = [](const catalogue::Career& c) {
      return c.salary_starter > 0 || c.salary_experienced > 0;
    };
    KeyField soc{"a SOC code (for local pay and jobs figures)", what, 0.5,
                 "has the Soc field changed?"};
    soc.career = [](const catalogue::Career& c) { return !c.soc_code.empty(); };
    return {overview, entry, salary, soc};
  }

  Status ParsePayload(const Payload& payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) summary_urls_.clear();
    if (page > 0 && payload.empty()) {
      // 204 No Content (or 404/410, which the engine hands over as empty):
      // the summary listed a profile the API no longer has.
      out.Skip("job-profiles: " + Requested(page) +
               ": the API has no such profile (it answered with no content)");
      return Status::Ok();
    }
    const char first = feeds::FirstJsonByte(payload);
    if (first == '[') {
      Status s = feeds::StreamJsonRecords(
          payload, {true, {}},
          [&](std::int64_t index, const json& item) { ListItem(item, page, index, out); }, nullptr);
      if (!s.ok()) return Status::InvalidArgument("job-profiles: " + s.message());
      return Status::Ok();
    }
    std::string error;
    std::optional<json> doc = feeds::ParseJsonDocument(payload, &error);
    if (!doc) {
      if (page > 0) {  // one broken profile: skip it, keep the rest
        out.Skip("job-profiles: " + Requested(page) + ": " + error);
        return Status::Ok();
      }
      return Status::InvalidArgument("job-profiles: " + error);
    }
    if (!LooksLikeFullProfile(*doc)) {
      if (page > 0) {
        out.Skip("job-profiles: " + Requested(page) + ": not a job profile");
        return Status::Ok();
      }
      return Status::InvalidArgument(
          "job-profiles: expected a job profile or a list of them (no Title/Overview found)");
    }
    ParseProfile(*doc, page, 0, out);
    return Status::Ok();
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    return ParsePayload(Payload::Borrow(payload), page, out);
  }

 private:
  std::string Requested(int page) const {
    const std::size_t i = static_cast<std::size_t>(page - 1);
    return i < summary_urls_.size() ? summary_urls_[i] : "profile " + std::to_string(page);
  }

  void ListItem(const json& item, int page, std::int64_t index, catalogue::FeedImport& out) {
    if (LooksLikeFullProfile(item)) {
      ParseProfile(item, page, index, out);
    } else if (page == 0 && item.is_object()) {
      JsonReader rd;
      std::string url = std::string(feeds::Trim(rd.Str(item, "Url")));
      if (!url.empty() && !rd.bad_utf8) {
        summary_urls_.push_back(std::move(url));
      } else {
        out.Skip("job-profiles: summary item " + std::to_string(index) + ": missing Url");
      }
    } else {
      out.Skip("job-profiles: item " + std::to_string(index) + ": not a job profile");
    }
  }

  static void ParseProfile(const json& j, int page, std::int64_t index,
                           catalogue::FeedImport& out) {
    const std::string where =
        "job-profiles: page " + std::to_string(page) + " profile " + std::to_string(index);
    JsonReader rd;
    catalogue::Career c;
    c.title = Text(rd.Str(j, "Title"));
    if (c.title.empty()) return out.Skip(where + ": missing Title");
    c.url = rd.Str(j, "Url");
    c.source_id = c.url.empty() ? Slug(c.title) : LastSegment(c.url);
    if (c.source_id.empty()) c.source_id = Slug(c.title);
    c.alternative_titles = feeds::DecodeHtmlEntities(rd.Str(j, "AlternativeTitle"));
    c.overview = Text(rd.Str(j, "Overview"));
    if (auto s = rd.Num(j, "SalaryStarter"); s && *s > 0 && *s < 1e7)
      c.salary_starter = feeds::ClampInt(*s, 0, 10'000'000);
    if (auto s = rd.Num(j, "SalaryExperienced"); s && *s > 0 && *s < 1e7)
      c.salary_experienced = feeds::ClampInt(*s, 0, 10'000'000);
    auto fmt = [](double h) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", h);
      return std::string(buf);
    };
    auto min_h = rd.Num(j, "MinimumHours");
    auto max_h = rd.Num(j, "MaximumHours");
    const std::string hours_details = feeds::DecodeHtmlEntities(rd.Str(j, "WorkingHoursDetails"));
    const bool min_ok = min_h && *min_h > 0 && *min_h <= 168;
    const bool max_ok = max_h && *max_h > 0 && *max_h <= 168;
    if (min_ok && max_ok && *max_h >= *min_h) {
      c.hours = fmt(*min_h) + " to " + fmt(*max_h) + " hours " +
                (hours_details.empty() ? std::string("a week") : hours_details);
    } else if (max_ok) {
      c.hours =
          fmt(*max_h) + " hours " + (hours_details.empty() ? std::string("a week") : hours_details);
    }
    const std::string pattern = feeds::DecodeHtmlEntities(rd.Str(j, "WorkingPattern"));
    const std::string pattern_details =
        feeds::DecodeHtmlEntities(rd.Str(j, "WorkingPatternDetails"));
    c.working_pattern = feeds::JoinNonEmpty({pattern, pattern_details}, " ");
    if (const json* how = JsonReader::Child(j, "HowToBecome")) {
      const json* routes = JsonReader::Child(*how, "EntryRoutes");
      c.entry_university = Route(rd, routes, "University");
      c.entry_college = Route(rd, routes, "College");
      c.entry_apprenticeship = Route(rd, routes, "Apprenticeship");
      if (routes) {
        c.entry_work = feeds::JoinNonEmpty(
            {TextList(rd, *routes, "Work"), TextList(rd, *routes, "Volunteering"),
             TextList(rd, *routes, "DirectApplication"), TextList(rd, *routes, "OtherRoutes")},
            "\n");
      }
    }
    if (const json* takes = JsonReader::Child(j, "WhatItTakes")) {
      for (const std::string& s : rd.StrList(*takes, "Skills", "Description")) {
        std::string t = Text(s);
        if (!t.empty()) c.skills.push_back(std::move(t));
      }
    }
    if (const json* wyd = JsonReader::Child(j, "WhatYouWillDo")) {
      c.what_you_do = TextList(rd, *wyd, "WYDDayToDayTasks");
    }
    if (const json* cp = JsonReader::Child(j, "CareerPathAndProgression")) {
      c.career_path = cp->is_object() ? TextList(rd, *cp, "CareerPathAndProgression")
                                      : TextList(rd, j, "CareerPathAndProgression");
    }
    for (const std::string& s : rd.StrList(j, "RelatedCareers", "Title")) {
      std::string t = Text(s);
      if (!t.empty()) c.related_careers.push_back(std::move(t));
    }
    c.soc_code = std::string(feeds::Trim(rd.Str(j, "Soc")));
    if (rd.bad_utf8)
      return out.Skip(where + " (" + c.source_id + "): invalid UTF-8 in " + rd.bad_field);
    (void)out.AddCareer(c);
  }

  std::vector<std::string> summary_urls_;  // profile URLs from the page-0 summary
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeJobProfilesAdapter() {
  return std::make_unique<JobProfilesAdapter>();
}

}  // namespace signpost::sync
