// The conformance gate: a run's outcomes against the reviewed expectation
// lists of its mode (docs/testing.md, "Conformance").
//
// Every case has exactly one outcome: PASS, FAIL or UNSUPPORTED. Two lists
// per mode record what each case must give:
//   - the passing list (--expect): one case name a line; each must PASS;
//   - the known failures (--known-failures): `case-name  reason` a line;
//     each must FAIL, and the reason says why it is accepted for now.
// A case in neither list must be UNSUPPORTED. Any other outcome, a case in
// both lists, or a listed case without a folder in the data directory is a
// problem the gate reports by name.
#pragma once

#include "support/Error.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace edgec::conformance {

enum class Outcome { Pass, Fail, Unsupported };

const char *outcomeName(Outcome o);

struct CaseOutcome {
  std::string name;
  Outcome outcome = Outcome::Fail;
  std::string reason;
};

/// The passing list: names, '#' comments and blank lines skipped. An
/// unreadable file is an error, never an empty list.
Expected<std::set<std::string>> readPassingList(const std::string &path);

/// The known failures: name -> reason. An unreadable file, or a line without
/// a reason, is an error.
Expected<std::map<std::string, std::string>> readKnownFailures(const std::string &path);

struct Expectations {
  std::string passingPath, knownFailuresPath; ///< named in the messages
  std::set<std::string> passing;
  std::map<std::string, std::string> knownFailures;
};

/// Reads the lists whose paths `ex` names (a list with no path is empty).
Status readExpectations(Expectations &ex);

/// One line per problem ("NEW FAIL test_x: ..."); empty when the run
/// agrees with the lists. `ran` are the cases run (a --filter may leave some
/// out; those are not judged); `folders` are all case folders of the data
/// directory (every listed case must have one).
std::vector<std::string> checkGate(const Expectations &ex,
                                   const std::vector<CaseOutcome> &ran,
                                   const std::set<std::string> &folders);

/// The lists a run gives: the passing cases, and the failing cases with the
/// reason already in `ex` (reviewed) or else the run's reason.
std::string passingListText(const std::vector<CaseOutcome> &ran);
std::string knownFailuresText(const std::vector<CaseOutcome> &ran, const Expectations &ex);

} // namespace edgec::conformance
