// The importer's converters, one per TFLite builtin operator, defined in the
// op family files of this folder (ConvPool, FullyConnected, Elementwise,
// Quantize, DataMovement, Reduce, Normalization, ControlFlow) and listed
// in OpTable.cpp; plus the helpers they share (ConvertUtil.cpp). See
// docs/tflite.md for the mapping.
#pragma once

#include "tflite/TfliteOps.h"

namespace edgec::tflite {

using BO = fb::BuiltinOperator;

// --- shared helpers (ConvertUtil.cpp) ---
bool isFloat(const Value *v);
TensorShape shapeOf(const fb::Tensor *t);
/// ONNX auto_pad of a TFLite padding (SAME puts the odd pixel at the end).
std::string padMode(fb::Padding p);
/// Annotates n with edgec.layout = "NHWC".
void setLayout(Node *n);
Status checkStrides(OpBuilder &b, int64_t sh, int64_t sw, int64_t dh = 1,
                    int64_t dw = 1);
Status checkRank(OpBuilder &b, size_t slot, size_t rank, const char *what);

// --- EthosU.cpp ---
/// CUSTOM "ethos-u": an Arm Ethos-U payload (edgec.npu.EthosU).
Status convertEthosU(OpBuilder &b);

// --- ConvPool.cpp ---
Status convertConv2D(OpBuilder &b);
Status convertDepthwiseConv2D(OpBuilder &b);
Status convertTransposeConv(OpBuilder &b);
Status convertPool(OpBuilder &b, const char *onnxOp);

// --- FullyConnected.cpp ---
Status convertFullyConnected(OpBuilder &b);
Status convertBatchMatMul(OpBuilder &b);

// --- Elementwise.cpp ---
/// ADD / SUB / MUL / DIV (Options: their options table) with the fused
/// activation.
template <typename Options>
Status convertBinaryAct(OpBuilder &b, const char *onnxOp);
Status convertBinary(OpBuilder &b, const char *onnxOp);
Status convertUnary(OpBuilder &b, const char *onnxOp);
Status convertClip(OpBuilder &b, float lo, float hi);
Status convertLeakyRelu(OpBuilder &b);
Status convertGelu(OpBuilder &b);
Status convertSquare(OpBuilder &b, bool difference);
Status convertRsqrt(OpBuilder &b);
Status convertNotEqual(OpBuilder &b);
Status convertFloorDiv(OpBuilder &b);
Status convertFloorMod(OpBuilder &b);
Status convertSelect(OpBuilder &b);
Status convertCast(OpBuilder &b);

// --- Quantize.cpp ---
Status convertQuantize(OpBuilder &b);
Status convertDequantize(OpBuilder &b);

// --- DataMovement.cpp ---
Status convertReshape(OpBuilder &b);
Status convertSqueeze(OpBuilder &b);
Status convertExpandDims(OpBuilder &b);
Status convertTranspose(OpBuilder &b);
Status convertConcat(OpBuilder &b);
Status convertPad(OpBuilder &b, bool v2);
Status convertMirrorPad(OpBuilder &b);
Status convertStridedSlice(OpBuilder &b);
Status convertSlice(OpBuilder &b);
Status convertGather(OpBuilder &b);
Status convertGatherNd(OpBuilder &b);
Status convertSplit(OpBuilder &b, bool sizes);
Status convertPack(OpBuilder &b);
Status convertUnpack(OpBuilder &b);
Status convertTile(OpBuilder &b, const char *onnxOp);
Status convertShape(OpBuilder &b);
Status convertFill(OpBuilder &b);
Status convertResize(OpBuilder &b, bool bilinear);
/// DEPTH_TO_SPACE / SPACE_TO_DEPTH (Options: their options table).
template <typename Options>
Status convertSpaceDepth(OpBuilder &b, const char *onnxOp);

// --- Reduce.cpp ---
Status convertReduce(OpBuilder &b, const char *onnxOp);
Status convertArgMinMax(OpBuilder &b, const char *onnxOp);

// --- Normalization.cpp ---
Status convertSoftmax(OpBuilder &b, bool log);
Status convertL2Norm(OpBuilder &b);
Status convertLrn(OpBuilder &b);

// --- ControlFlow.cpp ---
Status convertIf(OpBuilder &b);
Status convertWhile(OpBuilder &b);
Status convertCallOnce(OpBuilder &b);

} // namespace edgec::tflite
