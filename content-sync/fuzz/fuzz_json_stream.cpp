// libFuzzer target: bounded JSON reading (feeds/json_stream.h). Streaming
// and whole-document parsing must never crash, recurse without bound, throw
// or exceed their limits on any body; small limits here so the fuzzer
// reaches them (the depth corpus in run-fuzzers.sh starts at 100,000 levels).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "feeds/json_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace signpost::sync;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  feeds::JsonLimits limits;
  limits.max_record_bytes = 64 * 1024;
  limits.max_records = 1000;
  limits.max_envelope_token = 16 * 1024;
  std::int64_t seen = 0;
  feeds::JsonEnvelope envelope;
  const signpost::Status s = feeds::StreamJsonRecords(
      Payload::Borrow(body), {true, {"contents", "results", "vacancies"}},
      [&](std::int64_t index, const nlohmann::json& record) {
        if (index != seen++) std::abort();  // records arrive in order, once each
        (void)record.dump();                // bounded depth: dump cannot overflow the stack
      },
      &envelope, limits);
  if (seen > limits.max_records) std::abort();
  if (s.ok() && envelope.records != seen) std::abort();
  std::string error;
  if (auto doc = feeds::ParseJsonDocument(body, &error, limits)) (void)doc->dump();
  return 0;
}
