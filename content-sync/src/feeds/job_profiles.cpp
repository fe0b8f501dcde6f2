// National Careers Service job profiles adapter.
//
// Format confirmed against a response captured in the publisher's own API
// tests (SkillsFundingAgency, a job-profile API acceptance test containing
// the body of GET .../job-profiles/bottler): PascalCase JSON with Title,
// AlternativeTitle, Overview (HTML), SalaryStarter, SalaryExperienced
// (numbers or numeric strings), MinimumHours, MaximumHours,
// WorkingHoursDetails, WorkingPattern, WorkingPatternDetails, Soc,
// ONetOccupationalCode, Url, LastUpdatedDate, HowToBecome {EntryRouteSummary,
// EntryRoutes {University|College|Apprenticeship {EntryRequirementPreface,
// EntryRequirements[], AdditionalInformation[], RelevantSubjects[],
// FurtherInformation[]}, Work[], Volunteering[], DirectApplication[],
// OtherRoutes[]}, MoreInformation {...}}, WhatItTakes {Skills[],
// DigitalSkillsLevel}, WhatYouWillDo {WYDDayToDayTasks[],
// WorkingEnvironment {...}}, CareerPathAndProgression
// {CareerPathAndProgression[]}, RelatedCareers[]. Work/Volunteering/
// DirectApplication and the object form of Skills/RelatedCareers items
// ({"Description"}, {"Title"}) are read when present but were not in the
// captured sample (not confirmed).
//
// Requests: GET <url> is the summary list ([{"Title","Url","LastUpdated"}]);
// each summary Url is then fetched in turn (one profile per page, capped by
// FeedSettings::max_pages). A payload that is already a full profile, or an
// array of full profiles (a hub's pre-built bundle), is parsed directly.
// Mapping: profile -> Career (source_id = last path segment of Url, else a
// slug of Title), HTML stripped to plain text.
// Skipped: no Title, invalid UTF-8.
// Thread safety: one thread at a time (keeps the summary URL list).
#include <cstdio>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"

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
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  std::size_t q = url.find('?');
  if (q != std::string_view::npos) url = url.substr(0, q);
  std::size_t slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

bool LooksLikeFullProfile(const json& j) {
  return j.is_object() &&
         (j.contains("Overview") || j.contains("HowToBecome") || j.contains("Soc"));
}

// Joins an array (or string) of HTML fragments as plain-text lines.
std::string TextList(JsonReader& rd, const json& obj, std::string_view key,
                     std::string_view object_key = "Description") {
  std::vector<std::string> parts;
  for (const std::string& s : rd.StrList(obj, key, object_key))
    parts.push_back(feeds::HtmlToText(s));
  return feeds::JoinNonEmpty(parts, "\n");
}

std::string Route(JsonReader& rd, const json* routes, std::string_view name) {
  if (!routes) return {};
  const json* r = JsonReader::Child(*routes, name);
  if (!r) return {};
  if (r->is_array()) return TextList(rd, *routes, name);
  return feeds::JoinNonEmpty(
      {TextList(rd, *r, "EntryRequirementPreface"), TextList(rd, *r, "EntryRequirements"),
       TextList(rd, *r, "AdditionalInformation")},
      "\n");
}

class JobProfilesAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "job-profiles"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    FeedRequest req;
    req.url = feed.url;
    return req;
  }

  std::optional<FeedRequest> NextRequest(const FeedSettings& /*feed*/, int page) const override {
    // Page 0 was the summary; page k (k >= 1) is summary_urls_[k - 1].
    const std::size_t next = static_cast<std::size_t>(page);
    if (next >= summary_urls_.size()) return std::nullopt;
    FeedRequest req;
    req.url = summary_urls_[next];
    return req;
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) summary_urls_.clear();
    std::string error;
    std::optional<json> doc = feeds::ParseJsonPayload(payload, &error);
    if (!doc) return Status::InvalidArgument("job-profiles: " + error);
    if (LooksLikeFullProfile(*doc)) {
      ParseProfile(*doc, page, 0, out);
      return Status::Ok();
    }
    if (!doc->is_array()) {
      return Status::InvalidArgument(
          "job-profiles: expected a job profile or a list of them (no Title/Overview found)");
    }
    int index = 0;
    for (const json& item : *doc) {
      if (LooksLikeFullProfile(item)) {
        ParseProfile(item, page, index, out);
      } else if (page == 0 && item.is_object()) {
        JsonReader rd;
        std::string url = rd.Str(item, "Url");
        if (!url.empty() && !rd.bad_utf8) {
          summary_urls_.push_back(std::move(url));
        } else {
          out.Skip("job-profiles: summary item " + std::to_string(index) + ": missing Url");
        }
      } else {
        out.Skip("job-profiles: item " + std::to_string(index) + ": not a job profile");
      }
      ++index;
    }
    return Status::Ok();
  }

 private:
  static void ParseProfile(const json& j, int page, int index, catalogue::FeedImport& out) {
    const std::string where =
        "job-profiles: page " + std::to_string(page) + " profile " + std::to_string(index);
    JsonReader rd;
    catalogue::Career c;
    c.title = feeds::HtmlToText(rd.Str(j, "Title"));
    if (c.title.empty()) return out.Skip(where + ": missing Title");
    c.url = rd.Str(j, "Url");
    c.source_id = c.url.empty() ? Slug(c.title) : LastSegment(c.url);
    if (c.source_id.empty()) c.source_id = Slug(c.title);
    c.alternative_titles = rd.Str(j, "AlternativeTitle");
    c.overview = feeds::HtmlToText(rd.Str(j, "Overview"));
    if (auto s = rd.Num(j, "SalaryStarter"); s && *s > 0 && *s < 1e7)
      c.salary_starter = static_cast<int>(*s);
    if (auto s = rd.Num(j, "SalaryExperienced"); s && *s > 0 && *s < 1e7) {
      c.salary_experienced = static_cast<int>(*s);
    }
    auto fmt = [](double h) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", h);
      return std::string(buf);
    };
    auto min_h = rd.Num(j, "MinimumHours");
    auto max_h = rd.Num(j, "MaximumHours");
    const std::string hours_details = rd.Str(j, "WorkingHoursDetails");
    if (min_h && max_h && *min_h > 0 && *max_h >= *min_h) {
      c.hours = fmt(*min_h) + " to " + fmt(*max_h) + " hours " +
                (hours_details.empty() ? std::string("a week") : hours_details);
    } else if (max_h && *max_h > 0) {
      c.hours =
          fmt(*max_h) + " hours " + (hours_details.empty() ? std::string("a week") : hours_details);
    }
    const std::string pattern = rd.Str(j, "WorkingPattern");
    const std::string pattern_details = rd.Str(j, "WorkingPatternDetails");
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
        std::string t = feeds::HtmlToText(s);
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
      std::string t = feeds::HtmlToText(s);
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
