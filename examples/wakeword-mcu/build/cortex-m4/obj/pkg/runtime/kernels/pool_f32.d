build/cortex-m4/obj/pkg/runtime/kernels/pool_f32.o: \
 pkg/runtime/kernels/pool_f32.c pkg/runtime/kernels/pool_f32.h \
 pkg/runtime/include/edgec_rt.h pkg/runtime/kernels/activation_f32.h
pkg/runtime/kernels/pool_f32.h:
pkg/runtime/include/edgec_rt.h:
pkg/runtime/kernels/activation_f32.h:
