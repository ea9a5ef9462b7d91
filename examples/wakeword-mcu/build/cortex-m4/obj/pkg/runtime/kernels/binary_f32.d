build/cortex-m4/obj/pkg/runtime/kernels/binary_f32.o: \
 pkg/runtime/kernels/binary_f32.c pkg/runtime/kernels/binary_f32.h \
 pkg/runtime/include/edgec_rt.h pkg/runtime/kernels/activation_f32.h
pkg/runtime/kernels/binary_f32.h:
pkg/runtime/include/edgec_rt.h:
pkg/runtime/kernels/activation_f32.h:
