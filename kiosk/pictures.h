// Pictures: photos from the school's local content pack (a former student's
// photo) as textures the UI can draw. A picture is decoded and scaled down
// (to at most kMaxSide pixels) on a background thread; the texture is made
// on the UI thread the first frame after. Until then, and for a file that
// cannot be read, Get() returns no texture and the UI simply shows no photo.
// Owned by the platform layer (it holds the SDL renderer); the App reaches
// it through a callback so screens stay free of SDL. When a decode finishes,
// `ready` is called (from the decoding thread) so the event-driven loop draws
// the picture without polling for it.
// Thread safety: UI thread only (the decoding threads touch no shared state
// but call `ready`, which must be thread-safe, e.g. SDL_PushEvent).
#pragma once

#include <SDL.h>
#include <imgui.h>

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace signpost::kiosk {

class PictureCache {
 public:
  static constexpr int kMaxSide = 512;  // enough for a card; bounds memory on a Pi
  static constexpr std::size_t kMaxPictures = 24;

  explicit PictureCache(SDL_Renderer* renderer, std::function<void()> ready = {})
      : renderer_(renderer), ready_(std::move(ready)) {}
  ~PictureCache();  // destroys the textures (before the renderer goes)
  PictureCache(const PictureCache&) = delete;
  PictureCache& operator=(const PictureCache&) = delete;

  // The texture for `path` and its size, or nullptr while it loads / when it
  // cannot be shown.
  ImTextureID Get(const std::string& path, ImVec2* size);
  bool Loading() const;  // some picture is still being decoded (not yet ready)

 private:
  struct Decoded {
    std::vector<unsigned char> rgba;
    int w = 0, h = 0;
  };
  struct Entry {
    std::future<void> job;        // the decoding thread (waited for on destruction)
    std::future<Decoded> result;  // set before `ready` is called
    SDL_Texture* texture = nullptr;
    int w = 0, h = 0;
    bool failed = false;
  };
  static Decoded Decode(std::string path);
  SDL_Renderer* renderer_;
  std::function<void()> ready_;  // a decode finished (any thread)
  std::map<std::string, Entry> entries_;
};

}  // namespace signpost::kiosk
