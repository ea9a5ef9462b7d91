// The HTML writer of the reports (see Html.h).
#include "report/Html.h"

#include <cmath>
#include <cstdio>

namespace edgec::report {

namespace {

// One style sheet for every report. Colours of the placement targets are
// t0..t5 (palette order = order of first appearance).
const char *const kStyle = R"CSS(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; max-width: 1140px; }
h1 { font-size: 22px; margin: 0 0 8px 0; }
h2 { font-size: 18px; margin: 28px 0 6px 0; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 4px 0; }
p { margin: 4px 0 8px 0; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 8px 0; font-size: 14px; }
dl.facts dt { color: #57606a; }
dl.facts dd { margin: 0; font-family: ui-monospace, monospace; }
svg.chart { display: block; margin: 8px 0; background: #fff; }
svg.chart text { font-size: 11px; fill: #1f2328; }
svg.chart text.axis-label { font-size: 12px; fill: #57606a; }
svg.chart line.axis { stroke: #57606a; stroke-width: 1; }
svg.chart line.grid { stroke: #d0d7de; stroke-width: 1; }
rect.bar { fill: #4c78a8; }
rect.bar.cosine { fill: #59a14f; }
rect.bar.output { fill: #b279a2; }
rect.bar.time { fill: #f58518; }
rect.bar.exact { fill: #9ecae9; }
rect.buffer { fill: #4c78a8; fill-opacity: 0.75; stroke: #ffffff; stroke-width: 0.5; }
rect.buffer.scratch { fill: #f58518; }
rect.node { stroke: #ffffff; stroke-width: 1; }
rect.t0 { fill: #4c78a8; } rect.t1 { fill: #f58518; } rect.t2 { fill: #54a24b; }
rect.t3 { fill: #e45756; } rect.t4 { fill: #72b7b2; } rect.t5 { fill: #b279a2; }
rect.unsupported { fill: #bab0ac; }
table { border-collapse: collapse; font-size: 12px; margin: 6px 0 16px 0; }
th, td { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; vertical-align: top; white-space: nowrap; }
td.name { white-space: normal; overflow-wrap: anywhere; min-width: 160px; max-width: 420px; }
th { background: #f6f8fa; }
td.num { text-align: right; font-family: ui-monospace, monospace; }
)CSS";

} // namespace

std::string htmlEscape(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string formatNumber(double v, int digits) {
  if (!std::isfinite(v)) return "n/a";
  if (v == 0) return "0"; // also -0
  char b[48];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(b, sizeof b, "%lld", (long long)v);
  else
    std::snprintf(b, sizeof b, "%.*g", digits, v);
  return b;
}

std::string htmlTable(const Table &t) {
  std::string h = t.cssClass.empty() ? std::string("<table>\n")
                                      : "<table class=\"" + htmlEscape(t.cssClass) + "\">\n";
  auto open = [&](size_t i) {
    const Column c = i < t.columns.size() ? t.columns[i] : Column::Text;
    return c == Column::Number ? "<td class=\"num\">" : c == Column::Name ? "<td class=\"name\">" : "<td>";
  };
  h += "<thead><tr>";
  for (const std::string &c : t.head) h += "<th>" + htmlEscape(c) + "</th>";
  h += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string> &row : t.rows) {
    h += "<tr>";
    for (size_t i = 0; i < row.size(); ++i)
      h += open(i) + htmlEscape(row[i]) + "</td>";
    h += "</tr>\n";
  }
  h += "</tbody>\n</table>\n";
  return h;
}

std::string htmlFacts(const std::vector<std::pair<std::string, std::string>> &facts) {
  std::string h = "<dl class=\"facts\">\n";
  for (const auto &[k, v] : facts)
    h += "<dt>" + htmlEscape(k) + "</dt><dd>" + htmlEscape(v) + "</dd>\n";
  return h + "</dl>\n";
}

HtmlPage::HtmlPage(const std::string &title) : title_(title) {}

void HtmlPage::heading(const std::string &text, int level) {
  const std::string tag = level == 3 ? "h3" : "h2";
  body_ += "<" + tag + ">" + htmlEscape(text) + "</" + tag + ">\n";
}

void HtmlPage::paragraph(const std::string &text) { body_ += "<p>" + htmlEscape(text) + "</p>\n"; }

void HtmlPage::markup(const std::string &html) { body_ += html; }

std::string HtmlPage::finish() const {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         // Nothing may load or run: inline styles only.
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'\">\n"
         "<title>" + htmlEscape(title_) + "</title>\n<style>" + kStyle +
         "</style>\n</head>\n<body>\n<h1>" + htmlEscape(title_) + "</h1>\n" + body_ +
         "</body>\n</html>\n";
}

} // namespace edgec::report
