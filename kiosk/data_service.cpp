#include "kiosk/data_service.h"

#include <chrono>
#include <utility>

namespace signpost::kiosk {

bool Backend::EnsureOpen() {
  if (catalogue && engine) return true;
  catalogue::OpenOptions options;
  options.read_only = true;
  options.create = false;
  auto cat = catalogue::Catalogue::Open(path, options);
  if (!cat.ok()) {
    status = cat.status();
    return false;
  }
  catalogue = std::move(cat.value());
  auto eng = catalogue::SearchEngine::Create(catalogue.get());
  if (!eng.ok()) {
    status = eng.status();
    catalogue.reset();
    return false;
  }
  engine = std::move(eng.value());
  status = Status::Ok();
  origin.reset();
  // The kiosk's own postcode from config, else the one the catalogue was
  // provisioned with (the sample catalogue sets kiosk_postcode).
  std::string pc = postcode.empty() ? catalogue->GetMeta("kiosk_postcode").value_or("") : postcode;
  if (!pc.empty()) origin = catalogue->LookupPostcode(pc);
  catalogue->HasChanged();  // prime PRAGMA data_version
  return true;
}

bool Backend::Changed() { return catalogue && catalogue->HasChanged(); }

void Backend::Close() {
  results.reset();
  engine.reset();
  catalogue.reset();
}

DataService::DataService(std::string catalogue_path, std::string postcode,
                         std::function<void()> wake)
    : wake_(std::move(wake)) {
  backend_.path = std::move(catalogue_path);
  backend_.postcode = std::move(postcode);
  thread_ = std::thread([this] { Loop(); });
}

DataService::~DataService() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    jobs_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void DataService::Post(Job job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void DataService::ToUi(std::function<void()> fn, bool visible) {
  {
    std::lock_guard lock(mutex_);
    ui_.push_back(UiCallback{std::move(fn), visible});
  }
  // A quiet answer waits for the loop's next wake-up (it runs callbacks
  // whenever it wakes): waking the UI thread for it would cost CPU for nothing.
  if (wake_ && visible) wake_();
}

int DataService::RunUiCallbacks() {
  std::deque<UiCallback> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(ui_);
  }
  int visible = 0;
  for (auto& cb : batch) {
    cb.fn();
    if (cb.visible) ++visible;
  }
  return visible;
}

bool DataService::HasUiCallbacks() const {
  std::lock_guard lock(mutex_);
  return !ui_.empty();
}

bool DataService::Idle() const {
  std::lock_guard lock(mutex_);
  return jobs_.empty() && ui_.empty() && !running_job_;
}

bool DataService::WaitIdle(int timeout_ms) {
  std::unique_lock lock(mutex_);
  return idle_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [this] { return jobs_.empty() && !running_job_; });
}

void DataService::Loop() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (stop_) break;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      running_job_ = true;
    }
    job(backend_);
    {
      std::lock_guard lock(mutex_);
      running_job_ = false;
    }
    idle_cv_.notify_all();
  }
  backend_.Close();
}

}  // namespace signpost::kiosk
