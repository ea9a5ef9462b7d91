// The one definition of the MLW weight-stream layout shared by MlwEncoder
// and MlwDecoder (restated from Arm's Vela mlw_codec; ../shared/NPU-EDGETPU.md
// A.5). Bits are packed LSB first within each byte, fields LSB first.
//
// A stream is a sequence of slices, ended by an end-of-stream marker:
//   slice header: ZDIV 3b (0..3: zero runs coded with this GRC divisor,
//                 6: no zero runs, 7: end of stream, then byte alignment),
//                 SLICELEN 15b (weights - 1), WDIV 3b (0..5 GRC divisor,
//                 7: uncompressed), WTRUNC 1b (truncated: quotient <= 2),
//                 NEWPAL 1b; if NEWPAL: DIROFS 5b, PALSIZE 5b (size - 1,
//                 0 means no palette), PALBITS 3b (entry bits - 2), then the
//                 palette entries.
//   slice body:   chunks. A weight chunk is 12 unary0 bits (one per quotient
//                 position; none when uncompressed), then a zero-run chunk
//                 (12 unary bits for ZDIV < 3, else 8), then the unary1 bits
//                 (one per set unary0 bit), then the remainders of the
//                 previous chunk's weights and zero runs.
//   values:       weight index w < PALSIZE -> palette[w], else
//                 w - PALSIZE + DIROFS; the result v codes magnitude v >> 1
//                 and sign v & 1. With zero runs, a new-palette slice starts
//                 with a zero run, and each weight is followed by one.
// The first slice after the start or an end-of-stream marker sets a palette.
// After the marker the stream is padded with 0xFF to 16 bytes.
#pragma once

namespace edgec::npu::mlw {

inline constexpr int kZdivNoZeroRuns = 6;
inline constexpr int kZdivEndOfStream = 7;
inline constexpr int kWdivUncompressed = 7;
inline constexpr int kMaxSliceLength = 32767; // SLICELEN is 15 bits of length - 1
inline constexpr int kMaxPaletteSize = 32;
inline constexpr int kWeightChunkPositions = 12; // unary0 bits per chunk
/// Uncompressed chunks with more than 5 bits per value carry 8 values.
inline constexpr int kUncompressedWideChunk = 8;
inline constexpr int kMaxWeightIndex = 511; // 9-bit sign/magnitude
inline constexpr int kMaxGrcQuotient = 31;  // untruncated weight quotients
inline constexpr int kMaxZdiv = 3;
inline constexpr int kStreamAlignment = 16;

/// Zero-run unary chunk width for a divisor.
inline int zeroRunChunkBits(int zdiv) { return zdiv < 3 ? 12 : 8; }

} // namespace edgec::npu::mlw
