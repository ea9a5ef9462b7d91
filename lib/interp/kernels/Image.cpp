// Image kernels. (Placeholder: filled in by the kernel work.)
#include "interp/KernelUtil.h"

namespace edgec {

void registerImageKernels(KernelRegistry &r) { (void)r; }

} // namespace edgec
