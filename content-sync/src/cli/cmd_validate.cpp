// `content-sync validate --kind KIND FILE...`: parses payloads with the
// feed's adapter and prints what would be imported, and the field coverage
// (how many records have each key field; field_coverage.h), so an operator
// can check a new feed before configuring it; imports nothing. A payload
// whose key fields are mostly missing still validates (exit 0) but says
// "degraded: ..." as a sync would.
#include <iostream>

#include "cli/command.h"
#include "feeds/counting_import.h"
#include "net/fetcher.h"

namespace signpost::sync::cli {

int CmdValidate(Context& ctx) {
  if (ctx.args.positional.empty()) {
    *ctx.err << "content-sync: validate needs a FILE (and --kind KIND)\n";
    return kExitUsage;
  }
  std::string kind = ctx.args.kind;
  if (kind.empty() && ctx.args.positional[0].ends_with(".ics")) kind = "icalendar";
  if (kind.empty()) {
    *ctx.err << "content-sync: validate needs --kind (one of:";
    for (const auto& k : Kinds(ctx.env)) *ctx.err << " " << k;
    *ctx.err << ")\n";
    return kExitUsage;
  }
  std::unique_ptr<FeedAdapter> adapter =
      ctx.env.adapters ? ctx.env.adapters(kind) : MakeFeedAdapter(kind);
  if (!adapter) {
    *ctx.err << "content-sync: unknown kind \"" << kind << "\"\n";
    return kExitUsage;
  }
  CountingImport counter;
  CoverageImport counted(counter, adapter->KeyFields());
  int page = 0;
  for (const auto& file : ctx.args.positional) {
    auto payload = Payload::FromFile(file);
    if (!payload.ok()) {
      *ctx.err << "content-sync: " << payload.status().message() << "\n";
      return kExitUsage;
    }
    if (LooksLikeHtml("", BodyHead(payload.value()))) {
      *ctx.out << file << ": an HTML page, not a " << kind
               << " payload (a captive portal or login page?)\n";
      return kExitPayloadRejected;
    }
    Status st = adapter->ParsePayload(payload.value(), page++, counted);
    if (!st.ok()) {
      *ctx.out << file << ": rejected: " << st.message() << "\n";
      return kExitPayloadRejected;
    }
  }
  *ctx.out << "kind: " << kind << ", pages: " << page << "\n";
  for (const auto& [type, n] : counter.counts()) *ctx.out << "  " << type << ": " << n << "\n";
  *ctx.out << "  skipped: " << counter.skipped() << "\n";
  if (!counter.problems().empty()) {
    *ctx.out << "first skip reasons:\n";
    for (std::size_t i = 0; i < counter.problems().size() && i < 10; ++i) {
      *ctx.out << "  - " << counter.problems()[i] << "\n";
    }
  }
  // Field coverage: what an operator checks before configuring a new feed.
  const FieldCoverage coverage = counted.coverage();
  if (!coverage.fields.empty()) *ctx.out << "field coverage:\n" << coverage.Table();
  const std::string degraded = coverage.Degraded(kind);
  if (!degraded.empty()) *ctx.out << "degraded: " << degraded << "\n";
  // What a sync would ask for next (a detail, the next page), with the
  // feed's URL left as FEED_URL.
  FeedSettings placeholder;
  placeholder.kind = kind;
  placeholder.url = "FEED_URL";
  const std::optional<FeedRequest> next = adapter->NextRequest(placeholder, page - 1);
  if (next) *ctx.out << "a sync would request next: " << next->method << " " << next->url << "\n";
  if (counter.staged() == 0) {
    if (next && next->may_be_missing) {
      // An Open Referral list whose services come from their details.
      *ctx.out << "no records yet: they come from the detail requests a sync makes next\n";
      return kExitOk;
    }
    *ctx.out << "no records would be imported\n";
    return kExitPayloadRejected;
  }
  *ctx.out << "ok: " << counter.staged() << " records would be imported\n";
  return kExitOk;
}

}  // namespace signpost::sync::cli
