build/cortex-m4/obj/pkg/embedding.o: pkg/embedding.c pkg/embedding.h \
 pkg/runtime/include/edgec_rt.h pkg/runtime/kernels/activation_f32.h \
 pkg/runtime/kernels/binary_f32.h pkg/runtime/kernels/conv_f32.h \
 pkg/runtime/kernels/pool_f32.h
pkg/embedding.h:
pkg/runtime/include/edgec_rt.h:
pkg/runtime/kernels/activation_f32.h:
pkg/runtime/kernels/binary_f32.h:
pkg/runtime/kernels/conv_f32.h:
pkg/runtime/kernels/pool_f32.h:
