// LMI for All adapter: pay estimates and employment projections by SOC.
//
// Format (../shared/feeds/FORMATS.md section 5): real responses recorded
// with VCR in lm-tools/work-you-could-do (commit a6c7c90): GET
// /ashe/estimatePay?soc=N -> {"soc": N, "series": [{"year": Y, "estpay":
// weekly GBP}]} (hence x52 for wage_annual), /ashe/estimateHours,
// /soc/code/N and /soc/search?q=.. -> [{soc, title, ...}]. Working Futures
// projections (GET /wf/predict?soc=N -> {"soc": N, "predictedEmployment":
// [{"year": Y, "employment": E}]}) are read as third-party clients read them
// (likely, no recorded body). No key. SOC 2010 codes; `coarse` is never sent
// (it would key the figures to the 2-digit group).
//
// Requests: FeedSettings::query "soc=2136,5434" lists the SOC codes. For the
// i-th code, page 2i is /ashe/estimatePay and page 2i+1 is /wf/predict, each
// a detail request (FeedRequest::may_be_missing): one SOC with no estimate
// (404/410/204, an empty or unexpected body, JSON that is not an answer) is
// skipped and counted; the other SOCs still import. What the API answers
// for an unknown SOC is not confirmed.
// Mapping: LabourMarketFigure keyed by SOC, area "UK":
//   estpay x 52            -> kMedianAnnualPay for each year,
//   employment             -> kEmployment for each projected year,
//   first..last employment -> kEmploymentChangePct (year = last year).
// A SOC search array is accepted and adds nothing (it has no figures).
// Skipped: a series point without a year (1990-2100) or value, invalid UTF-8.
// No key fields: every figure is a SOC, a year and a value or it is skipped.
// Thread safety: one thread at a time.
#include <cmath>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"
#include "feeds/json_stream.h"

namespace signpost::sync {
namespace {

using catalogue::LabourMarketFigure;
using catalogue::LmiMetric;
using feeds::JsonReader;
using nlohmann::json;

std::vector<std::string> SocCodes(const FeedSettings& feed) {
  std::vector<std::string> out;
  for (const auto& [k, v] : feeds::ParseQueryPairs(feed.query)) {
    if (k != "soc") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      std::size_t c = rest.find(',');
      std::string_view item = feeds::Trim(rest.substr(0, c));
      rest = c == std::string_view::npos ? std::string_view() : rest.substr(c + 1);
      if (feeds::ToInt(item)) out.emplace_back(item);
    }
  }
  return out;
}

std::string Base(const std::string& url) {
  std::string b = url;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return b;
}

class LmiForAllAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "lmi-for-all"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    std::optional<FeedRequest> r = RequestFor(feed, 0);
    if (r) return *r;
    FeedRequest req;  // no SOC codes configured: ask for the SOC search list
    req.url = Base(feed.url) + "/soc/search?q=" + feeds::UrlEncode(feed.query);
    return req;
  }

  std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int page) const override {
    return RequestFor(feed, page + 1);
  }

  Status ParsePayload(const Payload& payload, int page, catalogue::FeedImport& out) override {
    const std::string asked = "lmi-for-all: page " + std::to_string(page);
    if (payload.empty()) {
      out.Skip(asked + ": no answer (the API has no figures for this SOC)");
      return Status::Ok();
    }
    std::string error;
    std::optional<json> doc = feeds::ParseJsonDocument(payload, &error);
    if (!doc) {
      // One SOC's bad answer is a skip, not a failed LMI import.
      out.Skip(asked + ": " + error);
      return Status::Ok();
    }
    if (doc->is_array()) return Status::Ok();  // SOC search: no figures
    if (!doc->is_object()) {
      out.Skip(asked + ": unexpected JSON");
      return Status::Ok();
    }
    JsonReader rd;
    const std::string soc = std::string(feeds::Trim(rd.Str(*doc, "soc")));
    const std::string where = "lmi-for-all: page " + std::to_string(page) + " soc " + soc;
    if (const json* series = JsonReader::Child(*doc, "series"); series && series->is_array()) {
      if (soc.empty()) {
        out.Skip(asked + ": pay estimate without \"soc\"");
        return Status::Ok();
      }
      for (const json& p : *series) {
        auto year = Year(rd, p);
        auto pay = rd.Num(p, "estpay");
        if (!year || !pay || *pay <= 0 || *pay > 1e6) {
          out.Skip(where + ": pay estimate without year or estpay");
          continue;
        }
        Add(out, soc, LmiMetric::kMedianAnnualPay, std::round(*pay * 52), *year);
      }
      return Status::Ok();
    }
    if (const json* pred = JsonReader::Child(*doc, "predictedEmployment");
        pred && pred->is_array()) {
      if (soc.empty()) {
        out.Skip(asked + ": projection without \"soc\"");
        return Status::Ok();
      }
      std::optional<std::pair<int, double>> first, last;
      for (const json& p : *pred) {
        auto year = Year(rd, p);
        auto employment = rd.Num(p, "employment");
        if (!year || !employment || *employment < 0 || *employment > 1e9) {
          out.Skip(where + ": projection without year or employment");
          continue;
        }
        const int y = *year;
        Add(out, soc, LmiMetric::kEmployment, std::round(*employment), y);
        if (!first || y < first->first) first = {y, *employment};
        if (!last || y > last->first) last = {y, *employment};
      }
      if (first && last && last->first > first->first && first->second > 0) {
        const double pct = (last->second - first->second) / first->second * 100.0;
        Add(out, soc, LmiMetric::kEmploymentChangePct, std::round(pct * 10) / 10, last->first);
      }
      return Status::Ok();
    }
    out.Skip(where + ": expected an ASHE \"series\" or Working Futures \"predictedEmployment\"");
    return Status::Ok();
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    return ParsePayload(Payload::Borrow(payload), page, out);
  }

 private:
  // A plausible year, saturated before it is ever an int.
  static std::optional<int> Year(JsonReader& rd, const json& point) {
    const auto y = rd.Num(point, "year");
    if (!y || *y < 1990 || *y > 2100) return std::nullopt;
    return feeds::ClampInt(*y, 1990, 2100);
  }

  static void Add(catalogue::FeedImport& out, const std::string& soc, LmiMetric metric,
                  double value, int year) {
    LabourMarketFigure f;
    f.soc_code = soc;
    f.area = "UK";
    f.metric = metric;
    f.value = value;
    f.year = year;
    (void)out.AddLabourMarket(f);
  }

  static std::optional<FeedRequest> RequestFor(const FeedSettings& feed, int page) {
    std::vector<std::string> socs = SocCodes(feed);
    const std::size_t i = static_cast<std::size_t>(page / 2);
    if (page < 0 || i >= socs.size()) return std::nullopt;
    FeedRequest req;
    req.url =
        Base(feed.url) + (page % 2 == 0 ? "/ashe/estimatePay?soc=" : "/wf/predict?soc=") + socs[i];
    req.may_be_missing = true;  // one SOC without figures is a skip
    return req;
  }
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeLmiForAllAdapter() { return std::make_unique<LmiForAllAdapter>(); }

}  // namespace signpost::sync
