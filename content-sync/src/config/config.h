// Config: content-sync's part of the kiosk's TOML file
// (/etc/signpost/kiosk.toml by default), parsed with toml++.
//
//   [sync]                      every key optional
//   catalogue = "/var/lib/signpost/catalogue.db"
//   state_file = ""             attempt bookkeeping; "" = sync-state.json beside the catalogue
//   interval_minutes = 360      how often `run` syncs every feed
//   jitter_minutes = 30         random 0..jitter added to each wait (fleet spreading)
//   user_agent_extra = ""       appended to the User-Agent, e.g. "Kirkhaven LA"
//   proxy = ""                  "" = environment (https_proxy...), "none", or a URL
//   ca_file = ""                extra CA certificate (PEM) for HTTPS-inspecting filters
//   ca_path = ""                extra CA directory
//   max_body_mb = 64            largest response body accepted
//   connect_timeout_s = 15
//   low_speed_limit = 100       bytes/s; slower for low_speed_time_s = stalled
//   low_speed_time_s = 30
//   timeout_s = 900             whole request, 0 = none
//   max_redirects = 5
//   max_attempts = 4            tries per request (transient errors only)
//   retry_max_delay_s = 60      backoff cap
//   [[feed]]
//   name = "courses"            required, unique, [A-Za-z0-9_-]
//   kind = "find-a-course"      required, a known adapter kind
//   url = "https://..."         required, http(s):// or file://
//   api_key = "..." | api_key_file = "/etc/signpost/keys/ncs"   (not both)
//   api_key_header = "Ocp-Apim-Subscription-Key"
//   headers = { "X-Version" = "2" }
//   query = ""                  adapter-specific scope
//   page_size = 100             1..10000
//   max_pages = 500             1..100000
//   enabled = true
//
//   [hub]                       only on a hub (content-sync hub build / keygen)
//   output_dir = "/srv/signpost-hub"   the folder a web server / object store serves
//   work_dir = ""               segment cache; "" = <output_dir>.work beside it
//   secret_key_file = "/etc/signpost/hub/signpost-hub.key"   minisign, unencrypted, 0600
//   public_key_file = ""        keygen writes it; "" = secret_key_file with .pub
//   name = "signpost"           shown in manifests
//   valid_days = 14             kiosks refuse a bundle this long after it was built
//   retention = 5               full bundles kept (2..100)
//   zstd_level = 12             1..19
//   delta_max_percent = 50      publish a delta only when smaller than this % of the full bundle
//   [bundles]                   on a kiosk that takes its content from a hub
//   hub_urls = ["https://hub.example/signpost/", ...]   tried in order (mirrors)
//   trusted_keys = ["RWQ..."]   minisign public keys (key rotation: list old and new)
//   trusted_key_files = ["/etc/signpost/hub.pub"]
//   state_file = ""             "" = bundle-state.json beside the catalogue
//
// Other top-level tables ([kiosk], ...) belong to other programs and are
// ignored; unknown keys inside [sync] and [[feed]] are warned about. Errors
// name the field and the line. api_key values never appear in messages.
//
// Thread safety: plain functions and values.
#pragma once

#include <string>
#include <vector>

#include "bundle/minisign.h"
#include "feeds/feed_adapter.h"
#include "net/fetcher.h"
#include "net/http_client.h"
#include "signpost/status.h"

namespace signpost::sync {

inline constexpr const char* kDefaultConfigPath = "/etc/signpost/kiosk.toml";
inline constexpr const char* kDefaultCataloguePath = "/var/lib/signpost/catalogue.db";

struct SyncConfig {
  std::string catalogue = kDefaultCataloguePath;  // the SQLite catalogue
  std::string state_file;                         // "" = beside the catalogue
  // run: when this file appears (the kiosk's technician screen creates it:
  // "Sync now"), sync at once and delete it. "" = "sync-now" beside the catalogue.
  std::string request_file;
  int interval_minutes = 360;  // run: time between syncs
  int jitter_minutes = 30;     // run: random extra wait, 0..jitter
  HttpOptions http;            // transport settings
  RetryPolicy retry;           // retry settings
};

struct HubConfig {
  bool present = false;         // the file has a [hub] table
  std::string output_dir;       // required for hub build
  std::string work_dir;         // "" = <output_dir>.work
  std::string secret_key_file;  // required for hub build / keygen
  std::string public_key_file;  // "" = secret_key_file with its extension replaced by .pub
  std::string name = "signpost";
  int valid_days = 14;
  int retention = 5;
  int zstd_level = 12;
  int delta_max_percent = 50;
};

struct BundlesConfig {
  std::vector<std::string> hub_urls;       // http(s):// or file://, tried in order
  std::vector<bundle::PublicKey> trusted;  // from trusted_keys and trusted_key_files
  std::string state_file;                  // "" = bundle-state.json beside the catalogue
};

struct Config {
  std::string path;  // where it was read from ("" = defaults)
  SyncConfig sync;
  std::vector<FeedSettings> feeds;    // in file order
  HubConfig hub;                      // [hub]
  BundlesConfig bundles;              // [bundles]
  std::vector<std::string> warnings;  // unknown keys etc., for the log
  bool inline_api_keys = false;       // some feed has api_key in the file itself
};

// Parses TOML text. `known_kinds` is the list of adapter kinds accepted for
// `kind` (normally FeedAdapterKinds()). `source` names the file in messages.
Result<Config> ParseConfig(std::string_view toml_text, const std::string& source,
                           const std::vector<std::string>& known_kinds);

// Reads and parses a file. A missing file at the default path gives the
// defaults with no feeds (and a warning); a missing explicit path is an error.
Result<Config> LoadConfig(const std::string& path, bool path_was_given,
                          const std::vector<std::string>& known_kinds);

// Where attempt bookkeeping lives for this config.
std::string StateFilePath(const SyncConfig& sync);
// Where a "sync now" request appears for this config.
std::string RequestFilePath(const SyncConfig& sync);
// "Update from USB": the request (a bundle or folder path, written by the
// kiosk) and the outcome, both beside the sync request file.
std::string ImportRequestFilePath(const SyncConfig& sync);
std::string ImportResultFilePath(const SyncConfig& sync);
// Where a kiosk keeps its bundle bookkeeping / downloads.
std::string BundleStatePath(const Config& config);
std::string BundleDownloadDir(const Config& config);

}  // namespace signpost::sync
