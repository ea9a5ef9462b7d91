// The HTML reports (lib/report): escaping of model-provided names, one bar
// per layer / buffer / node, chart geometry, determinism.
#include "report/BarChart.h"
#include "report/BenchHtml.h"
#include "report/CompileHtml.h"
#include "report/Html.h"
#include "report/QuantizeHtml.h"
#include "report/Svg.h"

#include <gtest/gtest.h>

using namespace edgec;
using namespace edgec::report;

namespace {

const std::string kEvil = "<img src=x onerror=\"alert('&')\">";

size_t count(const std::string &hay, const std::string &needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

/// The markup of the <svg> with this id (empty when absent).
std::string svgById(const std::string &html, const std::string &id) {
  size_t b = html.find("<svg class=\"chart\" id=\"" + id + "\"");
  if (b == std::string::npos) return "";
  return html.substr(b, html.find("</svg>", b) - b);
}

Json layer(const std::string &node, const std::string &op, double snr, double cosine) {
  Json l = Json::object();
  l["node"] = node;
  l["op"] = op;
  l["snr_db"] = snr;
  l["cosine"] = cosine;
  l["max_abs_error"] = 0.01;
  l["scale"] = 0.05;
  l["zero_point"] = -3;
  l["type"] = "int8";
  l["snr_drop_db"] = nullptr;
  return l;
}

Json quantizeReport() {
  Json layers = Json::array();
  layers.push(layer("conv1", "Conv", 31.5, 0.9993));
  layers.push(layer(kEvil, "Relu", 999, 1.0)); // exact
  layers.push(layer("fc", "Gemm", 12.25, 0.97));
  Json outs = Json::array();
  for (const char *name : {"logits", "probs"}) {
    Json o = Json::object();
    o["name"] = name;
    o["snr_db"] = 20.5;
    o["cosine"] = 0.995;
    o["max_abs_error"] = 0.2;
    o["top1_agreement"] = 1.0;
    outs.push(o);
  }
  Json acc = Json::object();
  acc["samples"] = 4;
  acc["layers"] = layers;
  acc["outputs"] = outs;
  Json r = Json::object();
  r["schema"] = "edgec.quantize-report.v1";
  r["model"] = "m&m.onnx";
  r["output"] = "q.onnx";
  r["accuracy"] = acc;
  r["float_nodes"] = Json::array();
  return r;
}

Json buffer(const std::string &name, int64_t off, int64_t bytes, int first, int last,
            const std::string &kind = "value") {
  Json b = Json::object();
  b["name"] = name;
  b["kind"] = kind;
  b["offset"] = off;
  b["bytes"] = bytes;
  b["first"] = first;
  b["last"] = last;
  return b;
}

Json placed(const std::string &node, const std::string &target, const std::string &kind) {
  Json n = Json::object();
  n["node"] = node;
  n["op"] = "Add";
  n["placement"] = kind;
  n["target"] = target;
  n["reason"] = kind == "fallback" ? "not one of the skeleton's ops" : "";
  return n;
}

Json compileReport() {
  Json arena = Json::object();
  arena["bytes"] = 400;
  arena["lower_bound"] = 400;
  Json bufs = Json::array();
  bufs.push(buffer("a", 0, 200, 0, 1));
  bufs.push(buffer(kEvil, 200, 200, 1, 2));
  bufs.push(buffer("scratch@3", 0, 100, 3, 3, "scratch"));
  arena["buffers"] = bufs;
  Json layers = Json::array();
  for (const char *n : {"n0", "n1", "n2", "n3"}) {
    Json l = Json::object();
    l["name"] = n;
    layers.push(l);
  }
  Json nodes = Json::array();
  nodes.push(placed("n0", "skeleton", "target"));
  nodes.push(placed(kEvil, "mcu", "fallback"));
  nodes.push(placed("n2", "skeleton", "target"));
  nodes.push(placed("n3", "", "unsupported"));
  Json placement = Json::object();
  placement["target"] = "skeleton";
  placement["fallback"] = "mcu";
  placement["policy"] = "fallback";
  placement["nodes"] = nodes;
  Json r = Json::object();
  r["target"] = "skeleton";
  r["name"] = "model";
  r["arena"] = arena;
  r["layers"] = layers;
  r["placement"] = placement;
  return r;
}

Json benchReport() {
  Json layers = Json::array();
  for (const std::string &n : {std::string("conv"), kEvil, std::string("fc"), std::string("sm")}) {
    Json l = Json::object();
    l["layer"] = n;
    l["instructions"] = int64_t(1000);
    layers.push(l);
  }
  Json q = Json::object();
  q["unit"] = "instructions";
  q["instructions"] = int64_t(4000);
  q["layers"] = layers;
  Json h = Json::object();
  h["median_ns"] = int64_t(1500000);
  h["min_ns"] = int64_t(1400000);
  h["interpreter_median_ns"] = int64_t(30000000);
  Json r = Json::object();
  r["model"] = "m.onnx";
  r["target"] = "mcu";
  r["qemu"] = q;
  r["host"] = h;
  return r;
}

} // namespace

TEST(HtmlReport, EscapesTheFiveCharacters) {
  EXPECT_EQ(htmlEscape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  EXPECT_EQ(htmlEscape("plain ünïcode"), "plain ünïcode");
  Table t;
  t.head = {"<h>"};
  t.rows = {{"x&y"}};
  std::string h = htmlTable(t);
  EXPECT_NE(h.find("<th>&lt;h&gt;</th>"), std::string::npos) << h;
  EXPECT_NE(h.find("<td>x&amp;y</td>"), std::string::npos) << h;
}

TEST(HtmlReport, FormatsNumbersTheSameEveryRun) {
  EXPECT_EQ(formatNumber(3), "3");
  EXPECT_EQ(formatNumber(-0.0), "0");
  EXPECT_EQ(formatNumber(0.1 + 0.2), "0.3");
  EXPECT_EQ(formatNumber(31.4159, 4), "31.42");
  EXPECT_EQ(formatNumber(1.0 / 0.0), "n/a");
  EXPECT_EQ(svgNumber(12.3456), "12.35");
  EXPECT_EQ(svgNumber(7.0), "7");
  EXPECT_EQ(svgNumber(-0.001), "0");
}

TEST(HtmlReport, NiceTicksCoverTheRange) {
  std::vector<double> t = niceTicks(0, 97);
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t.front(), 0);
  EXPECT_EQ(t.back(), 100);
  EXPECT_EQ(t[1], 20);
  std::vector<double> n = niceTicks(-12, 31);
  EXPECT_LE(n.front(), -12);
  EXPECT_GE(n.back(), 31);
}

TEST(HtmlReport, BarChartHasOneRectPerBarScaledToTheAxis) {
  BarChart c;
  c.id = "demo";
  c.barClass = "layer";
  c.dataName = "layer";
  c.bars = {{"a", 50, "", "", {}, ""}, {"b", 100, "", "", {}, ""}, {"c", -25, "", "", {}, ""}};
  std::string s = svgBarChart(c);
  EXPECT_EQ(count(s, "class=\"bar layer\""), 3u) << s;
  // Ticks of 50 make the axis -50..100 over 600 px from x = 230: zero at
  // 430; rows of 16 px from y = 8, bars 12 px high in their middle.
  EXPECT_NE(s.find("data-layer=\"b\" data-value=\"100\" x=\"430\" y=\"26\" width=\"400\""),
            std::string::npos) << s;
  EXPECT_NE(s.find("data-layer=\"c\" data-value=\"-25\" x=\"330\" y=\"42\" width=\"100\""),
            std::string::npos) << s;
}

TEST(HtmlReport, QuantizeHasOneBarPerLayerAndOutput) {
  std::string h = quantizeReportHtml(quantizeReport());
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(svgById(h, "layer-snr"), "<rect class=\"bar layer snr"), 3u);
  EXPECT_EQ(count(svgById(h, "layer-cosine"), "<rect class=\"bar layer cosine"), 3u);
  EXPECT_EQ(count(svgById(h, "output-snr"), "<rect class=\"bar output snr"), 2u);
  // The exact layer reaches the end of the axis, labelled "exact".
  EXPECT_NE(h.find("<rect class=\"bar layer snr exact\""), std::string::npos);
  EXPECT_NE(h.find("data-value=\"exact\""), std::string::npos);
  EXPECT_NE(h.find("<td class=\"num\">31.5</td>"), std::string::npos);
  EXPECT_EQ(count(h, "<tr>"), 1u + 3u + 1u + 2u) << "header and one row per layer and output";
}

TEST(HtmlReport, EveryModelNameIsEscaped) {
  for (const std::string &h : {quantizeReportHtml(quantizeReport()),
                               compileReportHtml(compileReport()), benchReportHtml(benchReport())}) {
    EXPECT_EQ(h.find("<img"), std::string::npos);
    EXPECT_EQ(h.find("alert('"), std::string::npos);
    EXPECT_NE(h.find("&lt;img src=x onerror=&quot;alert(&#39;&amp;&#39;)&quot;&gt;"),
              std::string::npos);
    EXPECT_EQ(h.find("<script"), std::string::npos);
  }
}

TEST(HtmlReport, CompileDrawsEachBufferOverItsLifetime) {
  std::string h = compileReportHtml(compileReport());
  std::string t = svgById(h, "arena-timeline");
  EXPECT_EQ(count(t, "<rect class=\"buffer"), 3u) << t;
  EXPECT_EQ(count(t, "<rect class=\"buffer scratch\""), 1u);
  // 4 steps over 860 px from x = 80 (215 px each); 400 bytes over 360 px
  // from y = 10 (offset 0 at the bottom, y = 370).
  EXPECT_NE(t.find("data-buffer=\"a\" data-offset=\"0\" data-bytes=\"200\" data-first=\"0\" "
                   "data-last=\"1\" x=\"80\" y=\"190\" width=\"430\" height=\"180\""),
            std::string::npos) << t;
  EXPECT_NE(t.find("data-first=\"3\" data-last=\"3\" x=\"725\" y=\"280\" width=\"215\" "
                   "height=\"90\""),
            std::string::npos) << t;
}

TEST(HtmlReport, CompileColoursEachNodeByItsTarget) {
  std::string p = svgById(compileReportHtml(compileReport()), "placement");
  EXPECT_EQ(count(p, "<rect class=\"node "), 4u) << p;
  EXPECT_EQ(count(p, "<rect class=\"node t0\" data-node="), 2u); // skeleton, the primary
  EXPECT_EQ(count(p, "<rect class=\"node t1\" data-node="), 1u); // mcu
  EXPECT_EQ(count(p, "<rect class=\"node unsupported\""), 1u);
  EXPECT_NE(p.find("skeleton: 2 node(s)"), std::string::npos);
}

TEST(HtmlReport, CompileWithoutArenaSaysSo) {
  Json r = compileReport();
  r["arena"] = nullptr;
  r["target"] = "tflite";
  std::string h = compileReportHtml(r);
  EXPECT_EQ(svgById(h, "arena-timeline"), "");
  EXPECT_NE(h.find("no arena plan (target &#39;tflite&#39; plans no arena)"), std::string::npos);
  EXPECT_NE(svgById(h, "placement"), "");
}

TEST(HtmlReport, BenchHasOneBarPerProfiledLayer) {
  std::string h = benchReportHtml(benchReport());
  EXPECT_EQ(count(svgById(h, "layers-qemu"), "<rect class=\"bar layer\""), 4u);
  EXPECT_EQ(count(svgById(h, "time-host"), "<rect class=\"bar time\""), 3u);
  EXPECT_EQ(svgById(h, "layers-host"), "");
  EXPECT_NE(h.find("<td class=\"num\">25%</td>"), std::string::npos);
}

TEST(HtmlReport, OutputIsDeterministic) {
  // The same report, built twice and read back from its JSON text, gives
  // the same bytes.
  for (int k = 0; k < 3; ++k) {
    Json a = k == 0 ? quantizeReport() : k == 1 ? compileReport() : benchReport();
    Expected<Json> b = Json::parse(a.dump());
    ASSERT_TRUE(b.isOk());
    auto render = [&](const Json &j) {
      return k == 0 ? quantizeReportHtml(j) : k == 1 ? compileReportHtml(j) : benchReportHtml(j);
    };
    EXPECT_EQ(render(a), render(*b));
    EXPECT_EQ(render(a), render(a));
  }
}
