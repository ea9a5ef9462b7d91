// The quantize report as HTML (see QuantizeHtml.h).
#include "report/QuantizeHtml.h"

#include "report/BarChart.h"
#include "report/Html.h"
#include "report/JsonView.h"

#include <algorithm>

namespace edgec::report {

namespace {

// AccuracyReport writes +-999 dB for "no noise" and "no signal".
constexpr double kExactSnr = 999;

/// SNR bars: exact values (999) reach the end of the axis as "exact", "no
/// signal" (-999) draws nothing; the axis spans the other values.
void addSnrBars(BarChart &c, const Json::Array &items, const std::string &nameKey) {
  double top = 0;
  bool exact = false;
  for (const Json &e : items) {
    const double v = at(e, "snr_db").asDouble();
    if (v >= kExactSnr) exact = true;
    else if (v > -kExactSnr) top = std::max(top, v);
  }
  if (exact) c.max = top > 0 ? top : 1.0;
  for (const Json &e : items) {
    Bar b;
    b.name = at(e, nameKey).asString();
    const double v = at(e, "snr_db").asDouble();
    b.value = v;
    if (v >= kExactSnr) {
      b.value = *c.max;
      b.text = "exact";
      b.extraClass = "exact";
    } else if (v <= -kExactSnr) {
      b.value = 0;
      b.text = "no signal";
    } else {
      b.text = formatNumber(v, 4) + " dB";
    }
    if (const Json *op = e.find("op")) b.data.push_back({"op", op->asString()});
    b.tooltip = b.name + (e.find("op") ? " (" + at(e, "op").asString() + ")" : "") +
                ": SNR " + b.text;
    c.bars.push_back(std::move(b));
  }
}

std::string snrText(const Json &e) {
  const double v = at(e, "snr_db").asDouble();
  if (v >= kExactSnr) return "exact";
  if (v <= -kExactSnr) return "no signal";
  return formatNumber(v, 4);
}

std::string layerSection(const Json &layers) {
  const Json::Array &ls = layers.elements();
  BarChart snr = barChart(
      "layer-snr", "SNR per layer (dB)", "layer snr", "layer",
      "SNR of the layer's output, float vs quantized (dB; higher is better)");
  addSnrBars(snr, ls, "node");

  BarChart cos = barChart(
      "layer-cosine", "cosine similarity per layer", "layer cosine", "layer",
      "cosine similarity, float vs quantized (1 = same direction)");
  cos.max = 1.0;
  double lo = 1;
  for (const Json &e : ls) lo = std::min(lo, at(e, "cosine").asDouble());
  // Zoom in on the interesting range: cosines of good layers crowd near 1.
  cos.min = lo >= 0.9 ? 0.9 : lo >= 0 ? 0.0 : -1.0;
  for (const Json &e : ls) {
    Bar b;
    b.name = at(e, "node").asString();
    b.value = at(e, "cosine").asDouble();
    b.text = formatNumber(b.value, 6);
    b.data.push_back({"op", at(e, "op").asString()});
    b.tooltip = b.name + " (" + at(e, "op").asString() + "): cosine " + b.text;
    cos.bars.push_back(std::move(b));
  }

  Table t;
  t.head = {"#", "node", "op", "type", "scale", "zero point", "SNR dB", "cosine",
            "max abs error", "SNR drop dB"};
  t.columns = {Column::Number, Column::Name, Column::Text, Column::Text, Column::Number, Column::Number, Column::Number, Column::Number, Column::Number, Column::Number};
  for (size_t i = 0; i < ls.size(); ++i) {
    const Json &e = ls[i];
    t.rows.push_back({std::to_string(i), at(e, "node").asString(), at(e, "op").asString(),
                      at(e, "type").asString(), formatNumber(at(e, "scale").asDouble()),
                      textOf(at(e, "zero_point")), snrText(e),
                      formatNumber(at(e, "cosine").asDouble(), 6),
                      formatNumber(at(e, "max_abs_error").asDouble()),
                      at(e, "snr_drop_db").isNull() ? "-" : textOf(at(e, "snr_drop_db"))});
  }
  return svgBarChart(snr) + svgBarChart(cos) + htmlTable(t);
}

std::string outputSection(const Json &outputs) {
  const Json::Array &os = outputs.elements();
  BarChart snr = barChart(
      "output-snr", "SNR per model output (dB)", "output snr", "output",
      "SNR of the model output, float vs quantized (dB)");
  addSnrBars(snr, os, "name");
  Table t;
  t.head = {"output", "SNR dB", "cosine", "max abs error", "top-1 agreement"};
  t.columns = {Column::Name, Column::Number, Column::Number, Column::Number, Column::Number};
  for (const Json &e : os) {
    const Json &top1 = at(e, "top1_agreement");
    t.rows.push_back({at(e, "name").asString(), snrText(e),
                      formatNumber(at(e, "cosine").asDouble(), 6),
                      formatNumber(at(e, "max_abs_error").asDouble()),
                      top1.isNull() ? "-" : formatNumber(top1.asDouble() * 100, 4) + "%"});
  }
  return svgBarChart(snr) + htmlTable(t);
}

} // namespace

std::string quantizeReportHtml(const Json &r) {
  const Json &acc = at(r, "accuracy");
  const Json &scheme = at(r, "scheme");
  HtmlPage page("edgec quantize: " + at(r, "model").asString());
  const std::string method = textOf(at(scheme, "method"));
  const bool perChannel = at(scheme, "per_channel").asBool();
  const bool random = at(scheme, "random_calibration").asBool();
  std::vector<std::pair<std::string, std::string>> facts = {
      {"model", at(r, "model").asString()},
      {"quantized model", at(r, "output").asString()},
      {"activations", textOf(at(scheme, "activations"))},
      {"weights", textOf(at(scheme, "weights")) + (perChannel ? " per channel" : " per tensor")},
      {"range method",
       method + (method == "percentile" ? " " + textOf(at(scheme, "percentile")) : "")},
      {"calibration samples",
       textOf(at(scheme, "calibration_samples")) + (random ? " (random noise)" : "")},
      {"integer nodes", textOf(at(r, "integer_nodes"))},
      {"nodes kept in float", std::to_string(at(r, "float_nodes").elements().size())},
      {"evaluated on",
       textOf(at(r, "eval_set")) + " (" + textOf(at(acc, "samples")) + " samples)"},
  };
  const Json &top1 = at(acc, "accuracy");
  auto percent = [](const Json &j) { return formatNumber(j.asDouble() * 100, 4) + "%"; };
  if (top1.isObject())
    facts.push_back({"top-1 accuracy", "float " + percent(at(top1, "float_top1")) +
                                           ", quantized " + percent(at(top1, "quantized_top1")) +
                                           " (" + textOf(at(top1, "labelled_samples")) +
                                           " labelled)"});
  const Json &mp = at(r, "mixed_precision");
  if (mp.isObject())
    facts.push_back({"mixed-precision target",
                     std::string(at(mp, "met").asBool() ? "met" : "NOT met") + ", " +
                         std::to_string(at(mp, "steps").elements().size()) +
                         " layer(s) kept in float"});
  page.markup(htmlFacts(facts));
  for (const Json &n : at(r, "notes").elements()) page.paragraph("note: " + n.asString());

  page.heading("Quantization error per layer");
  page.paragraph("Each quantized node's output in the integer model against the same node's "
                 "output in the float model, over the evaluation samples: signal-to-noise ratio "
                 "(10 log10 of signal over error energy) and the mean cosine similarity.");
  page.markup(layerSection(at(acc, "layers")));
  page.heading("Model outputs");
  page.markup(outputSection(at(acc, "outputs")));
  if (!at(r, "float_nodes").elements().empty()) {
    page.heading("Nodes kept in float", 3);
    Table t;
    t.head = {"node"};
    t.columns = {Column::Name};
    for (const Json &n : at(r, "float_nodes").elements()) t.rows.push_back({n.asString()});
    page.markup(htmlTable(t));
  }
  return page.finish();
}

} // namespace edgec::report
