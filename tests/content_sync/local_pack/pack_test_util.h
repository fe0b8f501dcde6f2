// Helpers for the local pack tests: write item files and pictures into a
// temporary pack folder.
#pragma once

#include <zlib.h>
#include <filesystem>
#include <fstream>
#include <string>

namespace signpost::sync::testing {

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// A real, decodable PNG of w x h grey pixels (zlib-compressed), padded with
// a trailing tEXt-like junk chunk of `pad` bytes to make big files cheaply.
inline std::string MakePng(int w, int h, std::size_t pad = 0) {
  std::string raw;
  for (int y = 0; y < h; ++y) {
    raw.push_back('\0');
    raw.append(static_cast<std::size_t>(w) * 3, static_cast<char>(y % 256));
  }
  uLongf zlen = compressBound(raw.size());
  std::string z(zlen, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &zlen, reinterpret_cast<const Bytef*>(raw.data()),
           raw.size());
  z.resize(zlen);
  auto be32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  auto chunk = [&](const std::string& type, const std::string& data) {
    std::string td = type + data;
    return be32(static_cast<std::uint32_t>(data.size())) + td +
           be32(static_cast<std::uint32_t>(
               crc32(0, reinterpret_cast<const Bytef*>(td.data()), static_cast<uInt>(td.size()))));
  };
  std::string ihdr = be32(static_cast<std::uint32_t>(w)) + be32(static_cast<std::uint32_t>(h)) +
                     std::string("\x08\x02\x00\x00\x00", 5);
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr);
  if (pad > 0) png += chunk("tEXt", "Comment" + std::string(1, '\0') + std::string(pad, 'x'));
  return png + chunk("IDAT", z) + chunk("IEND", "");
}

}  // namespace signpost::sync::testing
