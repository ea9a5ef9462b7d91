build/cortex-m4/obj/firmware.o: firmware.c pkg/embedding.h \
 pkg/runtime/include/edgec_rt.h pkg/runtime/platform/ec_platform.h \
 input_data.h
pkg/embedding.h:
pkg/runtime/include/edgec_rt.h:
pkg/runtime/platform/ec_platform.h:
input_data.h:
