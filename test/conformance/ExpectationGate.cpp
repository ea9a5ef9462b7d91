#include "ExpectationGate.h"

#include "support/FileIO.h"

#include <filesystem>
#include <sstream>

namespace edgec::conformance {

const char *outcomeName(Outcome o) {
  switch (o) {
  case Outcome::Pass: return "PASS";
  case Outcome::Fail: return "FAIL";
  case Outcome::Unsupported: return "UNSUPPORTED";
  }
  return "?";
}

namespace {

const char *kSpace = " \t\r";

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

/// The non-comment, non-blank lines of a list file, trimmed, with their
/// line numbers.
Expected<std::vector<std::pair<int, std::string>>> listLines(const std::string &path) {
  if (std::filesystem::is_directory(path))
    return makeError(ErrorCode::Io, "expectation list " + path + ": is a folder");
  auto text = readFileBytes(path);
  if (!text.isOk())
    return makeError(ErrorCode::Io, "expectation list " + path + ": " + text.error().message());
  std::vector<std::pair<int, std::string>> lines;
  std::istringstream in(*text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = trim(line);
    if (!line.empty() && line[0] != '#') lines.emplace_back(n, line);
  }
  return lines;
}

/// One line of a reason: no line breaks, at most 200 characters.
std::string oneLine(std::string s) {
  for (char &c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  s = trim(s);
  if (s.size() > 200) s = s.substr(0, 197) + "...";
  return s.empty() ? "no reason given" : s;
}

std::string orNone(const std::string &path) {
  return path.empty() ? "the known failures (no --known-failures list given)" : path;
}

} // namespace

Expected<std::set<std::string>> readPassingList(const std::string &path) {
  EDGEC_ASSIGN_OR_RETURN(auto lines, listLines(path));
  std::set<std::string> names;
  for (const auto &[n, line] : lines) {
    if (line.find_first_of(kSpace) != std::string::npos)
      return makeError(ErrorCode::InvalidInput, path + ":" + std::to_string(n) +
                                                    ": expected one case name, got '" +
                                                    line + "'");
    names.insert(line);
  }
  return names;
}

Expected<std::map<std::string, std::string>> readKnownFailures(const std::string &path) {
  EDGEC_ASSIGN_OR_RETURN(auto lines, listLines(path));
  std::map<std::string, std::string> known;
  for (const auto &[n, line] : lines) {
    size_t sp = line.find_first_of(kSpace);
    std::string reason = sp == std::string::npos ? "" : trim(line.substr(sp));
    if (reason.empty())
      return makeError(ErrorCode::InvalidInput,
                       path + ":" + std::to_string(n) + ": case '" + line +
                           "' has no reason (each line is 'case-name  reason')");
    known[line.substr(0, sp)] = reason;
  }
  return known;
}

Status readExpectations(Expectations &ex) {
  if (!ex.passingPath.empty()) {
    EDGEC_ASSIGN_OR_RETURN(ex.passing, readPassingList(ex.passingPath));
  }
  if (!ex.knownFailuresPath.empty()) {
    EDGEC_ASSIGN_OR_RETURN(ex.knownFailures, readKnownFailures(ex.knownFailuresPath));
  }
  return Status::ok();
}

std::vector<std::string> checkGate(const Expectations &ex,
                                   const std::vector<CaseOutcome> &ran,
                                   const std::set<std::string> &folders) {
  std::vector<std::string> problems;
  const std::string &pass = ex.passingPath;
  const std::string known = orNone(ex.knownFailuresPath);
  for (const auto &name : ex.passing) {
    if (!folders.count(name))
      problems.push_back("MISSING CASE " + name + ": listed in " + pass +
                         ", no folder with a model.onnx in the data directory");
    if (ex.knownFailures.count(name))
      problems.push_back("BOTH LISTS " + name + ": in " + pass + " and in " + known);
  }
  for (const auto &[name, why] : ex.knownFailures)
    if (!folders.count(name))
      problems.push_back("MISSING CASE " + name + ": listed in " + known +
                         ", no folder with a model.onnx in the data directory");
  for (const auto &r : ran) {
    bool listedPass = ex.passing.count(r.name) != 0;
    bool listedFail = ex.knownFailures.count(r.name) != 0;
    std::string got = std::string(outcomeName(r.outcome)) +
                      (r.reason.empty() ? "" : ": " + oneLine(r.reason));
    switch (r.outcome) {
    case Outcome::Pass:
      if (listedFail)
        problems.push_back("FIXED " + r.name + ": passes, listed in " + known +
                           " (move it to " + pass + ")");
      else if (!listedPass)
        problems.push_back("NEW PASS " + r.name + ": passes, not listed in " + pass);
      break;
    case Outcome::Fail:
      if (listedPass)
        problems.push_back("REGRESSION " + r.name + ": listed in " + pass + ", now " + got);
      else if (!listedFail)
        problems.push_back("NEW FAIL " + r.name + ": " + got + " (not listed in " + known +
                           ")");
      break;
    case Outcome::Unsupported:
      if (listedPass)
        problems.push_back("REGRESSION " + r.name + ": listed in " + pass + ", now " + got);
      else if (listedFail)
        problems.push_back("CHANGED " + r.name + ": listed in " + known + " as FAIL, now " +
                           got);
      break;
    }
  }
  return problems;
}

std::string passingListText(const std::vector<CaseOutcome> &ran) {
  std::string out = "# Cases that must keep passing (edgec-conformance --expect).\n";
  for (const auto &r : ran)
    if (r.outcome == Outcome::Pass) out += r.name + "\n";
  return out;
}

std::string knownFailuresText(const std::vector<CaseOutcome> &ran, const Expectations &ex) {
  std::string out =
      "# Known failures: cases that FAIL, each with the reason it is accepted for now\n"
      "# (edgec-conformance --known-failures; docs/testing.md). Each line:\n"
      "# case-name  reason\n";
  for (const auto &r : ran) {
    if (r.outcome != Outcome::Fail) continue;
    auto it = ex.knownFailures.find(r.name);
    out += r.name + "  " + (it != ex.knownFailures.end() ? it->second : oneLine(r.reason)) +
           "\n";
  }
  return out;
}

} // namespace edgec::conformance
