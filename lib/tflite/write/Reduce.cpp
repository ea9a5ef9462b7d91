// Reductions: MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD, ARG_MAX,
// ARG_MIN.
#include "tflite/write/SubgraphWriter.h"

namespace edgec::tflite {

Status SubgraphWriter::reduce(const Node &n, BO code) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axes, reduceAxes(n));
  if (axes.empty()) {
    if (n.attrInt("noop_with_empty_axes", 0)) return identity(n);
    for (size_t i = 0; i < xs.size(); ++i) axes.push_back((int64_t)i);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t at = int32Const(n.name + "/axes", axes);
  const bool movement = code == BO::REDUCE_MAX || code == BO::REDUCE_MIN;
  OutPlan o = movement ? sameParamsOut(yt, def(xt).quant) : OutPlan{yt, yt};
  EDGEC_TRY(op(code, {xt, at}, {o.write}, inType(n), BOpt::ReducerOptions,
               fb::CreateReducerOptions(w.fbb, n.attrInt("keepdims", 1) != 0).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::argMinMax(const Node &n, BO code) {
  if (n.attrInt("select_last_index", 0)) return unsupported("select_last_index");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  int64_t axis = n.attrInt("axis", 0);
  if (axis < 0) axis += (int64_t)xs.size();
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t at = int32Const(n.name + "/axis", {axis});
  const bool keep = n.attrInt("keepdims", 1) != 0;
  TensorShape rs;
  for (size_t i = 0; i < xs.size(); ++i)
    if ((int64_t)i != axis) rs.push_back(xs[i]);
  int32_t r = keep ? temp(def(yt).name + "/reduced", outType(n), rs, std::nullopt) : yt;
  auto ft = fbType(outType(n)).value_or(fb::TensorType::INT64);
  if (code == BO::ARG_MAX)
    EDGEC_TRY(op(code, {xt, at}, {r}, inType(n), BOpt::ArgMaxOptions,
                 fb::CreateArgMaxOptions(w.fbb, ft).Union()));
  else
    EDGEC_TRY(op(code, {xt, at}, {r}, inType(n), BOpt::ArgMinOptions,
                 fb::CreateArgMinOptions(w.fbb, ft).Union()));
  if (!keep) return Status::ok();
  TensorShape ys = shapeOfTensor(yt);
  std::vector<int32_t> ns(def(yt).shape);
  int32_t st = int32Const(n.name + "/shape", ys);
  return op(BO::RESHAPE, {r, st}, {yt}, outType(n), BOpt::ReshapeOptions,
            fb::CreateReshapeOptionsDirect(w.fbb, &ns).Union());
}

} // namespace edgec::tflite
