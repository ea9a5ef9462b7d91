// The compile report as HTML (see CompileHtml.h).
#include "report/CompileHtml.h"

#include "report/BarChart.h"
#include "report/Html.h"
#include "report/JsonView.h"
#include "report/Svg.h"

#include <algorithm>
#include <map>

namespace edgec::report {

namespace {

// Timeline layout in CSS pixels.
constexpr double kAxisWidth = 80, kPlotWidth = 860, kPlotHeight = 360, kTop = 10, kBottom = 48;
// Placement grid.
constexpr double kCell = 18, kGap = 2;
constexpr int kCellsPerRow = 48, kPalette = 6;

std::string arenaSection(const Json &arena, const Json::Array &layers) {
  const Json::Array &bufs = at(arena, "buffers").elements();
  const int64_t bytes = at(arena, "bytes").asInt();
  int64_t steps = int64_t(layers.size());
  for (const Json &b : bufs) steps = std::max(steps, at(b, "last").asInt() + 1);
  if (steps == 0) steps = 1;
  const double top = double(std::max<int64_t>(bytes, 1));
  const double stepW = kPlotWidth / double(steps);
  auto xOf = [&](double s) { return kAxisWidth + s * stepW; };
  auto yOf = [&](double off) { return kTop + kPlotHeight - off / top * kPlotHeight; };

  Svg s("arena-timeline", "arena offset over execution steps", kAxisWidth + kPlotWidth + 20,
        kTop + kPlotHeight + kBottom);
  for (double t : niceTicks(0, top)) {
    if (t > top) break;
    s.line(kAxisWidth, yOf(t), kAxisWidth + kPlotWidth, yOf(t), "grid");
    s.text(kAxisWidth - 6, yOf(t) + 4, formatNumber(t), "end");
  }
  for (double t : niceTicks(0, double(steps), 10)) {
    if (t > double(steps)) break;
    s.text(xOf(t), kTop + kPlotHeight + 14, formatNumber(t), "middle");
  }
  for (const Json &b : bufs) {
    const int64_t off = at(b, "offset").asInt(), size = at(b, "bytes").asInt();
    const int64_t first = at(b, "first").asInt(), last = at(b, "last").asInt();
    const std::string name = at(b, "name").asString();
    const std::string kind = at(b, "kind").asString();
    const double y0 = yOf(double(off + size)), y1 = yOf(double(off));
    s.rect(xOf(double(first)), y0, stepW * double(last - first + 1), std::max(y1 - y0, 1.0),
           kind == "scratch" ? "buffer scratch" : "buffer",
           {{"buffer", name},
            {"offset", std::to_string(off)},
            {"bytes", std::to_string(size)},
            {"first", std::to_string(first)},
            {"last", std::to_string(last)}},
           name + ": " + std::to_string(size) + " bytes at offset " + std::to_string(off) +
               ", steps " + std::to_string(first) + " to " + std::to_string(last));
  }
  s.line(kAxisWidth, kTop, kAxisWidth, kTop + kPlotHeight, "axis");
  s.line(kAxisWidth, kTop + kPlotHeight, kAxisWidth + kPlotWidth, kTop + kPlotHeight, "axis");
  s.text(kAxisWidth + kPlotWidth / 2, kTop + kPlotHeight + 36,
         "execution step (node order)", "middle", "axis-label");
  s.text(14, kTop + kPlotHeight / 2, "arena offset (bytes)", "middle", "axis-label", true);

  Table t;
  t.head = {"buffer", "kind", "offset", "bytes", "first step", "last step"};
  t.columns = {Column::Name, Column::Text, Column::Number, Column::Number, Column::Number, Column::Number};
  for (const Json &b : bufs)
    t.rows.push_back({at(b, "name").asString(), at(b, "kind").asString(),
                      textOf(at(b, "offset")), textOf(at(b, "bytes")),
                      textOf(at(b, "first")), textOf(at(b, "last"))});
  return s.finish() + htmlTable(t);
}

/// The steps (the report's `layers`): what runs at each step of the
/// timeline and where its output lives.
std::string stepTable(const Json::Array &layers) {
  Table t;
  t.head = {"step", "node", "op", "target", "kernel", "output storage", "arena offset", "bytes"};
  t.columns = {Column::Number, Column::Name, Column::Text, Column::Text,
               Column::Name,   Column::Name, Column::Number, Column::Number};
  for (const Json &l : layers) {
    const bool inArena = at(l, "arena_offset").asInt() >= 0;
    t.rows.push_back({textOf(at(l, "index")), at(l, "name").asString(), at(l, "op").asString(),
                      at(l, "target").asString(), at(l, "kernel").asString(),
                      at(l, "storage").asString() + (at(l, "in_place").asBool() ? " (in place)" : ""),
                      inArena ? textOf(at(l, "arena_offset")) : "-",
                      inArena ? textOf(at(l, "arena_bytes")) : "-"});
  }
  return htmlTable(t);
}

std::string placementSection(const Json &placement) {
  const Json::Array &nodes = at(placement, "nodes").elements();
  // Colours by order of first appearance, the primary target first.
  std::map<std::string, int> colour;
  std::vector<std::string> order;
  auto note = [&](const std::string &t) {
    if (!t.empty() && !colour.count(t)) {
      colour[t] = int(order.size()) % kPalette;
      order.push_back(t);
    }
  };
  note(at(placement, "target").asString());
  for (const Json &n : nodes) note(at(n, "target").asString());

  const size_t rows = (nodes.size() + kCellsPerRow - 1) / kCellsPerRow;
  const double gridH = double(rows) * (kCell + kGap);
  const double legendH = 18 * double(order.size() + 1);
  Svg s("placement", "placement of each node", 20 + kCellsPerRow * (kCell + kGap),
        8 + gridH + 12 + legendH);
  std::map<std::string, int64_t> count;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Json &n = nodes[i];
    const std::string tgt = at(n, "target").asString();
    const std::string kind = at(n, "placement").asString();
    const std::string name = at(n, "node").asString(), op = at(n, "op").asString();
    ++count[tgt.empty() ? std::string("(unsupported)") : tgt];
    const double x = 10 + double(i % kCellsPerRow) * (kCell + kGap);
    const double y = 8 + double(i / kCellsPerRow) * (kCell + kGap);
    std::string why = at(n, "reason").asString();
    s.rect(x, y, kCell, kCell,
           "node " + (tgt.empty() ? std::string("unsupported") : "t" + std::to_string(colour[tgt])),
           {{"node", name}, {"op", op}, {"target", tgt}, {"placement", kind}},
           std::to_string(i) + " " + name + " (" + op + "): " +
               (tgt.empty() ? "unsupported" : "runs on " + tgt) + (why.empty() ? "" : " - " + why));
  }
  double y = 8 + gridH + 12;
  for (const std::string &tgt : order) {
    s.rect(10, y, 12, 12, "legend t" + std::to_string(colour[tgt]), {}, "");
    s.text(28, y + 10, tgt + ": " + std::to_string(count[tgt]) + " node(s)");
    y += 18;
  }
  if (count.count("(unsupported)")) {
    s.rect(10, y, 12, 12, "legend unsupported", {}, "");
    s.text(28, y + 10, "unsupported: " + std::to_string(count["(unsupported)"]) + " node(s)");
  }

  Table t;
  t.head = {"#", "node", "op", "placement", "target", "reason"};
  t.columns = {Column::Number, Column::Name, Column::Text, Column::Text, Column::Text, Column::Name};
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Json &n = nodes[i];
    t.rows.push_back({std::to_string(i), at(n, "node").asString(), at(n, "op").asString(),
                      at(n, "placement").asString(), at(n, "target").asString(),
                      at(n, "reason").asString()});
  }
  return s.finish() + htmlTable(t);
}

} // namespace

std::string compileReportHtml(const Json &r) {
  const Json &arena = at(r, "arena");
  const Json::Array &layers = at(r, "layers").elements();
  const std::string target = at(r, "target").asString();
  HtmlPage page("edgec compile: " + at(r, "name").asString() + " for " + target);
  std::vector<std::pair<std::string, std::string>> facts = {{"target", target}};
  if (!at(r, "cpu").isNull()) facts.push_back({"cpu", textOf(at(r, "cpu"))});
  if (arena.isObject()) {
    facts.push_back({"arena", textOf(at(arena, "bytes")) + " bytes (lower bound " +
                                  textOf(at(arena, "lower_bound")) + ", strategy " +
                                  textOf(at(arena, "strategy")) + ", alignment " +
                                  textOf(at(arena, "alignment")) + ")"});
    facts.push_back({"arena + inputs/outputs", textOf(at(arena, "bytes_with_io")) + " bytes"});
  }
  const std::pair<const char *, const char *> sizes[] = {
      {"weight_bytes", "weight bytes"}, {"macs", "MACs"}, {"tflite_bytes", "TFLite file bytes"}};
  for (const auto &[key, label] : sizes)
    if (!at(r, key).isNull()) facts.push_back({label, textOf(at(r, key))});
  if (!layers.empty()) facts.push_back({"layers (steps)", std::to_string(layers.size())});
  page.markup(htmlFacts(facts));

  page.heading("Arena over time");
  if (at(arena, "buffers").isArray()) {
    page.paragraph("Each rectangle is one arena buffer: from the step that writes it to the last "
                   "step that reads it (x), at its offset and size in the arena (y). Buffers "
                   "that do not overlap in time may share bytes; an output computed in place "
                   "shares its input's buffer.");
    page.markup(arenaSection(arena, layers));
    page.heading("Steps", 3);
    page.markup(stepTable(layers));
  } else {
    page.paragraph("This report has no arena plan (target '" + target + "' plans no arena).");
  }
  page.heading("Placement");
  const Json &placement = at(r, "placement");
  if (at(placement, "nodes").isArray()) {
    page.paragraph("Which target runs each node, in execution order (policy " +
                   textOf(at(placement, "policy")) +
                   (textOf(at(placement, "fallback")).empty()
                        ? std::string(", no fallback")
                        : ", fallback " + textOf(at(placement, "fallback"))) +
                   ").");
    page.markup(placementSection(placement));
  } else {
    page.paragraph("This report has no placement.");
  }
  return page.finish();
}

} // namespace edgec::report
