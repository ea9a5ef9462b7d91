// The importer's op table: every TFLite builtin operator edgec reads, with
// its converter (in the family files of this folder).
#include "tflite/read/Converters.h"

#include "tflite/TfliteVerify.h"

#include <map>

namespace edgec::tflite {
namespace {

#define UNARY(code, op)                                                        \
  {                                                                            \
    BO::code, [](OpBuilder &b) { return convertUnary(b, op); }                        \
  }
#define BINARY(code, op)                                                       \
  {                                                                            \
    BO::code, [](OpBuilder &b) { return convertBinary(b, op); }                       \
  }

const std::map<BO, ConvertFn> &converters() {
  static const std::map<BO, ConvertFn> table = {
      {BO::CONV_2D, convertConv2D},
      {BO::DEPTHWISE_CONV_2D, convertDepthwiseConv2D},
      {BO::TRANSPOSE_CONV, convertTransposeConv},
      {BO::FULLY_CONNECTED, convertFullyConnected},
      {BO::BATCH_MATMUL, convertBatchMatMul},
      {BO::AVERAGE_POOL_2D,
       [](OpBuilder &b) { return convertPool(b, "AveragePool"); }},
      {BO::MAX_POOL_2D, [](OpBuilder &b) { return convertPool(b, "MaxPool"); }},
      {BO::L2_POOL_2D, [](OpBuilder &b) { return convertPool(b, "LpPool"); }},
      {BO::ADD,
       [](OpBuilder &b) { return convertBinaryAct<fb::AddOptions>(b, "Add"); }},
      {BO::SUB,
       [](OpBuilder &b) { return convertBinaryAct<fb::SubOptions>(b, "Sub"); }},
      {BO::MUL,
       [](OpBuilder &b) { return convertBinaryAct<fb::MulOptions>(b, "Mul"); }},
      {BO::DIV,
       [](OpBuilder &b) { return convertBinaryAct<fb::DivOptions>(b, "Div"); }},
      BINARY(MAXIMUM, "Max"),
      BINARY(MINIMUM, "Min"),
      BINARY(POW, "Pow"),
      BINARY(GREATER, "Greater"),
      BINARY(GREATER_EQUAL, "GreaterOrEqual"),
      BINARY(LESS, "Less"),
      BINARY(LESS_EQUAL, "LessOrEqual"),
      BINARY(EQUAL, "Equal"),
      BINARY(LOGICAL_AND, "And"),
      BINARY(LOGICAL_OR, "Or"),
      BINARY(PRELU, "PRelu"),
      {BO::NOT_EQUAL, convertNotEqual},
      {BO::FLOOR_DIV, convertFloorDiv},
      {BO::FLOOR_MOD, convertFloorMod},
      {BO::SQUARED_DIFFERENCE,
       [](OpBuilder &b) { return convertSquare(b, true); }},
      {BO::SQUARE, [](OpBuilder &b) { return convertSquare(b, false); }},
      {BO::SELECT, convertSelect},
      {BO::SELECT_V2, convertSelect},
      UNARY(LOGISTIC, "Sigmoid"),
      UNARY(TANH, "Tanh"),
      UNARY(RELU, "Relu"),
      UNARY(HARD_SWISH, "HardSwish"),
      UNARY(ELU, "Elu"),
      UNARY(EXP, "Exp"),
      UNARY(LOG, "Log"),
      UNARY(SQRT, "Sqrt"),
      UNARY(ABS, "Abs"),
      UNARY(NEG, "Neg"),
      UNARY(FLOOR, "Floor"),
      UNARY(CEIL, "Ceil"),
      UNARY(ROUND, "Round"),
      UNARY(SIN, "Sin"),
      UNARY(COS, "Cos"),
      UNARY(LOGICAL_NOT, "Not"),
      UNARY(SIGN, "Sign"),
      {BO::RSQRT, convertRsqrt},
      {BO::RELU6, [](OpBuilder &b) { return convertClip(b, 0.0f, 6.0f); }},
      {BO::RELU_N1_TO_1,
       [](OpBuilder &b) { return convertClip(b, -1.0f, 1.0f); }},
      {BO::RELU_0_TO_1,
       [](OpBuilder &b) { return convertClip(b, 0.0f, 1.0f); }},
      {BO::LEAKY_RELU, convertLeakyRelu},
      {BO::GELU, convertGelu},
      {BO::CAST, convertCast},
      {BO::QUANTIZE, convertQuantize},
      {BO::DEQUANTIZE, convertDequantize},
      {BO::RESHAPE, convertReshape},
      {BO::SQUEEZE, convertSqueeze},
      {BO::EXPAND_DIMS, convertExpandDims},
      {BO::TRANSPOSE, convertTranspose},
      {BO::CONCATENATION, convertConcat},
      {BO::PAD, [](OpBuilder &b) { return convertPad(b, false); }},
      {BO::PADV2, [](OpBuilder &b) { return convertPad(b, true); }},
      {BO::MIRROR_PAD, convertMirrorPad},
      {BO::STRIDED_SLICE, convertStridedSlice},
      {BO::SLICE, convertSlice},
      {BO::GATHER, convertGather},
      {BO::GATHER_ND, convertGatherNd},
      {BO::SPLIT, [](OpBuilder &b) { return convertSplit(b, false); }},
      {BO::SPLIT_V, [](OpBuilder &b) { return convertSplit(b, true); }},
      {BO::PACK, convertPack},
      {BO::UNPACK, convertUnpack},
      {BO::TILE, [](OpBuilder &b) { return convertTile(b, "Tile"); }},
      {BO::BROADCAST_TO, [](OpBuilder &b) { return convertTile(b, "Expand"); }},
      {BO::SHAPE, convertShape},
      {BO::FILL, convertFill},
      {BO::MEAN, [](OpBuilder &b) { return convertReduce(b, "ReduceMean"); }},
      {BO::SUM, [](OpBuilder &b) { return convertReduce(b, "ReduceSum"); }},
      {BO::REDUCE_MAX,
       [](OpBuilder &b) { return convertReduce(b, "ReduceMax"); }},
      {BO::REDUCE_MIN,
       [](OpBuilder &b) { return convertReduce(b, "ReduceMin"); }},
      {BO::REDUCE_PROD,
       [](OpBuilder &b) { return convertReduce(b, "ReduceProd"); }},
      {BO::ARG_MAX, [](OpBuilder &b) { return convertArgMinMax(b, "ArgMax"); }},
      {BO::ARG_MIN, [](OpBuilder &b) { return convertArgMinMax(b, "ArgMin"); }},
      {BO::SOFTMAX, [](OpBuilder &b) { return convertSoftmax(b, false); }},
      {BO::LOG_SOFTMAX, [](OpBuilder &b) { return convertSoftmax(b, true); }},
      {BO::L2_NORMALIZATION, convertL2Norm},
      {BO::LOCAL_RESPONSE_NORMALIZATION, convertLrn},
      {BO::RESIZE_BILINEAR,
       [](OpBuilder &b) { return convertResize(b, true); }},
      {BO::RESIZE_NEAREST_NEIGHBOR,
       [](OpBuilder &b) { return convertResize(b, false); }},
      {BO::DEPTH_TO_SPACE,
       [](OpBuilder &b) {
         return convertSpaceDepth<fb::DepthToSpaceOptions>(b, "DepthToSpace");
       }},
      {BO::SPACE_TO_DEPTH,
       [](OpBuilder &b) {
         return convertSpaceDepth<fb::SpaceToDepthOptions>(b, "SpaceToDepth");
       }},
      {BO::IF, convertIf},
      {BO::WHILE, convertWhile},
      {BO::CALL_ONCE, convertCallOnce},
  };
  return table;
}

} // namespace

ConvertFn findConverter(const fb::OperatorCode &oc) {
  const int32_t code = builtinCode(oc);
  if (code != (int32_t)BO::CUSTOM) return findConverter(code);
  // CUSTOM operators by custom code.
  static const std::map<std::string, ConvertFn> custom = {
      {"ethos-u", convertEthosU},
  };
  auto it = custom.find(oc.custom_code() ? oc.custom_code()->str() : std::string());
  return it == custom.end() ? nullptr : it->second;
}

ConvertFn findConverter(int32_t code) {
  if (code < 0) return nullptr;
  auto it = converters().find((BO)code);
  return it == converters().end() ? nullptr : it->second;
}
} // namespace edgec::tflite
