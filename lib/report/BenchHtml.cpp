// The bench report as HTML (see BenchHtml.h).
#include "report/BenchHtml.h"

#include <algorithm>

#include "report/BarChart.h"
#include "report/Html.h"
#include "report/JsonView.h"

namespace edgec::report {

namespace {

std::string layerChart(const std::string &executor, const Json &e) {
  const Json::Array &layers = at(e, "layers").elements();
  const std::string unit = at(e, "unit").isString() ? at(e, "unit").asString() : "instructions";
  double total = 0;
  for (const Json &l : layers) total += at(l, "instructions").asDouble();
  BarChart c = barChart(
      "layers-" + executor, unit + " per layer (" + executor + ")", "layer", "layer",
      unit + " per inference, by layer");
  Table t;
  t.head = {"#", "layer", unit, "share"};
  t.columns = {Column::Number, Column::Name, Column::Number, Column::Number};
  for (size_t i = 0; i < layers.size(); ++i) {
    const Json &l = layers[i];
    Bar b;
    b.name = at(l, "layer").asString();
    b.value = at(l, "instructions").asDouble();
    const std::string share = total > 0 ? formatNumber(100 * b.value / total, 3) + "%" : "-";
    b.tooltip = b.name + ": " + formatNumber(b.value) + " " + unit + " (" + share + ")";
    c.bars.push_back(b);
    t.rows.push_back({std::to_string(i), b.name, formatNumber(b.value), share});
  }
  return svgBarChart(c) + htmlTable(t);
}

std::string timeChart(const std::string &executor, const Json &e) {
  BarChart c = barChart(
      "time-" + executor, "latency (" + executor + ")", "time", "measure",
      "milliseconds per inference");
  Table t;
  t.head = {"measure", "ms"};
  t.columns = {Column::Text, Column::Number};
  const std::pair<const char *, const char *> measures[] = {
      {"median_ns", "compiled code, median"},
      {"min_ns", "compiled code, minimum"},
      {"interpreter_median_ns", "reference interpreter, median"}};
  for (const auto &[key, label] : measures) {
    if (at(e, key).isNull()) continue;
    Bar b;
    b.name = label;
    b.value = at(e, key).asDouble() / 1e6;
    b.text = formatNumber(b.value, 4) + " ms";
    c.bars.push_back(b);
    t.rows.push_back({label, formatNumber(b.value, 4)});
  }
  return svgBarChart(c) + htmlTable(t);
}

/// One section per executor of a single-target report; chart ids are
/// prefixed with `prefix` (the matrix entry) so they stay unique.
void executorSections(HtmlPage &page, const Json &r, const std::string &prefix, int level) {
  for (const auto &[executor, e] : r.members()) {
    if (!e.isObject()) continue;
    const std::string id = prefix.empty() ? executor : prefix + "-" + executor;
    page.heading(prefix.empty() ? executor : prefix + ": " + executor, level);
    if (!at(e, "median_ns").isNull()) {
      page.heading("latency", 3);
      page.markup(timeChart(id, e));
    }
    if (!at(e, "layers").elements().empty()) {
      page.heading(textOf(at(e, "unit")) + " per layer", 3);
      page.markup(layerChart(id, e));
    }
    page.heading("figures", 3);
    std::vector<std::pair<std::string, std::string>> figures;
    for (const auto &[k, v] : e.members())
      if (!v.isArray() && !v.isObject()) figures.push_back({k, textOf(v)});
    page.markup(htmlFacts(figures));
  }
}

} // namespace

std::string benchReportHtml(const Json &r) {
  HtmlPage page("edgec bench: " + at(r, "model").asString());
  std::vector<std::pair<std::string, std::string>> facts = {
      {"model", at(r, "model").asString()}, {"target", textOf(at(r, "target"))}};
  if (!at(r, "cpu").isNull()) facts.push_back({"cpu", textOf(at(r, "cpu"))});
  facts.push_back({"MACs", textOf(at(r, "macs"))});
  facts.push_back({"arena bytes", textOf(at(r, "arena_bytes"))});
  facts.push_back({"weight bytes", textOf(at(r, "weight_bytes"))});
  page.markup(htmlFacts(facts));
  page.paragraph("Every executor's outputs were checked against the reference interpreter "
                 "before these figures were taken.");
  executorSections(page, r, "", 2);
  return page.finish();
}

std::string benchMatrixHtml(const Json &doc) {
  HtmlPage page("edgec bench: " + at(doc, "model").asString());
  page.markup(htmlFacts({{"model", at(doc, "model").asString()}}));
  page.paragraph("Every entry's outputs were checked against the reference interpreter "
                 "before its figures were taken.");
  // The comparison: one row per entry, one column per figure any entry has.
  std::vector<std::string> keys;
  for (const Json &e : at(doc, "entries").elements())
    for (const auto &[k, v] : at(e, "figures").members())
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  Table t;
  t.head = {"entry"};
  t.columns = {Column::Name};
  for (const std::string &k : keys) {
    t.head.push_back(k);
    t.columns.push_back(Column::Number);
  }
  for (const Json &e : at(doc, "entries").elements()) {
    std::vector<std::string> row = {at(e, "entry").asString()};
    for (const std::string &k : keys)
      row.push_back(at(at(e, "figures"), k).isNull() ? "-" : textOf(at(at(e, "figures"), k)));
    t.rows.push_back(row);
  }
  page.heading("comparison");
  page.markup(htmlTable(t));
  for (const Json &e : at(doc, "entries").elements())
    executorSections(page, at(e, "bench"), at(e, "entry").asString(), 2);
  return page.finish();
}

} // namespace edgec::report
