#include "signpost/status.h"

namespace signpost {

const char* Status::CodeName(Code c) {
  switch (c) {
    case Code::kOk:
      return "ok";
    case Code::kNotFound:
      return "not found";
    case Code::kInvalidArgument:
      return "invalid argument";
    case Code::kCorrupt:
      return "corrupt";
    case Code::kIoError:
      return "I/O error";
    case Code::kTooNew:
      return "too new";
    case Code::kBusy:
      return "busy";
    case Code::kHeldBack:
      return "held back";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kInternal:
      return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace signpost
