// A horizontal bar chart as inline SVG: one labelled row per item (a layer,
// an output, a measurement), a value axis with ticks and an axis label.
// Each bar is one <rect class="bar CLASS"> carrying data-NAME (the item) and
// data-value, with a <title> tooltip.
#pragma once

#include "report/Svg.h"

#include <optional>
#include <string>
#include <vector>

namespace edgec::report {

struct Bar {
  std::string name;       ///< row label and data-NAME (model-provided: escaped)
  double value = 0;       ///< bar length
  std::string text;       ///< the value shown after the bar ("" = formatNumber(value))
  std::string extraClass; ///< added to the rect's classes ("exact", ...)
  DataAttrs data;         ///< more data-* attributes
  std::string tooltip;    ///< "" = "name: text"
};

struct BarChart {
  std::string id;        ///< the svg element's id
  std::string title;     ///< its aria-label
  std::string barClass;  ///< classes after "bar": "layer snr" -> class="bar layer snr"
  std::string dataName;  ///< "layer" -> data-layer="NAME"
  std::string valueAxis; ///< axis label, e.g. "SNR (dB)"
  std::vector<Bar> bars;
  /// Fixed axis ends (cosine: up to 1); otherwise from the values and 0.
  std::optional<double> min, max;
};

/// A chart without bars yet.
BarChart barChart(const std::string &id, const std::string &title, const std::string &barClass,
                  const std::string &dataName, const std::string &valueAxis);

std::string svgBarChart(const BarChart &c);

/// Evenly spaced "nice" tick values (steps of 1, 2 or 5 times a power of
/// ten) covering [lo, hi], about `count` of them.
std::vector<double> niceTicks(double lo, double hi, int count = 5);

} // namespace edgec::report
