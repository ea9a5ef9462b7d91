// The horizontal bar chart (see BarChart.h).
#include "report/BarChart.h"

#include "report/Html.h"

#include <algorithm>
#include <cmath>

namespace edgec::report {

namespace {
// Layout in CSS pixels.
constexpr double kLabelWidth = 230, kPlotWidth = 600, kValueWidth = 110;
constexpr double kRow = 16, kBar = 12, kTop = 8, kBottom = 44;
constexpr size_t kLabelChars = 34; ///< longer names are cut (full in the tooltip)

/// The start and the end of a long name (model names often share a long
/// prefix and differ at the end), cut at UTF-8 character boundaries.
std::string shortLabel(const std::string &s) {
  if (s.size() <= kLabelChars) return s;
  auto cont = [&](size_t i) {
    return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  };
  size_t head = kLabelChars / 2 - 2, tail = s.size() - (kLabelChars - head - 3);
  while (head > 0 && cont(head)) --head;
  while (cont(tail)) ++tail;
  return s.substr(0, head) + "..." + s.substr(tail);
}
} // namespace

std::vector<double> niceTicks(double lo, double hi, int count) {
  if (!(hi > lo) || count < 1) return {lo};
  double raw = (hi - lo) / count;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> t;
  const long long first = (long long)std::floor(lo / step + 1e-9);
  const long long last = (long long)std::ceil(hi / step - 1e-9);
  for (long long i = first; i <= last; ++i) t.push_back(double(i) * step);
  return t;
}

BarChart barChart(const std::string &id, const std::string &title, const std::string &barClass,
                  const std::string &dataName, const std::string &valueAxis) {
  BarChart c;
  c.id = id;
  c.title = title;
  c.barClass = barClass;
  c.dataName = dataName;
  c.valueAxis = valueAxis;
  return c;
}

std::string svgBarChart(const BarChart &c) {
  double lo = 0, hi = 0;
  for (const Bar &b : c.bars)
    if (std::isfinite(b.value)) {
      lo = std::min(lo, b.value);
      hi = std::max(hi, b.value);
    }
  if (c.min) lo = *c.min;
  if (c.max) hi = *c.max;
  if (!(hi > lo)) hi = lo + 1;
  std::vector<double> ticks = niceTicks(lo, hi);
  lo = std::min(lo, ticks.front());
  hi = std::max(hi, ticks.back());

  const double width = kLabelWidth + kPlotWidth + kValueWidth;
  const double plotH = kRow * double(c.bars.size());
  const double height = kTop + plotH + kBottom;
  auto xOf = [&](double v) {
    v = std::clamp(std::isfinite(v) ? v : 0.0, lo, hi);
    return kLabelWidth + (v - lo) / (hi - lo) * kPlotWidth;
  };
  Svg s(c.id, c.title, width, height);
  for (double t : ticks) {
    s.line(xOf(t), kTop, xOf(t), kTop + plotH, "grid");
    s.text(xOf(t), kTop + plotH + 14, formatNumber(t), "middle");
  }
  const double x0 = xOf(0);
  for (size_t i = 0; i < c.bars.size(); ++i) {
    const Bar &b = c.bars[i];
    const double y = kTop + kRow * double(i);
    const std::string text = b.text.empty() ? formatNumber(b.value) : b.text;
    const double xv = xOf(b.value);
    s.text(kLabelWidth - 6, y + kBar - 1, shortLabel(b.name), "end");
    DataAttrs data = {{c.dataName, b.name}, {"value", text}};
    data.insert(data.end(), b.data.begin(), b.data.end());
    s.rect(std::min(x0, xv), y + (kRow - kBar) / 2, std::fabs(xv - x0),
           kBar, "bar " + c.barClass + (b.extraClass.empty() ? "" : " " + b.extraClass), data,
           b.tooltip.empty() ? b.name + ": " + text : b.tooltip);
    s.text(std::max(x0, xv) + 4, y + kBar - 1, text);
  }
  s.line(x0, kTop, x0, kTop + plotH, "axis");
  s.line(kLabelWidth, kTop + plotH, kLabelWidth + kPlotWidth, kTop + plotH, "axis");
  s.text(kLabelWidth + kPlotWidth / 2, kTop + plotH + 34, c.valueAxis, "middle", "axis-label");
  return s.finish();
}

} // namespace edgec::report
