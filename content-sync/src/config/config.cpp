// Config parsing with toml++. Index:
//   [SECTION] Field readers (typed, range-checked, with line numbers)
//   [SECTION] [sync]
//   [SECTION] [[feed]]
//   [SECTION] Loading
#include "config/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace signpost::sync {
namespace {

// Thrown inside this file only, caught in ParseConfig.
struct ConfigError {
  std::string message;
};

// [SECTION] Field readers ---------------------------------------------------------

class Reader {
 public:
  Reader(std::string source, std::vector<std::string>* warnings)
      : source_(std::move(source)), warnings_(warnings) {}

  std::string Where(const toml::node& n) const {
    const auto& begin = n.source().begin;
    if (begin.line == 0) return source_;
    return source_ + ":" + std::to_string(begin.line);
  }
  [[noreturn]] void Fail(const toml::node& n, const std::string& field, const std::string& what) {
    throw ConfigError{Where(n) + ": " + field + ": " + what};
  }
  void Warn(const toml::node& n, const std::string& what) {
    warnings_->push_back(Where(n) + ": " + what);
  }

  std::string String(const toml::node& n, const std::string& field) {
    if (!n.is_string()) Fail(n, field, std::string("must be a string, not ") + TypeName(n));
    return std::string(n.as_string()->get());
  }
  bool Bool(const toml::node& n, const std::string& field) {
    if (!n.is_boolean()) Fail(n, field, std::string("must be true or false, not ") + TypeName(n));
    return n.as_boolean()->get();
  }
  std::int64_t Int(const toml::node& n, const std::string& field, std::int64_t lo,
                   std::int64_t hi) {
    if (!n.is_integer()) {
      Fail(n, field, std::string("must be a whole number, not ") + TypeName(n));
    }
    const std::int64_t v = n.as_integer()->get();
    if (v < lo || v > hi) {
      Fail(n, field,
           std::to_string(v) + " is out of range (" + std::to_string(lo) + ".." +
               std::to_string(hi) + ")");
    }
    return v;
  }

 private:
  static const char* TypeName(const toml::node& n) {
    switch (n.type()) {
      case toml::node_type::string:
        return "a string";
      case toml::node_type::integer:
        return "a number";
      case toml::node_type::floating_point:
        return "a decimal number";
      case toml::node_type::boolean:
        return "a boolean";
      case toml::node_type::table:
        return "a table";
      case toml::node_type::array:
        return "an array";
      default:
        return "a date/time";
    }
  }
  std::string source_;
  std::vector<std::string>* warnings_;
};

using Handlers = std::map<std::string, std::function<void(const toml::node&)>>;

void Dispatch(Reader& r, const toml::table& table, const std::string& prefix,
              const Handlers& handlers) {
  for (auto&& [key, node] : table) {
    const std::string name(key.str());
    auto it = handlers.find(name);
    if (it == handlers.end()) {
      r.Warn(node, "unknown key " + prefix + name + " (ignored)");
      continue;
    }
    it->second(node);
  }
}

// [SECTION] [sync] ---------------------------------------------------------------------

void ReadSync(Reader& r, const toml::table& t, SyncConfig& s) {
  const Handlers h = {
      {"catalogue", [&](const toml::node& n) { s.catalogue = r.String(n, "sync.catalogue"); }},
      {"state_file", [&](const toml::node& n) { s.state_file = r.String(n, "sync.state_file"); }},
      {"request_file",
       [&](const toml::node& n) { s.request_file = r.String(n, "sync.request_file"); }},
      {"interval_minutes",
       [&](const toml::node& n) {
         s.interval_minutes = static_cast<int>(r.Int(n, "sync.interval_minutes", 5, 7 * 24 * 60));
       }},
      {"jitter_minutes",
       [&](const toml::node& n) {
         s.jitter_minutes = static_cast<int>(r.Int(n, "sync.jitter_minutes", 0, 24 * 60));
       }},
      {"user_agent_extra",
       [&](const toml::node& n) {
         s.http.user_agent_extra = r.String(n, "sync.user_agent_extra");
         if (s.http.user_agent_extra.find_first_of("\r\n") != std::string::npos) {
           r.Fail(n, "sync.user_agent_extra", "must be one line");
         }
       }},
      {"proxy", [&](const toml::node& n) { s.http.proxy = r.String(n, "sync.proxy"); }},
      {"ca_file",
       [&](const toml::node& n) {
         s.http.ca_file = r.String(n, "sync.ca_file");
         std::error_code ec;
         if (!s.http.ca_file.empty() && !std::filesystem::is_regular_file(s.http.ca_file, ec)) {
           r.Fail(n, "sync.ca_file", "no such file: " + s.http.ca_file);
         }
       }},
      {"ca_path",
       [&](const toml::node& n) {
         s.http.ca_path = r.String(n, "sync.ca_path");
         std::error_code ec;
         if (!s.http.ca_path.empty() && !std::filesystem::is_directory(s.http.ca_path, ec)) {
           r.Fail(n, "sync.ca_path", "no such directory: " + s.http.ca_path);
         }
       }},
      {"max_body_mb",
       [&](const toml::node& n) {
         s.http.max_body_bytes = r.Int(n, "sync.max_body_mb", 1, 4096) << 20;
       }},
      {"connect_timeout_s",
       [&](const toml::node& n) {
         s.http.connect_timeout_ms =
             static_cast<long>(r.Int(n, "sync.connect_timeout_s", 1, 600)) * 1000;
       }},
      {"low_speed_limit",
       [&](const toml::node& n) {
         s.http.low_speed_limit = static_cast<long>(r.Int(n, "sync.low_speed_limit", 0, 1 << 30));
       }},
      {"low_speed_time_s",
       [&](const toml::node& n) {
         s.http.low_speed_time_s = static_cast<long>(r.Int(n, "sync.low_speed_time_s", 0, 3600));
       }},
      {"timeout_s",
       [&](const toml::node& n) {
         s.http.total_timeout_s = static_cast<long>(r.Int(n, "sync.timeout_s", 0, 86400));
       }},
      {"max_redirects",
       [&](const toml::node& n) {
         s.http.max_redirects = static_cast<long>(r.Int(n, "sync.max_redirects", 0, 50));
       }},
      {"max_attempts",
       [&](const toml::node& n) {
         s.retry.max_attempts = static_cast<int>(r.Int(n, "sync.max_attempts", 1, 20));
       }},
      {"retry_max_delay_s",
       [&](const toml::node& n) {
         s.retry.max_delay = std::chrono::seconds(r.Int(n, "sync.retry_max_delay_s", 1, 3600));
       }},
  };
  Dispatch(r, t, "sync.", h);
}

// [SECTION] [[feed]] ----------------------------------------------------------------------

bool ValidName(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool ValidHeaderName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

std::string ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string key = ss.str();
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.front()))) key.erase(0, 1);
  return key;
}

FeedSettings ReadFeed(Reader& r, const toml::table& t, int index,
                      const std::vector<std::string>& known_kinds, bool* inline_key) {
  FeedSettings f;
  const std::string p = "feed[" + std::to_string(index) + "].";
  const toml::node* api_key_node = nullptr;
  const toml::node* api_key_file_node = nullptr;
  std::string api_key_file;
  const Handlers h = {
      {"name", [&](const toml::node& n) { f.name = r.String(n, p + "name"); }},
      {"kind", [&](const toml::node& n) { f.kind = r.String(n, p + "kind"); }},
      {"url", [&](const toml::node& n) { f.url = r.String(n, p + "url"); }},
      {"api_key",
       [&](const toml::node& n) {
         api_key_node = &n;
         if (!n.is_string()) r.Fail(n, p + "api_key", "must be a string");  // value not echoed
         f.api_key = std::string(n.as_string()->get());
       }},
      {"api_key_file",
       [&](const toml::node& n) {
         api_key_file_node = &n;
         api_key_file = r.String(n, p + "api_key_file");
       }},
      {"api_key_header",
       [&](const toml::node& n) {
         f.api_key_header = r.String(n, p + "api_key_header");
         if (!ValidHeaderName(f.api_key_header)) {
           r.Fail(n, p + "api_key_header", "not a valid header name");
         }
       }},
      {"headers",
       [&](const toml::node& n) {
         const toml::table* ht = n.as_table();
         if (ht == nullptr)
           r.Fail(n, p + "headers", "must be a table, e.g. { \"X-Version\" = \"2\" }");
         for (auto&& [k, v] : *ht) {
           const std::string name(k.str());
           if (!ValidHeaderName(name)) r.Fail(v, p + "headers", "bad header name \"" + name + "\"");
           std::string value = r.String(v, p + "headers." + name);
           if (value.find_first_of("\r\n") != std::string::npos) {
             r.Fail(v, p + "headers." + name, "must be one line");
           }
           f.extra_headers.emplace_back(name, std::move(value));
         }
       }},
      {"query", [&](const toml::node& n) { f.query = r.String(n, p + "query"); }},
      {"page_size",
       [&](const toml::node& n) {
         f.page_size = static_cast<int>(r.Int(n, p + "page_size", 1, 10000));
       }},
      {"max_pages",
       [&](const toml::node& n) {
         f.max_pages = static_cast<int>(r.Int(n, p + "max_pages", 1, 100000));
       }},
      {"enabled", [&](const toml::node& n) { f.enabled = r.Bool(n, p + "enabled"); }},
      {"allow_empty", [&](const toml::node& n) { f.allow_empty = r.Bool(n, p + "allow_empty"); }},
      {"max_body_mb",
       [&](const toml::node& n) { f.max_body_bytes = r.Int(n, p + "max_body_mb", 1, 4096) << 20; }},
  };
  Dispatch(r, t, p, h);

  const std::string label = f.name.empty() ? p.substr(0, p.size() - 1) : "feed \"" + f.name + "\"";
  if (f.name.empty()) r.Fail(t, label, "name is required");
  if (!ValidName(f.name)) {
    r.Fail(t, label, "name may only use letters, digits, '-' and '_' (at most 64)");
  }
  if (f.kind.empty()) r.Fail(t, label + " kind", "is required");
  if (std::find(known_kinds.begin(), known_kinds.end(), f.kind) == known_kinds.end()) {
    std::string list;
    for (const auto& k : known_kinds) list += (list.empty() ? "" : ", ") + k;
    r.Fail(t, label + " kind", "unknown kind \"" + f.kind + "\" (known: " + list + ")");
  }
  if (f.url.empty()) r.Fail(t, label + " url", "is required");
  if (!f.url.starts_with("https://") && !f.url.starts_with("http://") &&
      !f.url.starts_with("file://")) {
    r.Fail(t, label + " url", "must start with https://, http:// or file://");
  }
  if (api_key_node != nullptr && api_key_file_node != nullptr) {
    r.Fail(*api_key_file_node, label, "give api_key or api_key_file, not both");
  }
  if (api_key_node != nullptr) *inline_key = true;
  if (api_key_file_node != nullptr) {
    f.api_key = ReadKeyFile(api_key_file);
    if (f.api_key.empty()) {
      r.Fail(*api_key_file_node, label + " api_key_file",
             "cannot read a key from " + api_key_file + " (missing, unreadable or empty)");
    }
  }
  if (f.api_key.find_first_of("\r\n") != std::string::npos) {
    r.Fail(api_key_node != nullptr ? *api_key_node : t, label + " api_key", "must be one line");
  }
  if (!f.api_key.empty() && f.api_key_header.empty()) {
    r.Fail(t, label + " api_key_header",
           "is required with an API key (e.g. \"Ocp-Apim-Subscription-Key\")");
  }
  return f;
}

// [SECTION] [hub], [bundles] ---------------------------------------------------------------

void ReadHub(Reader& r, const toml::table& t, HubConfig& h) {
  h.present = true;
  const Handlers handlers = {
      {"output_dir", [&](const toml::node& n) { h.output_dir = r.String(n, "hub.output_dir"); }},
      {"work_dir", [&](const toml::node& n) { h.work_dir = r.String(n, "hub.work_dir"); }},
      {"secret_key_file",
       [&](const toml::node& n) { h.secret_key_file = r.String(n, "hub.secret_key_file"); }},
      {"public_key_file",
       [&](const toml::node& n) { h.public_key_file = r.String(n, "hub.public_key_file"); }},
      {"name",
       [&](const toml::node& n) {
         h.name = r.String(n, "hub.name");
         if (h.name.empty() || h.name.find_first_of("\r\n\t") != std::string::npos) {
           r.Fail(n, "hub.name", "must be one non-empty line");
         }
       }},
      {"valid_days",
       [&](const toml::node& n) {
         h.valid_days = static_cast<int>(r.Int(n, "hub.valid_days", 1, 366));
       }},
      {"retention",
       [&](const toml::node& n) {
         h.retention = static_cast<int>(r.Int(n, "hub.retention", 2, 100));
       }},
      {"zstd_level",
       [&](const toml::node& n) {
         h.zstd_level = static_cast<int>(r.Int(n, "hub.zstd_level", 1, 19));
       }},
      {"delta_max_percent",
       [&](const toml::node& n) {
         h.delta_max_percent = static_cast<int>(r.Int(n, "hub.delta_max_percent", 0, 100));
       }},
  };
  Dispatch(r, t, "hub.", handlers);
}

std::vector<std::string> StringList(Reader& r, const toml::node& n, const std::string& field) {
  const toml::array* arr = n.as_array();
  if (arr == nullptr) r.Fail(n, field, "must be a list of strings, e.g. [\"...\"]");
  std::vector<std::string> out;
  for (const toml::node& item : *arr) out.push_back(r.String(item, field));
  return out;
}

void ReadBundles(Reader& r, const toml::table& t, BundlesConfig& b) {
  const Handlers handlers = {
      {"hub_urls",
       [&](const toml::node& n) {
         b.hub_urls = StringList(r, n, "bundles.hub_urls");
         for (const auto& u : b.hub_urls) {
           if (!u.starts_with("https://") && !u.starts_with("http://") &&
               !u.starts_with("file://")) {
             r.Fail(n, "bundles.hub_urls",
                    "\"" + u + "\" must start with https://, http:// or file://");
           }
         }
       }},
      {"trusted_keys",
       [&](const toml::node& n) {
         const auto keys = StringList(r, n, "bundles.trusted_keys");
         for (std::size_t i = 0; i < keys.size(); ++i) {
           auto pk = bundle::ParsePublicKey(keys[i]);
           if (!pk.ok()) {
             r.Fail(n, "bundles.trusted_keys[" + std::to_string(i) + "]", pk.status().message());
           }
           b.trusted.push_back(pk.value());
         }
       }},
      {"trusted_key_files",
       [&](const toml::node& n) {
         for (const auto& path : StringList(r, n, "bundles.trusted_key_files")) {
           // A missing key file is a warning, not a broken config: feeds still
           // sync, and bundles signed by that key are refused with a message.
           auto pk = bundle::ReadPublicKeyFile(path);
           if (!pk.ok()) {
             r.Warn(n, "bundles.trusted_key_files: " + pk.status().message() +
                           " (bundles signed by that key will be refused)");
             continue;
           }
           b.trusted.push_back(pk.value());
         }
       }},
      {"state_file",
       [&](const toml::node& n) { b.state_file = r.String(n, "bundles.state_file"); }},
  };
  Dispatch(r, t, "bundles.", handlers);
}

}  // namespace

// [SECTION] Loading ---------------------------------------------------------------------------

Result<Config> ParseConfig(std::string_view toml_text, const std::string& source,
                           const std::vector<std::string>& known_kinds) {
  Config config;
  config.path = source;
  Reader r(source, &config.warnings);
  try {
    toml::table root = toml::parse(toml_text, source);
    if (const toml::node* sync = root.get("sync")) {
      if (!sync->is_table()) r.Fail(*sync, "sync", "must be a table ([sync])");
      ReadSync(r, *sync->as_table(), config.sync);
    }
    if (const toml::node* hub = root.get("hub")) {
      if (!hub->is_table()) r.Fail(*hub, "hub", "must be a table ([hub])");
      ReadHub(r, *hub->as_table(), config.hub);
    }
    if (const toml::node* bundles = root.get("bundles")) {
      if (!bundles->is_table()) r.Fail(*bundles, "bundles", "must be a table ([bundles])");
      ReadBundles(r, *bundles->as_table(), config.bundles);
    }
    if (const toml::node* feeds = root.get("feed")) {
      const toml::array* arr = feeds->as_array();
      if (arr == nullptr) r.Fail(*feeds, "feed", "must be an array of tables ([[feed]])");
      std::set<std::string> names;
      int index = 0;
      for (const toml::node& item : *arr) {
        if (!item.is_table()) r.Fail(item, "feed", "each [[feed]] must be a table");
        FeedSettings f =
            ReadFeed(r, *item.as_table(), index++, known_kinds, &config.inline_api_keys);
        if (!names.insert(f.name).second) {
          r.Fail(item, "feed \"" + f.name + "\"", "name is used by another feed");
        }
        config.feeds.push_back(std::move(f));
      }
    }
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Status::InvalidArgument(source + ":" + std::to_string(where.line) + ":" +
                                   std::to_string(where.column) + ": " +
                                   std::string(e.description()));
  } catch (const ConfigError& e) {
    return Status::InvalidArgument(e.message);
  }
  return config;
}

Result<Config> LoadConfig(const std::string& path, bool path_was_given,
                          const std::vector<std::string>& known_kinds) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (path_was_given) return Status::InvalidArgument("config file not found: " + path);
    Config config;
    config.warnings.push_back("no config at " + path + "; using defaults, no feeds");
    return config;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read config file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto config = ParseConfig(ss.str(), path, known_kinds);
  if (config.ok()) {
    const bool has_inline_key = config->inline_api_keys;
    const auto perms = std::filesystem::status(path, ec).permissions();
    if (!ec && has_inline_key &&
        (perms & std::filesystem::perms::others_read) != std::filesystem::perms::none) {
      config->warnings.push_back(path +
                                 " holds an api_key and is readable by every user; chmod o-r it "
                                 "or move the key to an api_key_file");
    }
  }
  return config;
}

std::string StateFilePath(const SyncConfig& sync) {
  if (!sync.state_file.empty()) return sync.state_file;
  const std::filesystem::path dir = std::filesystem::path(sync.catalogue).parent_path();
  return (dir / "sync-state.json").string();
}

std::string RequestFilePath(const SyncConfig& sync) {
  if (!sync.request_file.empty()) return sync.request_file;
  const std::filesystem::path dir = std::filesystem::path(sync.catalogue).parent_path();
  return (dir / "sync-now").string();
}

std::string ImportRequestFilePath(const SyncConfig& sync) {
  return (std::filesystem::path(RequestFilePath(sync)).parent_path() / "import-now").string();
}

std::string ImportResultFilePath(const SyncConfig& sync) {
  return (std::filesystem::path(RequestFilePath(sync)).parent_path() / "import-result.json")
      .string();
}

std::string BundleStatePath(const Config& config) {
  if (!config.bundles.state_file.empty()) return config.bundles.state_file;
  const std::filesystem::path dir = std::filesystem::path(config.sync.catalogue).parent_path();
  return (dir / "bundle-state.json").string();
}

std::string BundleDownloadDir(const Config& config) {
  const std::filesystem::path dir = std::filesystem::path(config.sync.catalogue).parent_path();
  return (dir / "bundle-downloads").string();
}

}  // namespace signpost::sync
