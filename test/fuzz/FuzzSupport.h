// What the libFuzzer harnesses of test/fuzz share: the input size bound and
// the scratch folder their files go to (the harnesses never write anywhere
// else, and never exit: every loader reports bad input as a returned error,
// which the harnesses ignore).
#pragma once

#include "onnx/OnnxImporter.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace edgec::fuzz {

/// Inputs larger than this are skipped, so that a run's time and memory go
/// to the parsers rather than to copying (the seeds are below 128 KiB).
constexpr size_t kMaxInputBytes = size_t(1) << 20;

/// True when a harness should look at an input of `size` bytes.
inline bool acceptInput(size_t size) { return size <= kMaxInputBytes; }

/// This process's scratch folder under $TMPDIR (or /tmp), created on first
/// use and removed at exit.
const std::string &scratchDir();

/// Writes `size` bytes to scratchDir()/name (name may hold sub-folders,
/// created as needed) and returns the path; "" when it cannot be written.
std::string writeScratchFile(const std::string &name, const uint8_t *data, size_t size);

/// Empties scratchDir().
void clearScratchDir();

/// Import options as the model loaders use them: no shape inference at
/// import, the verifier infers (frontend/ModelLoader.h).
ImportOptions loaderImportOptions();

/// Runs the loaders' model verification on an imported model (nothing when
/// the import failed); true when the model is valid.
bool verifyImported(Expected<std::unique_ptr<Model>> imported);

} // namespace edgec::fuzz
