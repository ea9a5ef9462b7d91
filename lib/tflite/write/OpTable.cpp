// The writer's op table: every IR op type (default domain) the writer
// converts, with its converter (in the family files) and what it accepts
// beyond the plain form; convertNode's checks common to every node.
#include "tflite/TfliteSupport.h"
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"
#include "npu/EthosUNode.h"

namespace edgec::tflite {

const std::map<std::string, SubgraphWriter::Rule> &SubgraphWriter::table() {
  using W = SubgraphWriter;
  auto un = [](BO code) {
    return [code](W &w, const Node &n) { return w.unaryOp(n, code); };
  };
  auto bin = [](BO code) {
    return [code](W &w, const Node &n) { return w.binary(n, code); };
  };
  auto nhwc = [](Fn f) { return Rule{std::move(f), true, false}; };
  static const std::map<std::string, Rule> t = {
      {"Conv", nhwc([](W &w, const Node &n) { return w.conv(n); })},
      {"ConvTranspose", nhwc([](W &w, const Node &n) { return w.convTranspose(n); })},
      {"MaxPool", nhwc([](W &w, const Node &n) { return w.pool(n); })},
      {"AveragePool", nhwc([](W &w, const Node &n) { return w.pool(n); })},
      {"LpPool", nhwc([](W &w, const Node &n) { return w.pool(n); })},
      {"GlobalAveragePool", nhwc([](W &w, const Node &n) { return w.globalPool(n); })},
      {"GlobalMaxPool", nhwc([](W &w, const Node &n) { return w.globalPool(n); })},
      {"LRN", nhwc([](W &w, const Node &n) { return w.lrn(n); })},
      {"DepthToSpace", nhwc([](W &w, const Node &n) { return w.spaceDepth(n, true); })},
      {"SpaceToDepth", nhwc([](W &w, const Node &n) { return w.spaceDepth(n, false); })},
      {"BatchNormalization", nhwc([](W &w, const Node &n) { return w.batchNorm(n); })},
      {"Gemm", {[](W &w, const Node &n) { return w.gemm(n); }}},
      {"MatMul", {[](W &w, const Node &n) { return w.matmul(n); }}},
      {"Add", {[](W &w, const Node &n) { return w.binaryAct(n, BO::ADD); }}},
      {"Sub", {[](W &w, const Node &n) { return w.binaryAct(n, BO::SUB); }}},
      {"Mul", {[](W &w, const Node &n) { return w.binaryAct(n, BO::MUL); }}},
      {"Div", {[](W &w, const Node &n) { return w.binaryAct(n, BO::DIV); }}},
      {"Max", {bin(BO::MAXIMUM)}},
      {"Min", {bin(BO::MINIMUM)}},
      {"Pow", {bin(BO::POW)}},
      {"Greater", {bin(BO::GREATER)}},
      {"GreaterOrEqual", {bin(BO::GREATER_EQUAL)}},
      {"Less", {bin(BO::LESS)}},
      {"LessOrEqual", {bin(BO::LESS_EQUAL)}},
      {"Equal", {bin(BO::EQUAL)}},
      {"And", {bin(BO::LOGICAL_AND)}},
      {"Or", {bin(BO::LOGICAL_OR)}},
      {"PRelu", {bin(BO::PRELU)}},
      {"Where", {[](W &w, const Node &n) { return w.where(n); }}},
      {"Sigmoid", {un(BO::LOGISTIC)}},
      {"Tanh", {un(BO::TANH)}},
      {"Relu", {un(BO::RELU)}},
      {"Elu", {un(BO::ELU)}},
      {"Exp", {un(BO::EXP)}},
      {"Log", {un(BO::LOG)}},
      {"Abs", {un(BO::ABS)}},
      {"Neg", {un(BO::NEG)}},
      {"Floor", {un(BO::FLOOR)}},
      {"Ceil", {un(BO::CEIL)}},
      {"Round", {un(BO::ROUND)}},
      {"Sin", {un(BO::SIN)}},
      {"Cos", {un(BO::COS)}},
      {"Sign", {un(BO::SIGN)}},
      {"Not", {un(BO::LOGICAL_NOT)}},
      {"HardSwish",
       {[](W &w, const Node &n) {
         return w.unaryOp(n, BO::HARD_SWISH, BOpt::HardSwishOptions,
                          fb::CreateHardSwishOptions(w.w.fbb).Union());
       }}},
      {"LeakyRelu",
       {[](W &w, const Node &n) {
         return w.unaryOp(n, BO::LEAKY_RELU, BOpt::LeakyReluOptions,
                          fb::CreateLeakyReluOptions(w.w.fbb, n.attrFloat("alpha", 0.01f)).Union());
       }}},
      {"Gelu",
       {[](W &w, const Node &n) {
         return w.unaryOp(n, BO::GELU, BOpt::GeluOptions,
                          fb::CreateGeluOptions(w.w.fbb, n.attrString("approximate", "none") == "tanh")
                              .Union());
       }}},
      {"HardSigmoid", {[](W &w, const Node &n) { return w.hardSigmoid(n); }}},
      {"Clip", {[](W &w, const Node &n) { return w.clip(n); }}},
      {"Reshape", {[](W &w, const Node &n) { return w.reshape(n); }}},
      {"Flatten", {[](W &w, const Node &n) { return w.reshape(n); }}},
      {"Unsqueeze", {[](W &w, const Node &n) { return w.reshape(n); }}},
      {"Squeeze", {[](W &w, const Node &n) { return w.squeeze(n); }}},
      {"Transpose", {[](W &w, const Node &n) { return w.transpose(n); }}},
      {"Concat", {[](W &w, const Node &n) { return w.concat(n); }}},
      {"Pad", {[](W &w, const Node &n) { return w.pad(n); }}},
      {"Slice", {[](W &w, const Node &n) { return w.slice(n); }}},
      {"Gather", {[](W &w, const Node &n) { return w.gather(n); }}},
      {"GatherND", {[](W &w, const Node &n) { return w.gather(n); }}},
      {"Split", {[](W &w, const Node &n) { return w.split(n); }, false, true}},
      {"ReduceMean", {[](W &w, const Node &n) { return w.reduce(n, BO::MEAN); }}},
      {"ReduceSum", {[](W &w, const Node &n) { return w.reduce(n, BO::SUM); }}},
      {"ReduceMax", {[](W &w, const Node &n) { return w.reduce(n, BO::REDUCE_MAX); }}},
      {"ReduceMin", {[](W &w, const Node &n) { return w.reduce(n, BO::REDUCE_MIN); }}},
      {"ReduceProd", {[](W &w, const Node &n) { return w.reduce(n, BO::REDUCE_PROD); }}},
      {"ArgMax", {[](W &w, const Node &n) { return w.argMinMax(n, BO::ARG_MAX); }}},
      {"ArgMin", {[](W &w, const Node &n) { return w.argMinMax(n, BO::ARG_MIN); }}},
      {"Softmax", {[](W &w, const Node &n) { return w.softmax(n, false); }}},
      {"LogSoftmax", {[](W &w, const Node &n) { return w.softmax(n, true); }}},
      {"LpNormalization", {[](W &w, const Node &n) { return w.l2norm(n); }}},
      {"QuantizeLinear", {[](W &w, const Node &n) { return w.quantizeLinear(n); }}},
      {"DequantizeLinear", {[](W &w, const Node &n) { return w.dequantizeLinear(n); }}},
      {"Identity", {[](W &w, const Node &n) { return w.identity(n); }}},
      {"Dropout", {[](W &w, const Node &n) { return w.identity(n); }}},
      {"Cast", {[](W &w, const Node &n) { return w.cast(n); }}},
      {"Tile", {[](W &w, const Node &n) { return w.broadcastLike(n, BO::TILE); }}},
      {"Expand", {[](W &w, const Node &n) { return w.broadcastLike(n, BO::BROADCAST_TO); }}},
      {"Resize", {[](W &w, const Node &n) { return w.resize(n); }}},
      {"If", {[](W &w, const Node &n) { return w.ifNode(n); }, false, true}},
      {"Reciprocal", {[](W &w, const Node &n) { return w.reciprocal(n); }}},
      {"Sqrt", {[](W &w, const Node &n) { return w.sqrt(n); }}},
  };
  return t;
}

Status SubgraphWriter::convertNode(const Node &n) {
  if (n.domain == npu::kEthosUDomain && n.opType == npu::kEthosUOp) return ethosU(n);
  if (!n.domain.empty()) return unsupported("domain '" + n.domain + "' has no TFLite form");
  for (const auto &[k, a] : n.attrs)
    if (k.rfind("edgec.", 0) == 0 && k != kLayoutAttr && k.rfind(kFusedActivationAttr, 0) != 0)
      return unsupported("annotation " + k);
  auto it = table().find(n.opType);
  if (isChannelsLast(n) && (it == table().end() || !it->second.channelsLast))
    return unsupported("channels-last " + n.opType + " has no TFLite form");
  if (it == table().end()) return unsupported("no TFLite builtin operator for " + n.opType);
  if (n.opType == "Dropout" && n.outputs.size() > 1 && n.outputs[1] &&
      !g.usersOf(n.outputs[1]).empty())
    return unsupported("Dropout mask output");
  if (n.opType != "Dropout" && !it->second.multiOutput)
    for (size_t i = 1; i < n.outputs.size(); ++i)
      if (n.outputs[i] && (!g.usersOf(n.outputs[i]).empty() || g.isGraphOutput(n.outputs[i])))
        return unsupported("output " + std::to_string(i) + " is used");
  return it->second.write(*this, n);
}

} // namespace edgec::tflite

namespace edgec {

std::vector<std::string> tfliteWritableOps() {
  std::vector<std::string> r;
  for (const auto &[op, rule] : tflite::SubgraphWriter::table()) r.push_back(op);
  return r; // std::map: sorted
}

} // namespace edgec
