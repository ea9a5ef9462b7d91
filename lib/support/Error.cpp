#include "support/Error.h"

namespace edgec {

const char *errorCodeName(ErrorCode code) {
  switch (code) {
  case ErrorCode::Ok: return "ok";
  case ErrorCode::Usage: return "usage";
  case ErrorCode::Io: return "io";
  case ErrorCode::InvalidModel: return "invalid-model";
  case ErrorCode::Unsupported: return "unsupported";
  case ErrorCode::InvalidInput: return "invalid-input";
  case ErrorCode::Runtime: return "runtime";
  case ErrorCode::Mismatch: return "mismatch";
  case ErrorCode::Regression: return "regression";
  case ErrorCode::Internal: return "internal";
  }
  return "unknown";
}

} // namespace edgec
