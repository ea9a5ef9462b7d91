// Softmax kernels. (Placeholder: filled in by the kernel work.)
#include "interp/KernelUtil.h"

namespace edgec {

void registerSoftmaxKernels(KernelRegistry &r) { (void)r; }

} // namespace edgec
