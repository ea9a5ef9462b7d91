// Activation kernels. (Placeholder: filled in by the kernel work.)
#include "interp/KernelUtil.h"

namespace edgec {

void registerActivationKernels(KernelRegistry &r) { (void)r; }

} // namespace edgec
