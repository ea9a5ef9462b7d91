// The inline SVG writer (see Svg.h).
#include "report/Svg.h"

#include "report/Html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace edgec::report {

std::string svgNumber(double v) {
  if (!std::isfinite(v)) v = 0;
  double r = std::round(v * 100) / 100;
  if (r == 0) return "0"; // also -0
  char b[48];
  std::snprintf(b, sizeof b, "%.2f", r);
  std::string s = b;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

Svg::Svg(const std::string &id, const std::string &label, double width, double height) {
  out_ = "<svg class=\"chart\" id=\"" + htmlEscape(id) + "\" role=\"img\" aria-label=\"" +
         htmlEscape(label) + "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
         svgNumber(width) + "\" height=\"" + svgNumber(height) + "\" viewBox=\"0 0 " +
         svgNumber(width) + " " + svgNumber(height) + "\">\n";
}

void Svg::rect(double x, double y, double w, double h, const std::string &cssClass,
               const DataAttrs &data, const std::string &tooltip) {
  out_ += "<rect class=\"" + htmlEscape(cssClass) + "\"";
  for (const auto &[k, v] : data) out_ += " data-" + k + "=\"" + htmlEscape(v) + "\"";
  out_ += " x=\"" + svgNumber(x) + "\" y=\"" + svgNumber(y) + "\" width=\"" +
          svgNumber(std::max(w, 0.0)) + "\" height=\"" + svgNumber(std::max(h, 0.0)) + "\"";
  if (tooltip.empty()) {
    out_ += "/>\n";
  } else {
    out_ += "><title>" + htmlEscape(tooltip) + "</title></rect>\n";
  }
}

void Svg::text(double x, double y, const std::string &s, const std::string &anchor,
               const std::string &cssClass, bool rotate) {
  out_ += "<text x=\"" + svgNumber(x) + "\" y=\"" + svgNumber(y) + "\"";
  if (anchor != "start") out_ += " text-anchor=\"" + htmlEscape(anchor) + "\"";
  if (!cssClass.empty()) out_ += " class=\"" + htmlEscape(cssClass) + "\"";
  if (rotate)
    out_ += " transform=\"rotate(-90 " + svgNumber(x) + " " + svgNumber(y) + ")\"";
  out_ += ">" + htmlEscape(s) + "</text>\n";
}

void Svg::line(double x1, double y1, double x2, double y2, const std::string &cssClass) {
  out_ += "<line class=\"" + htmlEscape(cssClass) + "\" x1=\"" + svgNumber(x1) + "\" y1=\"" +
          svgNumber(y1) + "\" x2=\"" + svgNumber(x2) + "\" y2=\"" + svgNumber(y2) + "\"/>\n";
}

std::string Svg::finish() const { return out_ + "</svg>\n"; }

} // namespace edgec::report
