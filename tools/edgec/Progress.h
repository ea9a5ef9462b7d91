// Progress for people watching a long command: on stderr, and only when
// stderr is a terminal and EDGEC_NO_PROGRESS is unset (or "0"). Nothing is
// written otherwise, so redirected output, pipes and --json never see it.
// The one place that decides; quantize, compile, validate, bench and the
// conformance runner draw through it.
#pragma once
#include <chrono>
#include <functional>
#include <string>

namespace edgec::tool {

/// stderr is a terminal and EDGEC_NO_PROGRESS is not set to anything but "0".
bool progressEnabled();

/// One line on stderr, redrawn in place ("\r" + clear to end of line).
/// Every method does nothing when progress is disabled; the line is erased
/// by clear() and by the destructor, so what follows starts on a clean line.
class Progress {
public:
  explicit Progress(std::string what);
  ~Progress();
  Progress(const Progress &) = delete;
  Progress &operator=(const Progress &) = delete;

  /// "WHAT [=====     ] done/total  rate UNIT/s  ETA Ns".
  void count(int done, int total, const std::string &unit = "samples");
  /// "WHAT: STEP (Ns)": the step that is starting.
  void step(const std::string &step);
  /// Erases the line (before other output to the terminal).
  void clear();
  bool enabled() const { return enabled_; }

private:
  void draw(const std::string &text);
  std::string what_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

/// A (done, total) callback drawing a counted bar, for library functions
/// that report progress that way (calibration); empty when disabled.
std::function<void(int, int)> progressBar(const std::string &what,
                                          const std::string &unit = "samples");

/// A step callback drawing `what: STEP`, for library functions that report
/// steps (compile stages, executor steps); empty when disabled. The line
/// is erased when the last copy of the callback is destroyed.
std::function<void(const std::string &)> progressSteps(const std::string &what);

} // namespace edgec::tool
