// Export: reads a feed's records back out of the catalogue as model structs,
// so content-sync's hub mode can publish exactly what the catalogue holds
// and a kiosk can re-import it through the ordinary staged import.
//
// What a feed's export holds: every record the feed owns (opportunities,
// careers, labour-market figures, events, local items, subject links,
// postcodes) plus the providers it owns AND the providers its opportunities
// and events refer to, so that each feed's export imports on its own, in any
// order, into any catalogue. Records come in a stable order (by their
// identity, not by row id), so the same content exports to the same bytes.
//
// Thread safety: uses the catalogue's connection; one thread at a time, like
// Catalogue itself. Reads happen inside one read transaction (a consistent
// snapshot even while another process imports).
#pragma once

#include <string>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/model.h"
#include "signpost/status.h"

namespace signpost::catalogue {

// Receives exported records. A non-ok Status from any call stops the export
// and is returned by ExportFeed.
class RecordVisitor {
 public:
  virtual ~RecordVisitor() = default;
  // owned: the provider belongs to this feed (false: another feed's, or no
  // feed's, provider that this feed's records refer to).
  virtual Status OnProvider(const Provider& p, bool owned) = 0;
  virtual Status OnOpportunity(const Opportunity& o) = 0;
  virtual Status OnCareer(const Career& c) = 0;
  virtual Status OnLabourMarket(const LabourMarketFigure& f) = 0;
  virtual Status OnEvent(const Event& e) = 0;
  virtual Status OnLocalItem(const LocalItem& l) = 0;
  virtual Status OnSubjectLink(const SubjectLink& s) = 0;
  virtual Status OnPostcode(const PostcodePoint& p) = 0;
};

// Feeds holding at least one record (any table), sorted by name. The
// unowned provider pool (feed "") is not a feed.
Result<std::vector<std::string>> ListFeeds(Catalogue& catalogue);

// Visits every record of `feed` (see the header comment for which), in
// this order: providers by id, opportunities by source_id, careers by
// source_id, labour-market figures by (soc, area, metric, year), events by
// source_id, local items by source_id, subject links by (subject, area,
// career), postcodes by postcode.
Status ExportFeed(Catalogue& catalogue, const std::string& feed, RecordVisitor& visitor);

}  // namespace signpost::catalogue
