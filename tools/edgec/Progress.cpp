#include "Progress.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unistd.h>

namespace edgec::tool {

bool progressEnabled() {
  const char *off = std::getenv("EDGEC_NO_PROGRESS");
  if (off && *off && std::strcmp(off, "0") != 0) return false;
  return isatty(2) != 0;
}

Progress::Progress(std::string what)
    : what_(std::move(what)), enabled_(progressEnabled()),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { clear(); }

void Progress::draw(const std::string &text) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K%s", text.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::clear() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void Progress::count(int done, int total, const std::string &unit) {
  if (!enabled_) return;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = secs > 0 ? done / secs : 0;
  const int width = 30;
  const int fill = total > 0 ? std::clamp(done, 0, total) * width / total : width;
  char buf[160];
  std::snprintf(buf, sizeof buf, "] %d/%d  %.1f %s/s  ETA %.0fs", done, total, rate,
                unit.c_str(), rate > 0 ? (total - done) / rate : 0.0);
  draw(what_ + " [" + std::string((size_t)fill, '=') + std::string((size_t)(width - fill), ' ') +
       buf);
}

void Progress::step(const std::string &step) {
  if (!enabled_) return;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, " (%.0fs)", secs);
  draw(what_ + ": " + step + buf);
}

std::function<void(int, int)> progressBar(const std::string &what, const std::string &unit) {
  if (!progressEnabled()) return {};
  auto p = std::make_shared<Progress>(what);
  return [p, unit](int done, int total) {
    p->count(done, total, unit);
    if (done >= total) p->clear();
  };
}

std::function<void(const std::string &)> progressSteps(const std::string &what) {
  if (!progressEnabled()) return {};
  auto p = std::make_shared<Progress>(what);
  return [p](const std::string &s) { p->step(s); };
}

} // namespace edgec::tool
