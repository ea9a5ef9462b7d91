build/cortex-m4/obj/pkg/runtime/platform/ec_platform_cortexm.o: \
 pkg/runtime/platform/ec_platform_cortexm.c \
 pkg/runtime/platform/ec_cortexm.h pkg/runtime/platform/ec_platform.h
pkg/runtime/platform/ec_cortexm.h:
pkg/runtime/platform/ec_platform.h:
