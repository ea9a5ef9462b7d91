// Shape and type inference of the Activation family (kernels:
// interp/kernels/Activation.cpp).
#include "shape/InferUtil.h"

#include <cmath>

namespace edgec {

void registerActivationInference(InferRegistry &r) {
  r.add("Relu", inferSameAsFirstInput);
  r.add("LeakyRelu", inferSameAsFirstInput);
  r.add("PRelu", inferSameAsFirstInput);
  r.add("Elu", inferSameAsFirstInput);
  r.add("Selu", inferSameAsFirstInput);
  r.add("Celu", inferSameAsFirstInput);
  r.add("HardSigmoid", inferSameAsFirstInput);
  r.add("HardSwish", inferSameAsFirstInput);
  r.add("Gelu", inferSameAsFirstInput);
  r.add("Mish", inferSameAsFirstInput);
  r.add("Softplus", inferSameAsFirstInput);
  r.add("Softsign", inferSameAsFirstInput);
  r.add("ThresholdedRelu", inferSameAsFirstInput);
  r.add("Sigmoid", inferSameAsFirstInput);
  r.add("Tanh", inferSameAsFirstInput);
  r.add("Shrink", inferSameAsFirstInput);
  r.add("Swish", inferSameAsFirstInput);
  r.add("Clip", inferSameAsFirstInput);
}

} // namespace edgec
