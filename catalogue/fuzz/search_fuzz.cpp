// libFuzzer target: whatever a person types, search returns results or none,
// never an error, a crash or a hang. Built with the `fuzz` preset.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "signpost/catalogue.h"
#include "signpost/search.h"

using namespace signpost;
using namespace signpost::catalogue;

namespace {

struct Fixture {
  std::unique_ptr<Catalogue> cat;
  std::unique_ptr<SearchEngine> engine;
  Fixture() {
    char tmpl[] = "/tmp/signpost-search-fuzz-XXXXXX";
    const std::string dir = mkdtemp(tmpl);
    cat = std::move(Catalogue::Open(dir + "/c.db").value());
    auto imp = std::move(cat->BeginImport("courses").value());
    Provider p;
    p.id = "p";
    p.name = "Northgate College";
    p.location = GeoPoint{53.8, -1.55};
    imp->AddProvider(p);
    const char* titles[] = {"Plumbing",      "Café skills", "BEng Engineering", "T Level in Health",
                            "Motor vehicle", "Cymraeg",     "Hair and beauty",  "Électricité"};
    for (int i = 0; i < 64; ++i) {
      Opportunity o;
      o.source_id = std::to_string(i);
      o.title = std::string(titles[i % 8]) + " " + std::to_string(i);
      o.provider_id = "p";
      o.route = kAllRoutes[i % kRouteCount];
      o.level = i % 9;
      o.description = "Learn practical skills and progress to work.";
      imp->AddOpportunity(o);
    }
    if (!imp->Commit().ok()) std::abort();
    engine = std::move(SearchEngine::Create(cat.get()).value());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  static Fixture f;
  if (size == 0) return 0;
  SearchRequest req;
  req.routes = data[0] & 0x0f;
  req.levels = static_cast<std::uint16_t>((data[0] >> 4) * 37);
  req.text.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  auto r = f.engine->Search(req);
  if (!r.ok()) {
    std::fprintf(stderr, "search failed: %s\n", r.status().ToString().c_str());
    std::abort();
  }
  if (r->size() > 64) std::abort();
  if (!f.engine->Summaries(r->Rows(0, 10)).ok()) std::abort();
  return 0;
}
