// Fuzzes what `edgec quantize --stats FILE...` reads: Json::parse, then
// calibrationStatsFromJson, a merge of the result with itself and writing
// it back (an accepted file must merge and round-trip without trouble).
// Seed: test/fuzz/seeds/calibration-stats.json (scripts/fuzz.sh).
#include "FuzzSupport.h"

#include "quant/CalibrationStats.h"

#include <cstdlib>

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size)) return -1;
  Expected<Json> j = Json::parse(std::string(reinterpret_cast<const char *>(data), size));
  if (!j.isOk()) return 0;
  Expected<CalibrationStats> s = calibrationStatsFromJson(*j, "fuzz.json");
  if (!s.isOk()) return 0;
  Expected<CalibrationStats> m = mergeCalibrationStats({*s, *s}, {"a", "b"});
  if (!m.isOk()) return 0;
  // What was accepted reads back to the same statistics.
  Expected<Json> again = Json::parse(calibrationStatsToJson(*s).dump());
  if (!again.isOk() || !calibrationStatsFromJson(*again, "again").isOk()) std::abort();
  return 0;
}
