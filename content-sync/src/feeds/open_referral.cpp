// Open Referral UK (ORUK) /services adapter.
//
// Format: HSDS 3 / ORUK 3 list envelope confirmed in openreferral/specification
// docs/hsds/api_reference.md ("total_items", "total_pages", "page_number",
// "size", "first_page", "last_page", "empty", then the entity array) and
// examples/service_list.json ("contents": services with id, name,
// description, url, email, status, organization {id, name, website, ...});
// location fields from examples/location.json (name, latitude, longitude,
// addresses[] {address_1, address_2, city, region, postal_code,
// address_type "physical"|"postal"}, phones[] {number}).
// The older ORUK v1 API (still served by many councils) could NOT be
// confirmed in the stored sources: it is read from memory as a Spring page
// ({"totalElements", "totalPages", "number", "size", "first", "last",
// "content"}) whose services carry service_at_locations[].location with
// physical_addresses[] {address_1, city, postal_code}; both shapes are
// accepted.
//
// Requests: GET <url>?page=N&per_page=S (1-based page) + FeedSettings::query
// (e.g. "taxonomy_id=..." to select youth services).
// Mapping (chosen): each service -> one Provider of kind kLocalAuthority, id
// "oruk:<service id>", name = service name (the organisation's name when the
// service has none), website = service url (else the organisation's),
// email, first phone, and the first physical address / coordinates of its
// first location. Nothing else: services are shown as "who can help" and
// carry no opportunities. Inactive/defunct services are left out (not
// counted as skipped).
// Skipped: no id, no name, invalid UTF-8.
// Thread safety: one thread at a time (paging state).
#include "feeds/adapters.h"
#include "feeds/feed_util.h"

namespace signpost::sync {
namespace {

using feeds::JsonReader;
using nlohmann::json;

class OpenReferralAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "open-referral"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override { return RequestFor(feed, 0); }

  std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int page) const override {
    if (!more_) return std::nullopt;
    return RequestFor(feed, page + 1);
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    more_ = false;
    std::string error;
    std::optional<json> doc = feeds::ParseJsonPayload(payload, &error);
    if (!doc) return Status::InvalidArgument("open-referral: " + error);
    const json* list = nullptr;
    if (doc->is_object()) {
      list = JsonReader::Child(*doc, "contents");
      if (!list) list = JsonReader::Child(*doc, "content");
    }
    if (!list || !list->is_array()) {
      return Status::InvalidArgument(
          "open-referral: the response has no \"contents\" (or v1 \"content\") array of services");
    }
    int index = 0;
    for (const json& s : *list) ParseService(s, page, index++, out);

    JsonReader rd;
    std::optional<bool> last = rd.Bool(*doc, "last_page");
    if (!last) last = rd.Bool(*doc, "last");
    std::optional<double> total_pages = rd.Num(*doc, "total_pages");
    if (!total_pages) total_pages = rd.Num(*doc, "totalPages");
    if (list->empty()) {
      more_ = false;
    } else if (last) {
      more_ = !*last;
    } else if (total_pages) {
      more_ = page + 1 < *total_pages;
    }
    return Status::Ok();
  }

 private:
  static FeedRequest RequestFor(const FeedSettings& feed, int page) {
    const int size = feed.page_size > 0 ? feed.page_size : 50;
    std::string q = "page=" + std::to_string(page + 1) + "&per_page=" + std::to_string(size);
    for (const auto& [k, v] : feeds::ParseQueryPairs(feed.query)) {
      if (!k.empty()) q += "&" + feeds::UrlEncode(k) + "=" + feeds::UrlEncode(v);
    }
    FeedRequest req;
    req.url = feeds::AppendQuery(feed.url, q);
    return req;
  }

  static std::string FirstPhone(JsonReader& rd, const json& obj) {
    if (const json* phones = JsonReader::Child(obj, "phones"); phones && phones->is_array()) {
      for (const json& p : *phones) {
        std::string n = rd.Str(p, "number");
        if (!n.empty()) return n;
      }
    }
    if (const json* contacts = JsonReader::Child(obj, "contacts");
        contacts && contacts->is_array()) {
      for (const json& c : *contacts) {
        std::string n = FirstPhone(rd, c);
        if (!n.empty()) return n;
      }
    }
    return {};
  }

  static void Address(JsonReader& rd, const json& location, catalogue::Provider& p) {
    const json* addresses = JsonReader::Child(location, "physical_addresses");
    if (!addresses) addresses = JsonReader::Child(location, "addresses");
    if (addresses && addresses->is_array()) {
      const json* chosen = nullptr;
      for (const json& a : *addresses) {
        if (!a.is_object()) continue;
        const std::string type = rd.Str(a, "address_type");
        if (type.empty() || type == "physical") {
          chosen = &a;
          break;
        }
        if (!chosen) chosen = &a;
      }
      if (chosen) {
        p.address =
            feeds::JoinNonEmpty({rd.Str(*chosen, "address_1"), rd.Str(*chosen, "address_2")}, ", ");
        p.town = rd.Str(*chosen, "city");
        p.postcode = rd.Str(*chosen, "postal_code");
      }
    }
    auto lat = rd.Num(location, "latitude");
    auto lon = rd.Num(location, "longitude");
    if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180 &&
        !(*lat == 0 && *lon == 0)) {
      p.location = catalogue::GeoPoint{*lat, *lon};
    }
  }

  static void ParseService(const json& s, int page, int index, catalogue::FeedImport& out) {
    const std::string where =
        "open-referral: page " + std::to_string(page) + " service " + std::to_string(index);
    if (!s.is_object()) return out.Skip(where + ": not an object");
    JsonReader rd;
    const std::string status = rd.Str(s, "status");
    if (status == "inactive" || status == "defunct") return;
    const std::string id = rd.Str(s, "id");
    if (id.empty()) return out.Skip(where + ": missing id");
    catalogue::Provider p;
    p.id = "oruk:" + id;
    p.kind = catalogue::ProviderKind::kLocalAuthority;
    p.name = rd.Str(s, "name");
    const json* org = JsonReader::Child(s, "organization");
    if (p.name.empty() && org) p.name = rd.Str(*org, "name");
    if (p.name.empty()) return out.Skip(where + " (" + id + "): missing name");
    p.website = rd.Str(s, "url");
    if (p.website.empty() && org) p.website = rd.Str(*org, "website");
    p.email = rd.Str(s, "email");
    p.phone = FirstPhone(rd, s);
    const json* first_location = nullptr;
    if (const json* sal = JsonReader::Child(s, "service_at_locations"); sal && sal->is_array()) {
      for (const json& item : *sal) {
        if (const json* loc = item.is_object() ? JsonReader::Child(item, "location") : nullptr) {
          first_location = loc;
          break;
        }
      }
    }
    if (!first_location) {
      if (const json* locs = JsonReader::Child(s, "locations");
          locs && locs->is_array() && !locs->empty()) {
        if ((*locs)[0].is_object()) first_location = &(*locs)[0];
      }
    }
    if (first_location && first_location->is_object()) {
      Address(rd, *first_location, p);
      if (p.phone.empty()) p.phone = FirstPhone(rd, *first_location);
    }
    if (rd.bad_utf8) return out.Skip(where + " (" + id + "): invalid UTF-8 in " + rd.bad_field);
    (void)out.AddProvider(p);
  }

  bool more_ = false;  // the last page said more follow
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeOpenReferralAdapter() {
  return std::make_unique<OpenReferralAdapter>();
}

}  // namespace signpost::sync
