// Subcommands of the edgec tool. Each registers its options on the CLI11 app
// and returns a runner that yields a Status (turned into the exit code).
#pragma once

#include "support/Error.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace edgec::tool {

using Runner = std::function<Status()>;

Runner addInspectCommand(CLI::App &app);
Runner addRunCommand(CLI::App &app);
Runner addOptimizeCommand(CLI::App &app);
Runner addQuantizeCommand(CLI::App &app);
Runner addPruneCommand(CLI::App &app);
Runner addExportCommand(CLI::App &app);
Runner addCompileCommand(CLI::App &app);
Runner addTargetsCommand(CLI::App &app);
Runner addValidateCommand(CLI::App &app);
Runner addBenchCommand(CLI::App &app);

/// Shared: parses repeated --input-shape name=d0,d1,... options.
Status parseInputShapes(const std::vector<std::string> &specs,
                        std::map<std::string, std::vector<int64_t>> &out);

} // namespace edgec::tool
