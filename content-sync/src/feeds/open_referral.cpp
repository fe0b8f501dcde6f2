// Open Referral UK (ORUK) services adapter: the list, then each service's
// detail when the list leaves out where and how to reach it.
//
// Format (../shared/feeds/FORMATS.md section 7), confirmed in the
// publisher's OpenAPI and schemas: ORUK 3 / HSDS 3, OpenReferralUK/
// uk-profile (commit 822a58c) schema/openapi.json, schema/compiled/
// service_list.json and service.json; ORUK 1 paging in OpenReferralUK/
// human-services ServiceDirectory.Common/Pagination/Paginator.cs.
//   GET /services?page=N&per_page=S (1-based): ORUK 3 envelope
//     {total_items, total_pages, page_number, size, first_page, last_page,
//     empty, contents[]}; ORUK 1 {totalElements, totalPages, number, size,
//     first, last, content[]}.
//   An ORUK 3 list item (service_list.json) has id, organization_id, name,
//     description, url, email, status, fees, ..., organization: no
//     service_at_locations, contacts or phones. Many v1 feeds abbreviate
//     their list items too (the ORUK validator fetches /services/{id} when
//     an item lacks detail).
//   GET /services/{id} (service.json): service_at_locations[].location
//     {latitude, longitude, addresses[] {address_1, city, region,
//     state_province, postal_code, country, address_type physical|postal|
//     virtual}, phones[]}, contacts[] {phones[] {number}}, phones[] ...; v1
//     uses location.physical_addresses[] {address_1, address_2, city,
//     postal_code}.
//   status: active | inactive | defunct | temporarily closed.
// The samples are the publisher's own examples (official shape, invented
// data). Whether a given council's v1 feed embeds locations in its list
// items is not confirmed per feed: both are handled.
//
// Requests: GET <url>?page=N&per_page=S&<FeedSettings::query>; after each
// list page, one detail request GET <url>/<id> (FeedRequest::may_be_missing)
// for every listed service that came without an address, coordinates or
// phone; then the next list page. Paging stops at the first of last_page
// and total_pages (a server that contradicts itself is not followed past
// either); a list page that names only services earlier pages already
// named is a server ignoring page=: the sync fails (the old data stays)
// rather than fetching the same details again until max_pages. Detail requests are part of the sync
// plan (sync_plan.h): an unchanged directory costs one conditional request per page and per
// service. Paced at one request per 50 ms (no published limit; councils' servers are small).
// Nothing recurses on the feed's nesting: contacts and locations are read one level deep, at most
// kMaxItems of each.
// Mapping (chosen): each service -> one Provider of kind kLocalAuthority, id
// "oruk:<service id>", name = service name (the organisation's name when the
// service has none), website = service url (else the organisation's),
// email, the first phone (service, then its contacts, then its location),
// and the first physical address and coordinates of its locations.
// Services shown as "who can help"; they carry no opportunities. Services
// that are inactive, defunct or temporarily closed are left out (not
// counted as skipped). A listed service whose detail is missing (204, 404,
// 410) is skipped and counted.
// Skipped: no id, no name, invalid UTF-8.
// Thread safety: one thread at a time (paging state).
#include <deque>
#include <unordered_set>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"
#include "feeds/json_stream.h"

namespace signpost::sync {
namespace {

using feeds::JsonReader;
using nlohmann::json;

constexpr std::size_t kMaxItems = 50;  // locations, contacts, phones read per service

bool Closed(const std::string& status) {
  const std::string s = feeds::ToLower(feeds::Trim(status));
  return s == "inactive" || s == "defunct" || s == "temporarily closed" ||
         s == "temporarily_closed" || s == "temporarily-closed";
}

// The first phone number in obj.phones[].
std::string PhoneIn(JsonReader& rd, const json& obj) {
  const json* phones = JsonReader::Child(obj, "phones");
  if (!phones || !phones->is_array()) return {};
  std::size_t n = 0;
  for (const json& p : *phones) {
    if (++n > kMaxItems) break;
    std::string number = std::string(feeds::Trim(rd.Str(p, "number")));
    if (!number.empty()) return number;
  }
  return {};
}

// The service's own phones, then its contacts' (one level: contacts do not
// nest in the format, and a feed that nests them is not followed).
std::string FirstPhone(JsonReader& rd, const json& service) {
  if (std::string n = PhoneIn(rd, service); !n.empty()) return n;
  const json* contacts = JsonReader::Child(service, "contacts");
  if (!contacts || !contacts->is_array()) return {};
  std::size_t n = 0;
  for (const json& c : *contacts) {
    if (++n > kMaxItems) break;
    if (std::string number = PhoneIn(rd, c); !number.empty()) return number;
  }
  return {};
}

std::optional<catalogue::GeoPoint> Point(JsonReader& rd, const json& location) {
  auto lat = rd.Num(location, "latitude");
  auto lon = rd.Num(location, "longitude");
  if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180 &&
      !(*lat == 0 && *lon == 0)) {
    return catalogue::GeoPoint{*lat, *lon};
  }
  return std::nullopt;
}

// The service's locations: service_at_locations[].location, else locations[].
std::vector<const json*> Locations(const json& s) {
  std::vector<const json*> out;
  if (const json* sal = JsonReader::Child(s, "service_at_locations"); sal && sal->is_array()) {
    for (const json& item : *sal) {
      if (out.size() >= kMaxItems) break;
      if (const json* loc = item.is_object() ? JsonReader::Child(item, "location") : nullptr;
          loc && loc->is_object()) {
        out.push_back(loc);
      }
    }
  }
  if (out.empty()) {
    if (const json* locs = JsonReader::Child(s, "locations"); locs && locs->is_array()) {
      for (const json& loc : *locs) {
        if (out.size() >= kMaxItems) break;
        if (loc.is_object()) out.push_back(&loc);
      }
    }
  }
  return out;
}

// The location's physical address (else its first), or nullptr.
const json* AddressOf(JsonReader& rd, const json& location) {
  const json* addresses = JsonReader::Child(location, "physical_addresses");
  if (!addresses) addresses = JsonReader::Child(location, "addresses");
  if (!addresses || !addresses->is_array()) return nullptr;
  const json* chosen = nullptr;
  std::size_t n = 0;
  for (const json& a : *addresses) {
    if (++n > kMaxItems) break;
    if (!a.is_object()) continue;
    const std::string type = feeds::ToLower(rd.Str(a, "address_type"));
    if (type.empty() || type == "physical") return &a;
    if (!chosen && type != "virtual") chosen = &a;
  }
  return chosen;
}

// True when a list item already says where the service is or how to call it.
bool HasDetail(const json& s) {
  JsonReader rd;
  if (!FirstPhone(rd, s).empty()) return true;
  for (const json* loc : Locations(s)) {
    if (AddressOf(rd, *loc) || Point(rd, *loc)) return true;
  }
  return false;
}

class OpenReferralAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "open-referral"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override { return ListRequest(feed, 0); }

  std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int /*page*/) const override {
    if (!pending_.empty()) return DetailRequest(feed, pending_.front());
    if (!more_) return std::nullopt;
    return ListRequest(feed, list_pages_);
  }

  int MinRequestIntervalMs() const override { return 50; }

  std::vector<KeyField> KeyFields() const override {
    const std::string what = "services";
    KeyField reach{"an address or a phone number", what, 0.5,
                   "do the list items lack locations and the /services/{id} details fail?"};
    reach.provider = [](const catalogue::Provider& p) {
      return !p.address.empty() || !p.postcode.empty() || !p.phone.empty();
    };
    KeyField near{"a postcode or map point (for \"near me\")", what, 0.3,
                  "have the location fields changed?"};
    near.provider = [](const catalogue::Provider& p) {
      return !p.postcode.empty() || p.location.has_value();
    };
    return {reach, near};
  }

  Status ParsePayload(const Payload& payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) {
      pending_.clear();
      listed_ids_.clear();
      list_pages_ = 0;
      more_ = false;
    }
    if (page > 0 && !pending_.empty()) {  // the detail NextRequest asked for
      const std::string id = pending_.front();
      pending_.pop_front();
      return ParseDetail(payload, id, out);
    }
    return ParseList(payload, page, out);
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    return ParsePayload(Payload::Borrow(payload), page, out);
  }

 private:
  static FeedRequest ListRequest(const FeedSettings& feed, int list_page) {
    const int size = feed.page_size > 0 ? feed.page_size : 50;
    std::string q = "page=" + std::to_string(list_page + 1) + "&per_page=" + std::to_string(size);
    for (const auto& [k, v] : feeds::ParseQueryPairs(feed.query)) {
      if (!k.empty()) q += "&" + feeds::UrlEncode(k) + "=" + feeds::UrlEncode(v);
    }
    FeedRequest req;
    req.url = feeds::AppendQuery(feed.url, q);
    return req;
  }

  static FeedRequest DetailRequest(const FeedSettings& feed, const std::string& id) {
    std::string base = feed.url.substr(0, feed.url.find_first_of("?#"));
    while (!base.empty() && base.back() == '/') base.pop_back();
    FeedRequest req;
    req.url = base + "/" + feeds::UrlEncode(id);
    req.may_be_missing = true;
    return req;
  }

  Status ParseList(const Payload& payload, int page, catalogue::FeedImport& out) {
    more_ = false;
    ++list_pages_;
    feeds::JsonEnvelope envelope;
    std::int64_t listed = 0, new_ids = 0;
    Status s = feeds::StreamJsonRecords(
        payload, {false, {"contents", "content"}},
        [&](std::int64_t index, const json& item) {
          ++listed;
          if (ListItem(item, page, index, out)) ++new_ids;
        },
        &envelope);
    if (!s.ok()) return Status::InvalidArgument("open-referral: " + s.message());
    if (list_pages_ > 1 && listed > 0 && new_ids == 0) {
      return Status::InvalidArgument(
          "open-referral: list page " + std::to_string(list_pages_) +
          " names only services earlier pages named: the server ignores page= (nothing imported)");
    }
    if (!envelope.found_records) {
      // A single service (GET /services/{id}) given on its own, e.g. to
      // `content-sync validate`.
      if (page == 0 && envelope.top == '{' && envelope.scalars.contains("id") &&
          envelope.scalars.contains("name")) {
        return ParseDetail(payload, "", out);
      }
      return Status::InvalidArgument(
          "open-referral: the response has no \"contents\" (or v1 \"content\") array of services");
    }
    JsonReader rd;
    std::optional<bool> last = rd.Bool(envelope.scalars, "last_page");
    if (!last) last = rd.Bool(envelope.scalars, "last");
    std::optional<double> total_pages = rd.Num(envelope.scalars, "total_pages");
    if (!total_pages) total_pages = rd.Num(envelope.scalars, "totalPages");
    if (listed > 0 && (last || total_pages)) {
      more_ = (!last || !*last) &&
              (!total_pages ||
               list_pages_ < feeds::ClampInt(*total_pages, 0, std::numeric_limits<int>::max()));
    }
    return Status::Ok();
  }

  // True when the item names a service no earlier item of this sync named.
  bool ListItem(const json& s, int page, std::int64_t index, catalogue::FeedImport& out) {
    const std::string where =
        "open-referral: page " + std::to_string(page) + " service " + std::to_string(index);
    if (!s.is_object()) {
      out.Skip(where + ": not an object");
      return false;
    }
    JsonReader rd;
    const std::string id = std::string(feeds::Trim(rd.Str(s, "id")));
    const bool is_new = !id.empty() && listed_ids_.insert(id).second;
    if (Closed(rd.Str(s, "status"))) return is_new;
    if (id.empty()) {
      out.Skip(where + ": missing id");
      return false;
    }
    if (!HasDetail(s)) {
      // Where and how to reach it: from /services/{id}, once per sync (a
      // repeat goes to the import, which counts it as a duplicate).
      if (is_new) {
        pending_.push_back(id);
      } else {
        AddService(s, where, id, out);
      }
      return is_new;
    }
    AddService(s, where, id, out);
    return is_new;
  }

  Status ParseDetail(const Payload& payload, const std::string& id, catalogue::FeedImport& out) {
    const std::string where = "open-referral: service " + (id.empty() ? "detail" : id);
    if (payload.empty()) {
      out.Skip(where + ": listed, but its detail is gone (the directory answered with no content)");
      return Status::Ok();
    }
    std::string error;
    std::optional<json> doc = feeds::ParseJsonDocument(payload, &error);
    if (!doc || !doc->is_object()) {
      // One broken detail: skip that service, keep the rest.
      out.Skip(where + ": " + (doc ? std::string("not a service") : error));
      return Status::Ok();
    }
    JsonReader rd;
    if (Closed(rd.Str(*doc, "status"))) return Status::Ok();
    std::string detail_id = std::string(feeds::Trim(rd.Str(*doc, "id")));
    if (detail_id.empty()) detail_id = id;
    if (detail_id.empty()) {
      out.Skip(where + ": missing id");
      return Status::Ok();
    }
    AddService(*doc, where, detail_id, out);
    return Status::Ok();
  }

  static void AddService(const json& s, const std::string& where, const std::string& id,
                         catalogue::FeedImport& out) {
    JsonReader rd;
    catalogue::Provider p;
    p.id = "oruk:" + id;
    p.kind = catalogue::ProviderKind::kLocalAuthority;
    p.name = feeds::DecodeHtmlEntities(feeds::Trim(rd.Str(s, "name")));
    const json* org = JsonReader::Child(s, "organization");
    if (p.name.empty() && org) p.name = feeds::DecodeHtmlEntities(rd.Str(*org, "name"));
    if (p.name.empty()) return out.Skip(where + " (" + id + "): missing name");
    p.website = std::string(feeds::Trim(rd.Str(s, "url")));
    if (p.website.empty() && org) p.website = std::string(feeds::Trim(rd.Str(*org, "website")));
    p.email = std::string(feeds::Trim(rd.Str(s, "email")));
    p.phone = FirstPhone(rd, s);
    for (const json* loc : Locations(s)) {
      const json* a = AddressOf(rd, *loc);
      const auto point = Point(rd, *loc);
      if (!a && !point) continue;
      if (a) {
        p.address = feeds::DecodeHtmlEntities(
            feeds::JoinNonEmpty({rd.Str(*a, "address_1"), rd.Str(*a, "address_2")}, ", "));
        p.town = feeds::DecodeHtmlEntities(feeds::Trim(rd.Str(*a, "city")));
        p.postcode = std::string(feeds::Trim(rd.Str(*a, "postal_code")));
      }
      p.location = point;
      if (p.phone.empty()) p.phone = PhoneIn(rd, *loc);
      break;
    }
    if (rd.bad_utf8) return out.Skip(where + " (" + id + "): invalid UTF-8 in " + rd.bad_field);
    (void)out.AddProvider(p);
  }

  std::deque<std::string> pending_;  // service ids whose detail is still to fetch
  std::unordered_set<std::string>
      listed_ids_;      // ids the list pages named (the record cap bounds it)
  int list_pages_ = 0;  // list pages parsed in this sync
  bool more_ = false;   // the last list page said more follow
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeOpenReferralAdapter() {
  return std::make_unique<OpenReferralAdapter>();
}

}  // namespace signpost::sync
