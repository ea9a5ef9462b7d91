// A small HTML writer for the commands' reports (`--html`): escaping, number
// formatting, tables and one self-contained page (inline CSS, no scripts, no
// network). Everything is deterministic: the same input gives the same
// bytes.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace edgec::report {

/// `s` with & < > " ' replaced by character references: safe as element
/// content and inside a quoted attribute value.
std::string htmlEscape(const std::string &s);

/// A number as the reports show it: integers without a fraction, others
/// with up to `digits` significant digits ("%.*g"); "n/a" when not finite.
std::string formatNumber(double v, int digits = 6);

/// How a table column shows: short text on one line, numbers right-aligned,
/// names (model-provided, maybe long) wrapped anywhere.
enum class Column { Text, Number, Name };

/// A table under a chart: header cells and rows of plain text (escaped
/// here).
struct Table {
  std::vector<std::string> head;
  std::vector<Column> columns; ///< per column (missing: Text)
  std::vector<std::vector<std::string>> rows;
  std::string cssClass; ///< class of the <table> ("" = none)
};
std::string htmlTable(const Table &t);

/// Name/value pairs as a definition list (both escaped).
std::string htmlFacts(const std::vector<std::pair<std::string, std::string>> &facts);

/// One HTML page: <!DOCTYPE html>, UTF-8, the title, the inline style sheet
/// shared by every report, then the sections in the order added.
class HtmlPage {
public:
  explicit HtmlPage(const std::string &title);
  /// <hN> with escaped text (level 2 or 3).
  void heading(const std::string &text, int level = 2);
  /// <p> with escaped text.
  void paragraph(const std::string &text);
  /// Markup built by this library (already escaped).
  void markup(const std::string &html);
  /// The whole document.
  std::string finish() const;

private:
  std::string title_, body_;
};

} // namespace edgec::report
