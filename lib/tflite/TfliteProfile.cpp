#include "tflite/TfliteProfile.h"

#include <algorithm>

namespace edgec {

TfliteProfile genericTfliteProfile() { return TfliteProfile{}; }

namespace {

std::string inProfile(const TfliteProfile &p) {
  return "TFLite profile '" + p.name + "'";
}

} // namespace

std::string checkTfliteOperator(const TfliteProfile &p, const std::string &op,
                                int version) {
  auto it = p.operators.find(op);
  if (it == p.operators.end()) {
    if (p.listedOperatorsOnly) return op + " is not available in " + inProfile(p);
    return "";
  }
  if (!it->second.available) return op + " is not available in " + inProfile(p);
  if (it->second.maxVersion > 0 && version > it->second.maxVersion)
    return op + " version " + std::to_string(version) + " is above version " +
           std::to_string(it->second.maxVersion) + ", the highest " +
           inProfile(p) + " reads";
  return "";
}

std::string checkTfliteTensor(const TfliteProfile &p, const std::string &op,
                              const std::string &tensor, DataType t,
                              size_t rank, bool constant) {
  if (p.maxRank > 0 && rank > p.maxRank)
    return "tensor '" + tensor + "' of " + op + " has rank " +
           std::to_string(rank) + ", above rank " + std::to_string(p.maxRank) +
           ", the highest " + inProfile(p) + " reads";
  if (!constant && !p.activationTypes.empty() &&
      std::find(p.activationTypes.begin(), p.activationTypes.end(), t) ==
          p.activationTypes.end()) {
    std::string allowed;
    for (DataType a : p.activationTypes)
      allowed += (allowed.empty() ? "" : ", ") + std::string(dataTypeName(a));
    return "tensor '" + tensor + "' of " + op + " has element type " +
           std::string(dataTypeName(t)) + ", but " + inProfile(p) +
           " allows only " + allowed;
  }
  return "";
}

} // namespace edgec
