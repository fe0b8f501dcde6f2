// LMI for All adapter: pay estimates and employment projections by SOC.
//
// Format: Working Futures projections (GET /wf/predict?soc=N ->
// {"soc": N, "predictedEmployment": [{"year": Y, "employment": E}]}) and SOC
// search (GET /soc/search?q=.. -> [{"soc", "title", "description",
// "qualifications", "tasks", "add_titles"}]) confirmed in
// datagovuk-hackcode/early-intervention-graphio
// src/dataprod/dataprod/jsonTemplates.cs (classes wfpredict, socSearch) and
// the base URL http://api.lmiforall.org.uk/api/v1/ in
// SECOND-DUST/JobConnections PythonCodeToBeConverted.java.
// ASHE pay (GET /ashe/estimatePay?soc=N -> {"soc": N, "series": [{"year": Y,
// "estpay": weekly GBP}]}) could NOT be confirmed in the stored sources; it
// is written from the LMI for All API documentation as remembered (weekly
// pay, hence x52 for wage_annual). LMI for All codes are SOC 2010.
//
// Requests: FeedSettings::query "soc=2136,5434" lists the SOC codes. For the
// i-th code, page 2i is /ashe/estimatePay and page 2i+1 is /wf/predict.
// Mapping: LabourMarketFigure keyed by SOC, area "UK":
//   estpay x 52            -> kMedianAnnualPay for each year,
//   employment             -> kEmployment for each projected year,
//   first..last employment -> kEmploymentChangePct (year = last year).
// A SOC search array is accepted and adds nothing (it has no figures).
// Skipped: a series point without a year or value, invalid UTF-8.
// Thread safety: one thread at a time.
#include <cmath>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"

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

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    std::string error;
    std::optional<json> doc = feeds::ParseJsonPayload(payload, &error);
    if (!doc) return Status::InvalidArgument("lmi-for-all: " + error);
    if (doc->is_array()) return Status::Ok();  // SOC search: no figures
    if (!doc->is_object()) return Status::InvalidArgument("lmi-for-all: unexpected JSON");
    JsonReader rd;
    const std::string soc = rd.Str(*doc, "soc");
    const std::string where = "lmi-for-all: page " + std::to_string(page) + " soc " + soc;
    if (const json* series = JsonReader::Child(*doc, "series"); series && series->is_array()) {
      if (soc.empty()) return Status::InvalidArgument("lmi-for-all: pay estimate without \"soc\"");
      for (const json& p : *series) {
        auto year = rd.Num(p, "year");
        auto pay = rd.Num(p, "estpay");
        if (!year || !pay || *pay <= 0) {
          out.Skip(where + ": pay estimate without year or estpay");
          continue;
        }
        Add(out, soc, LmiMetric::kMedianAnnualPay, std::round(*pay * 52), static_cast<int>(*year));
      }
      return Status::Ok();
    }
    if (const json* pred = JsonReader::Child(*doc, "predictedEmployment");
        pred && pred->is_array()) {
      if (soc.empty()) return Status::InvalidArgument("lmi-for-all: projection without \"soc\"");
      std::optional<std::pair<int, double>> first, last;
      for (const json& p : *pred) {
        auto year = rd.Num(p, "year");
        auto employment = rd.Num(p, "employment");
        if (!year || !employment || *employment < 0) {
          out.Skip(where + ": projection without year or employment");
          continue;
        }
        const int y = static_cast<int>(*year);
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
    return Status::InvalidArgument(
        "lmi-for-all: expected an ASHE \"series\" or Working Futures \"predictedEmployment\"");
  }

 private:
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
    return req;
  }
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeLmiForAllAdapter() { return std::make_unique<LmiForAllAdapter>(); }

}  // namespace signpost::sync
