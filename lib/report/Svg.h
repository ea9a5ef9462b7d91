// Inline SVG for the HTML reports: one <svg> element written shape by shape.
// Every text and attribute value is escaped; coordinates print with two
// decimals at most, so output is the same on every run.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace edgec::report {

/// data-* attributes of a shape: (name without "data-", value).
using DataAttrs = std::vector<std::pair<std::string, std::string>>;

class Svg {
public:
  /// An <svg class="chart"> of this size in CSS pixels; `id` and the
  /// accessible `label` (aria-label) name the chart.
  Svg(const std::string &id, const std::string &label, double width, double height);
  /// <rect> with classes, data attributes and a <title> tooltip ("" = none).
  void rect(double x, double y, double w, double h, const std::string &cssClass,
            const DataAttrs &data, const std::string &tooltip);
  /// <text>; anchor "start", "middle" or "end"; `rotate` turns it -90 degrees
  /// around (x, y) (vertical axis labels).
  void text(double x, double y, const std::string &s, const std::string &anchor = "start",
            const std::string &cssClass = "", bool rotate = false);
  void line(double x1, double y1, double x2, double y2, const std::string &cssClass);
  std::string finish() const;

private:
  std::string out_;
};

/// A coordinate as the SVG writer prints it (two decimals, no trailing
/// zeros).
std::string svgNumber(double v);

} // namespace edgec::report
