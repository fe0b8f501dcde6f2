// PictureCache: stb_image decodes, stb_image_resize scales down, SDL uploads.
#include "kiosk/pictures.h"

#include "kiosk/ui.h"

#include <stb_image.h>
#include <stb_image_resize.h>

#include <algorithm>
#include <chrono>

namespace signpost::kiosk {

PictureCache::~PictureCache() {
  for (auto& [path, e] : entries_) {
    if (e.job.valid()) e.job.wait();
    if (e.texture) SDL_DestroyTexture(e.texture);
  }
}

PictureCache::Decoded PictureCache::Decode(std::string path) {
  Decoded out;
  int w = 0, h = 0, comp = 0;
  unsigned char* px = stbi_load(path.c_str(), &w, &h, &comp, 4);
  if (!px || w <= 0 || h <= 0) {
    if (px) stbi_image_free(px);
    return out;
  }
  const double scale = std::min(1.0, static_cast<double>(kMaxSide) / std::max(w, h));
  out.w = std::max(1, static_cast<int>(w * scale));
  out.h = std::max(1, static_cast<int>(h * scale));
  out.rgba.resize(static_cast<std::size_t>(out.w) * out.h * 4);
  if (scale < 1.0) {
    stbir_resize_uint8(px, w, h, 0, out.rgba.data(), out.w, out.h, 0, 4);
  } else {
    std::copy(px, px + out.rgba.size(), out.rgba.begin());
  }
  stbi_image_free(px);
  return out;
}

ImTextureID PictureCache::Get(const std::string& path, ImVec2* size) {
  if (path.empty() || !renderer_) return nullptr;
  auto it = entries_.find(path);
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxPictures) {  // forget a finished one
      for (auto e = entries_.begin(); e != entries_.end(); ++e)
        if (!e->second.result.valid()) {
          if (e->second.texture) SDL_DestroyTexture(e->second.texture);
          entries_.erase(e);
          break;
        }
    }
    Entry e;
    auto promise = std::make_shared<std::promise<Decoded>>();
    e.result = promise->get_future();
    e.job = std::async(std::launch::async, [path, promise, ready = ready_] {
      promise->set_value(Decode(path));
      if (ready) ready();  // the loop draws again now that it is ready
    });
    entries_.emplace(path, std::move(e));
    if (!ready_) ui::RequestFrames(2);  // no callback: poll until it is ready
    return nullptr;
  }
  Entry& e = it->second;
  if (e.result.valid()) {
    if (e.result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      if (!ready_) ui::RequestFrames(2);
      return nullptr;
    }
    Decoded d = e.result.get();
    e.job.wait();  // already past set_value: at most the `ready` call
    if (d.rgba.empty()) {
      e.failed = true;
    } else {
      e.texture = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC,
                                    d.w, d.h);
      if (e.texture && SDL_UpdateTexture(e.texture, nullptr, d.rgba.data(), d.w * 4) == 0) {
        SDL_SetTextureBlendMode(e.texture, SDL_BLENDMODE_BLEND);
        e.w = d.w;
        e.h = d.h;
      } else {
        if (e.texture) SDL_DestroyTexture(e.texture);
        e.texture = nullptr;
        e.failed = true;
      }
    }
  }
  if (!e.texture) return nullptr;
  if (size) *size = ImVec2(static_cast<float>(e.w), static_cast<float>(e.h));
  return static_cast<ImTextureID>(e.texture);
}

bool PictureCache::Loading() const {
  for (const auto& [path, e] : entries_)
    if (e.result.valid() && e.result.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
      return true;
  return false;
}

}  // namespace signpost::kiosk
