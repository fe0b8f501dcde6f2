// Local content pack loader. Index:
//   [SECTION] Kinds and their fields
//   [SECTION] Checking one value (strings, dates, routes, links, images)
//   [SECTION] One item file
//   [SECTION] The pack folder
#include "local_pack/local_pack.h"

#include "bundle/bundle_format.h"
#include "common/untrusted_file.h"
#include "local_pack/pack_signature.h"
#include "local_pack/pack_times.h"

#include <stb_image.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace signpost::sync {

namespace fs = std::filesystem;
namespace cat = signpost::catalogue;

std::string PackMessage::ToString() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  s += ": ";
  if (!field.empty()) s += field + ": ";
  return s + what;
}

namespace {

// [SECTION] Kinds and their fields ----------------------------------------------------------

enum class Type { kText, kDate, kTime, kRoute, kLink, kImage };

struct Field {
  const char* key;
  Type type;
  bool required;
  std::size_t max_len;  // bytes, for text
  const char* example;  // shown when it is missing
};

struct Kind {
  const char* name;
  cat::LocalKind kind;
  std::vector<Field> fields;
};

// Fields every kind may have.
const std::vector<Field>& CommonFields() {
  static const std::vector<Field> f = {
      {"kind", Type::kText, true, 20, "kind = \"alumni\""},
      {"subject_area", Type::kText, false, 120, ""},
      {"show_from", Type::kDate, false, 0, ""},
      {"show_until", Type::kDate, false, 0, ""},
      {"image", Type::kImage, false, 0, ""},
      {"photo", Type::kImage, false, 0, ""},
  };
  return f;
}

const std::vector<Kind>& Kinds() {
  static const std::vector<Kind> k = {
      {"adviser",
       cat::LocalKind::kAdviserDropIn,
       {{"title", Type::kText, true, 120, "title = \"Careers drop-in with Ms Okafor\""},
        {"when", Type::kText, false, 300, ""},
        {"where", Type::kText, false, 200, ""},
        {"how_to_book", Type::kText, true, 600,
         "how_to_book = \"Ask at Student Services or email careers@school.example\""},
        {"more", Type::kText, false, 1500, ""},
        {"url", Type::kLink, false, 500, ""}}},
      {"event",
       cat::LocalKind::kSchoolEvent,
       {{"title", Type::kText, true, 120, "title = \"Year 11 options evening\""},
        {"date", Type::kDate, true, 0, "date = 2027-01-28"},
        {"time", Type::kTime, false, 60, ""},
        {"end_time", Type::kTime, false, 60, ""},
        {"where", Type::kText, false, 200, ""},
        {"more", Type::kText, false, 1500, ""},
        {"url", Type::kLink, false, 500, ""}}},
      {"alumni",
       cat::LocalKind::kAlumniStory,
       {{"name", Type::kText, true, 40, "name = \"Sam\""},
        {"went_to", Type::kText, true, 160, "went_to = \"a Level 3 engineering apprenticeship\""},
        {"provider", Type::kText, true, 160, "provider = \"Harland & Pike Engineering\""},
        {"route", Type::kRoute, true, 0, "route = \"apprenticeship\""},
        {"led_to", Type::kText, false, 160, ""},
        {"story", Type::kText, false, 1500, ""},
        {"title", Type::kText, false, 120, ""}}},
      {"notice",
       cat::LocalKind::kNotice,
       {{"title", Type::kText, true, 120, "title = \"Work experience forms due\""},
        {"text", Type::kText, true, 1500, "text = \"Year 10: hand your forms to Mr Hussain.\""},
        {"url", Type::kLink, false, 500, ""}}},
      {"link",
       cat::LocalKind::kLink,
       {{"title", Type::kText, true, 120, "title = \"Find an apprenticeship\""},
        {"url", Type::kLink, true, 500, "url = \"https://www.findapprenticeship.service.gov.uk\""},
        {"about", Type::kText, false, 600, ""}}},
      // Not a card: the school's own words for search (see aliases.txt).
      {"search",
       cat::LocalKind::kNotice,
       {{"words", Type::kText, true, 300, "words = \"d of e, dofe\""},
        {"means", Type::kText, true, 600, "means = \"duke of edinburgh, volunteering\""}}},
  };
  return k;
}

const Kind* FindKind(std::string_view name) {
  for (const auto& k : Kinds())
    if (name == k.name) return &k;
  return nullptr;
}

const Field* FindField(const Kind* kind, std::string_view key) {
  for (const auto& f : CommonFields())
    if (key == f.key) return &f;
  if (kind)
    for (const auto& f : kind->fields)
      if (key == f.key) return &f;
  return nullptr;
}

std::string KnownKeys(const Kind& kind) {
  std::string s;
  for (const auto& f : kind.fields) s += std::string(s.empty() ? "" : ", ") + f.key;
  for (const auto& f : CommonFields())
    if (std::string_view(f.key) != "kind") s += std::string(", ") + f.key;
  return s;
}

// [SECTION] Checking one value ----------------------------------------------------------------

struct Problem {
  std::string what;
};

std::string Trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

std::string MB(std::uintmax_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

// One open, O_NOFOLLOW, fstat()ed: a link, FIFO or device is refused
// before a byte is read, and a file over `cap` by its size.
Result<std::string> ReadPackFile(const fs::path& p, std::uintmax_t cap) {
  return ReadUntrustedFile(p.string(), static_cast<std::int64_t>(cap));
}

// "" when `bytes` (the file `rel` in the pack) is what the signature says;
// otherwise what to tell the careers leader.
std::string SignatureProblem(const PackLimits& limits, const std::string& rel,
                             const std::string& bytes) {
  if (limits.signature == nullptr) return "";
  auto it = limits.signature->files.find(rel);
  if (it == limits.signature->files.end())
    return "was added after the pack was signed: sign the pack again "
           "(content-sync hub sign-pack FOLDER)";
  if (it->second != bundle::Sha256Hex(bytes))
    return "was changed after the pack was signed: sign the pack again "
           "(content-sync hub sign-pack FOLDER)";
  return "";
}

struct ItemContext {
  const fs::path& root;
  const fs::path& file;  // absolute
  const std::string& rel;
  const PackLimits& limits;
  std::vector<PackMessage>* messages;
  bool ok = true;
  std::string image_bytes;  // the accepted image, as read
  void Fail(int line, const std::string& field, const std::string& what) {
    messages->push_back(PackMessage{rel, line, field, what, true});
    ok = false;
  }
  void Note(int line, const std::string& field, const std::string& what) {
    messages->push_back(PackMessage{rel, line, field, what, false});
  }
};

int Line(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::optional<std::string> ReadText(ItemContext& c, const Field& f, const toml::node& n) {
  if (!n.is_string()) {
    c.Fail(Line(n), f.key,
           "must be text in double quotes, e.g. " + std::string(f.key) + " = \"...\"");
    return std::nullopt;
  }
  std::string v = Trim(std::string(n.as_string()->get()));
  for (unsigned char ch : v) {
    if (ch < 0x20 && ch != '\n' && ch != '\t') {
      c.Fail(Line(n), f.key, "contains a control character; retype the text");
      return std::nullopt;
    }
  }
  if (f.max_len && v.size() > f.max_len) {
    c.Fail(Line(n), f.key,
           "is " + std::to_string(v.size()) + " characters long; the most is " +
               std::to_string(f.max_len) + " (it has to fit on the screen)");
    return std::nullopt;
  }
  if (v.empty() && f.required) {
    c.Fail(Line(n), f.key, "is empty; write something, e.g. " + std::string(f.example));
    return std::nullopt;
  }
  return v;
}

std::optional<Day> ReadDate(ItemContext& c, const Field& f, const toml::node& n) {
  if (const auto* d = n.as_date()) {
    const toml::date v = d->get();
    if (v.month >= 1 && v.month <= 12 && v.day >= 1 && v.day <= 31)
      return DayFromCivil(v.year, v.month, v.day);
  }
  if (const auto* s = n.as_string()) {
    const std::string v = Trim(std::string(s->get()));
    if (v.size() == 10) {
      if (auto day = ParseIsoDate(v)) {
        // ParseIsoDate normalises; refuse dates that do not exist (30 February).
        if (FormatIsoDate(*day) == v) return day;
      }
    }
  }
  std::string shown;
  if (const auto* s = n.as_string()) shown = "\"" + std::string(s->get()) + "\" ";
  c.Fail(Line(n), f.key,
         shown + "is not a date; write it as YYYY-MM-DD without quotes, e.g. " + f.key +
             " = 2027-03-12");
  return std::nullopt;
}

// A time of day (pack_times.h): text such as "18:00", "6pm" or "6pm to
// 8pm", or a TOML time (18:00:00: the TOML library here needs the seconds,
// so the pack's examples put times in quotes).
std::optional<PackTimes> ReadTime(ItemContext& c, const Field& f, const toml::node& n) {
  if (const auto* t = n.as_time()) {
    const toml::time v = t->get();
    if (v.hour < 24 && v.minute < 60) return PackTimes{v.hour * 60 + v.minute, std::nullopt};
  }
  if (const auto* s = n.as_string()) {
    if (auto v = ParsePackTimes(s->get())) return v;
  }
  std::string shown;
  if (const auto* s = n.as_string()) shown = "\"" + std::string(s->get()) + "\" ";
  c.Fail(Line(n), f.key,
         shown +
             "is not a time; write when it starts in double quotes, e.g. time = \"18:00\" "
             "(and end_time = \"20:00\" if it has one) or time = \"6pm to 8pm\"");
  return std::nullopt;
}

std::optional<cat::Route> ReadRoute(ItemContext& c, const Field& f, const toml::node& n) {
  if (const auto* s = n.as_string()) {
    if (auto r = cat::ParseRoute(Trim(std::string(s->get())))) return r;
  }
  c.Fail(Line(n), f.key,
         "must be one of \"fe\" (college or sixth form), \"tlevel\", \"he\" (university) or "
         "\"apprenticeship\"");
  return std::nullopt;
}

std::optional<std::string> ReadLink(ItemContext& c, const Field& f, const toml::node& n) {
  auto v = ReadText(c, f, n);
  if (!v) return std::nullopt;
  if (v->empty()) return v;
  if ((!v->starts_with("https://") && !v->starts_with("http://")) ||
      v->find_first_of(" \t\n") != std::string::npos) {
    c.Fail(Line(n), f.key,
           "must be a web address starting with https:// (the kiosk shows it as a QR code)");
    return std::nullopt;
  }
  return v;
}

// Checks an image beside the item: inside the pack, a real PNG or JPEG that
// decodes, within the size limits. Returns its absolute path.
std::optional<std::string> ReadImage(ItemContext& c, const Field& f, const toml::node& n) {
  auto v = ReadText(c, f, n);
  if (!v || v->empty()) return std::nullopt;
  const fs::path rel(*v);
  if (rel.is_absolute() || v->find("..") != std::string::npos ||
      v->find_first_of("/\\") != std::string::npos) {
    c.Fail(Line(n), f.key,
           "must be a file name beside this item (e.g. \"sam.jpg\"), not a path outside the pack");
    return std::nullopt;
  }
  const fs::path p = c.file.parent_path() / rel;
  std::error_code ec;
  auto read = ReadPackFile(p, c.limits.max_image_bytes);
  if (!read.ok()) {
    const std::string& why = read.status().message();
    if (read.status().code() == Status::Code::kNotFound) {
      c.Fail(Line(n), f.key,
             "\"" + *v + "\" is not in the folder beside " + c.file.filename().string() +
                 " (check the spelling, including capitals and .jpg/.png)");
    } else if (why.find("too big") != std::string::npos) {
      c.Fail(Line(n), f.key,
             "\"" + *v + "\" is " + MB(fs::file_size(p, ec)) + "; the most is " +
                 MB(c.limits.max_image_bytes) + " (save a smaller copy, about 1000 pixels wide)");
    } else {
      c.Fail(Line(n), f.key,
             "\"" + *v +
                 "\" is a link or a special file, not a picture: copy the picture "
                 "itself into the pack");
    }
    return std::nullopt;
  }
  const std::string& bytes = read.value();
  const std::string image_rel = p.lexically_relative(c.root).generic_string();
  if (const std::string why = SignatureProblem(c.limits, image_rel, bytes); !why.empty()) {
    c.Fail(Line(n), f.key, "\"" + *v + "\" " + why);
    return std::nullopt;
  }
  const bool png = bytes.starts_with("\x89PNG\r\n\x1a\n");
  const bool jpeg = bytes.starts_with("\xFF\xD8\xFF");
  if (!png && !jpeg) {
    c.Fail(Line(n), f.key, "\"" + *v + "\" is not a PNG or JPEG picture (save it as .jpg or .png)");
    return std::nullopt;
  }
  int w = 0, h = 0, comp = 0;
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int len = static_cast<int>(bytes.size());
  if (!stbi_info_from_memory(data, len, &w, &h, &comp)) {
    c.Fail(Line(n), f.key, "\"" + *v + "\" is damaged and cannot be shown (save it again)");
    return std::nullopt;
  }
  if (w > c.limits.max_image_side || h > c.limits.max_image_side) {
    c.Fail(Line(n), f.key,
           "\"" + *v + "\" is " + std::to_string(w) + " x " + std::to_string(h) +
               " pixels; the most is " + std::to_string(c.limits.max_image_side) +
               " on either side (save a smaller copy)");
    return std::nullopt;
  }
  // Decode it once: a truncated file passes the header check but not this.
  stbi_uc* px = stbi_load_from_memory(data, len, &w, &h, &comp, 0);
  if (!px) {
    c.Fail(Line(n), f.key,
           "\"" + *v + "\" is damaged and cannot be shown (" + stbi_failure_reason() +
               "; save it again)");
    return std::nullopt;
  }
  stbi_image_free(px);
  c.image_bytes = bytes;
  return p.string();
}

// [SECTION] One item file -----------------------------------------------------------------------

std::optional<PackItem> LoadItem(const fs::path& root, const fs::path& file, const std::string& rel,
                                 const PackLimits& limits, std::vector<PackMessage>* messages,
                                 std::string* content) {
  ItemContext c{root, file, rel, limits, messages};
  auto read = ReadPackFile(file, limits.max_item_bytes);
  if (!read.ok()) {
    if (read.status().message().find("too big") != std::string::npos) {
      c.Fail(0, "",
             "is bigger than " + std::to_string(limits.max_item_bytes / 1024) +
                 " KB; one item per file, and keep pictures in their own files");
    } else {
      c.Fail(0, "", "cannot be read: " + read.status().message());
    }
    return std::nullopt;
  }
  *content = std::move(read.value());
  if (const std::string why = SignatureProblem(limits, rel, *content); !why.empty()) {
    c.Fail(0, "", why);
    return std::nullopt;
  }
  toml::table t;
  try {
    t = toml::parse(*content, rel);
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    if (what.find("UTF-8") != std::string::npos || what.find("utf-8") != std::string::npos ||
        what.find("unicode") != std::string::npos || what.find("Unicode") != std::string::npos) {
      what += " (save the file as UTF-8 text: in Notepad, File > Save as > Encoding: UTF-8)";
    } else if (what.find("parsing time") != std::string::npos) {
      what += " (put a time in double quotes: time = \"18:00\")";
    }
    c.Fail(static_cast<int>(e.source().begin.line), "", what);
    return std::nullopt;
  }
  const toml::node* kind_node = t.get("kind");
  if (!kind_node) {
    c.Fail(0, "kind",
           "is missing; the first line should say what this is, e.g. kind = \"alumni\" "
           "(adviser, event, alumni, notice, link or search)");
    return std::nullopt;
  }
  const Kind* kind = nullptr;
  if (const auto* s = kind_node->as_string()) kind = FindKind(Trim(std::string(s->get())));
  if (!kind) {
    c.Fail(Line(*kind_node), "kind",
           "must be one of \"adviser\", \"event\", \"alumni\", \"notice\", \"link\" or "
           "\"search\"");
    return std::nullopt;
  }

  std::map<std::string, std::string> text;
  std::optional<Day> date, show_from, show_until;
  std::optional<PackTimes> time, end_time;
  std::optional<cat::Route> route;
  std::string image_source, image_name;
  const toml::node* image_node = nullptr;
  for (auto&& [key, node] : t) {
    const std::string k(key.str());
    const Field* f = FindField(kind, k);
    if (!f) {
      c.Fail(Line(node), k,
             "is not a field for kind = \"" + std::string(kind->name) +
                 "\" (check the spelling; the fields are: " + KnownKeys(*kind) + ")");
      continue;
    }
    if (k == "kind") continue;
    switch (f->type) {
      case Type::kText:
        if (auto v = ReadText(c, *f, node)) text[k] = *v;
        break;
      case Type::kLink:
        if (auto v = ReadLink(c, *f, node)) text[k] = *v;
        break;
      case Type::kDate:
        if (auto v = ReadDate(c, *f, node)) {
          if (k == "date") date = v;
          if (k == "show_from") show_from = v;
          if (k == "show_until") show_until = v;
        }
        break;
      case Type::kTime:
        if (auto v = ReadTime(c, *f, node)) (k == "time" ? time : end_time) = v;
        break;
      case Type::kRoute:
        route = ReadRoute(c, *f, node);
        break;
      case Type::kImage:
        if (image_node) {
          c.Fail(Line(node), k, "give one picture: image or photo, not both");
          break;
        }
        image_node = &node;
        if (auto v = ReadImage(c, *f, node)) {
          image_source = *v;
          image_name = Trim(std::string(node.as_string()->get()));
        }
        break;
    }
  }
  for (const auto& f : kind->fields) {
    if (f.required && !t.get(f.key))
      c.Fail(0, f.key, "is missing; add a line like " + std::string(f.example));
  }
  if (show_from && show_until && *show_until < *show_from)
    c.Fail(Line(*t.get("show_until")), "show_until", "is before show_from");
  if (end_time && !time && t.get("time") == nullptr)
    c.Fail(Line(*t.get("end_time")), "end_time", "needs a start: add time = \"18:00\" above it");
  if (end_time && time) {
    if (end_time->end)
      c.Fail(Line(*t.get("end_time")), "end_time", "is one time, e.g. end_time = \"20:00\"");
    else if (time->end)
      c.Fail(Line(*t.get("end_time")), "end_time",
             "is given twice: time already says when it ends; remove one");
    else if (end_time->start <= time->start)
      c.Fail(Line(*t.get("end_time")), "end_time",
             FormatPackTime(end_time->start) + " is not after the start (" +
                 FormatPackTime(time->start) + ")");
  }
  if (!c.ok) return std::nullopt;

  PackItem out;
  out.file = rel;
  out.image_source = image_source;
  out.image_bytes = std::move(c.image_bytes);
  cat::LocalItem& l = out.item;
  std::string id = rel.substr(0, rel.size() - 5);  // without ".toml"
  l.source_id = id;
  l.kind = kind->kind;
  l.subject_area = text["subject_area"];
  l.url = text["url"];
  l.starts = show_from;
  l.ends = show_until;
  l.image_path = image_name.empty() ? "" : (fs::path(rel).parent_path() / image_name).string();
  auto para = [](std::string& body, const std::string& s) {
    if (s.empty()) return;
    if (!body.empty()) body += "\n";
    body += s;
  };
  const std::string k = kind->name;
  if (k == "adviser") {
    l.title = text["title"];
    para(l.body, text["when"]);
    para(l.body, text["where"]);
    para(l.body, "How to book: " + text["how_to_book"]);
    para(l.body, text["more"]);
  } else if (k == "event") {
    // The kiosk shows the day and times in its own words (and Welsh), like
    // the open days from the feeds.
    l.title = text["title"];
    l.event_day = date;
    if (time) {
      l.event_start_minute = time->start;
      l.event_end_minute = time->end  ? time->end
                           : end_time ? std::optional<int>(end_time->start)
                                      : std::nullopt;
    }
    l.place = text["where"];
    l.body = text["more"];
    // Shown until the day it happens (unless show_until says otherwise).
    if (!l.ends) l.ends = date;
    const Day today = limits.today != 0 ? limits.today : TodayUtc();
    if (*l.ends < today)
      c.Note(Line(*t.get("date")), "date", "is already over, so the kiosk will not show it");
  } else if (k == "alumni") {
    l.title = !text["title"].empty() ? text["title"]
                                     : text["name"] + " went from here to " + text["went_to"];
    l.provider_name = text["provider"];
    l.leads_to = text["led_to"];
    l.route = route;
    l.body = text["story"];
  } else if (k == "notice") {
    l.title = text["title"];
    l.body = text["text"];
  } else if (k == "search") {
    // Each "route:" or "mode:" in means must be one the kiosk knows.
    std::stringstream means(text["means"]);
    for (std::string part; std::getline(means, part, ',');) {
      part = Trim(part);
      if (!part.empty() && part[0] == '~') part = Trim(part.substr(1));
      const bool is_route = part.rfind("route:", 0) == 0, is_mode = part.rfind("mode:", 0) == 0;
      if ((is_route && !cat::ParseRoute(Trim(part.substr(6)))) ||
          (is_mode && !cat::ParseStudyMode(Trim(part.substr(5))))) {
        c.Fail(Line(*t.get("means")), "means",
               "\"" + part +
                   "\" is not a route or study mode the kiosk knows (routes: fe, tlevel, he, "
                   "apprenticeship; modes: full_time, part_time, flexible, distance, work_based)");
      }
    }
    if (!c.ok) return std::nullopt;
    out.search_words = cat::SearchAlias{text["words"], text["means"]};
    l.title = "Search words: " + text["words"];
  } else {  // link
    l.title = text["title"];
    l.body = text["about"];
  }
  if (l.ends && k != "event") {
    const Day today = limits.today != 0 ? limits.today : TodayUtc();
    if (*l.ends < today)
      c.Note(Line(*t.get("show_until")), "show_until",
             "is already past, so the kiosk will not show this");
  }
  return out;
}

std::string Fingerprint(const std::vector<std::pair<std::string, std::string>>& parts) {
  // FNV-1a, 64 bits: enough to notice an edited pack (not a security check).
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char ch : s) {
      h ^= ch;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  for (const auto& [name, bytes] : parts) {
    mix(name);
    mix(bytes);
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

bool Hidden(const fs::path& p) {
  const std::string n = p.filename().string();
  return n.starts_with(".") || n.starts_with("_");
}

}  // namespace

std::vector<std::string> LocalPackKinds() {
  std::vector<std::string> out;
  for (const auto& k : Kinds()) out.emplace_back(k.name);
  return out;
}

// [SECTION] The pack folder ---------------------------------------------------------------------

Result<LocalPack> LoadLocalPack(const std::string& dir, const PackLimits& limits) {
  std::error_code ec;
  const fs::path root = fs::absolute(dir, ec);
  if (!fs::exists(root, ec))
    return Status::NotFound("the local content folder " + dir +
                            " is not there (is the USB stick plugged in?)");
  if (!fs::is_directory(root, ec))
    return Status::InvalidArgument(dir + " is a file; give the folder that holds the items");
  LocalPack pack;
  pack.dir = root.string();
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::IoError("cannot read the folder " + dir + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    if (Hidden(p)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    const auto st = it->symlink_status(ec);  // never follow a link to see what it is
    if (fs::is_directory(st)) {
      if (it.depth() >= 2) it.disable_recursion_pending();  // kind folders, no deeper
      continue;
    }
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext != ".toml") continue;
    if (fs::is_regular_file(st)) {
      files.push_back(p);
    } else {
      ++pack.files;
      ++pack.rejected;
      pack.messages.push_back(PackMessage{
          p.lexically_relative(root).generic_string(), 0, "",
          "is a link or a special file; links are not followed (copy the file itself into the "
          "pack)",
          true});
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::pair<std::string, std::string>> parts;
  std::uintmax_t image_total = 0;
  for (const auto& file : files) {
    const std::string rel = file.lexically_relative(root).generic_string();
    ++pack.files;
    if (pack.files > limits.max_items) {
      pack.messages.push_back(PackMessage{
          rel, 0, "",
          "not read: a pack holds at most " + std::to_string(limits.max_items) + " items", true});
      ++pack.rejected;
      continue;
    }
    std::string content;
    const std::size_t first_message = pack.messages.size();
    auto item = LoadItem(root, file, rel, limits, &pack.messages, &content);
    // In line order (the TOML table is read in key order), whole-file ones last.
    std::stable_sort(pack.messages.begin() + static_cast<std::ptrdiff_t>(first_message),
                     pack.messages.end(), [](const PackMessage& a, const PackMessage& b) {
                       auto key = [](int line) { return line > 0 ? line : 1 << 30; };
                       return key(a.line) < key(b.line);
                     });
    parts.emplace_back(rel, content);
    if (!item) {
      ++pack.rejected;
      continue;
    }
    if (!item->image_source.empty()) {
      image_total += item->image_bytes.size();
      if (image_total > limits.max_total_image_bytes) {
        pack.messages.push_back(PackMessage{rel, 0, "photo",
                                            "not read: the pack's photos come to more than " +
                                                MB(limits.max_total_image_bytes) +
                                                " together (save smaller copies)",
                                            true});
        ++pack.rejected;
        continue;
      }
      parts.emplace_back(item->item.image_path, item->image_bytes);
    }
    pack.items.push_back(std::move(*item));
  }
  pack.fingerprint = Fingerprint(parts);
  return pack;
}

}  // namespace signpost::sync
