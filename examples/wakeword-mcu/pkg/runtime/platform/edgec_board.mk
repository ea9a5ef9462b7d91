# edgec_board.mk - board/CPU fragment included by an edgec-generated package
# Makefile (see docs/platform.md).
#
#   SRCS = main.c model.c runtime/kernels/foo.c     # the package's C sources
#   PROG = model                                    # optional, default "prog"
#   include runtime/platform/edgec_board.mk
#
#   make                                   # host build (CPU=host is the default)
#   make CPU=cortex-m4                     # cross build for mps2-an386
#   make CPU=cortex-m4 run ARGS="in0.bin -o out0.bin"   # run under QEMU
#   make CPU=cortex-m4 size | stack-usage | clean
#
# Inputs (all optional): CPU, SRCS/EC_SRCS, PROG, ARGS, EC_OPT (-O2),
# EXTRA_CFLAGS, EXTRA_LDFLAGS, EC_TIMEOUT (seconds, 600), EC_BUILD_DIR
# (build/$(CPU)), QEMU_MACHINE (overrides the CPU's default machine),
# EC_STACK_SIZE / EC_MIN_HEAP (bytes), ARM_PREFIX, QEMU_SYSTEM_ARM,
# EC_NO_RULES (define to get only the variables, no targets).
# Outputs: CC CFLAGS LDFLAGS LDLIBS PLATFORM_SRCS EC_EXE QEMU_MACHINE QEMU_CPU
# QEMU_CMD EC_RUN and the targets all build run size stack-usage clean.

EC_PLATFORM_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

CPU ?= host
PROG ?= prog
EC_SRCS ?= $(SRCS)
EC_BUILD_DIR ?= build/$(CPU)
EC_OPT ?= -O2
EC_TIMEOUT ?= 600
ARM_PREFIX ?= arm-none-eabi-
QEMU_SYSTEM_ARM ?= qemu-system-arm

ec_comma := ,
ec_empty :=
ec_space := $(ec_empty) $(ec_empty)

EC_COMMON_CFLAGS = -std=c99 $(EC_OPT) -Wall -Wextra -Wvla \
  -ffunction-sections -fdata-sections -I$(EC_PLATFORM_DIR)

ifeq ($(CPU),host)
# ---------------------------------------------------------------- host
ifeq ($(origin CC),default)
CC := cc
endif
EC_STACK_USAGE_FLAG := $(shell $(CC) -fstack-usage -E -x c /dev/null -o /dev/null 2>/dev/null && echo -fstack-usage)
EC_CPU_FLAGS :=
PLATFORM_SRCS := $(EC_PLATFORM_DIR)/ec_platform_host.c
EC_EXE := $(EC_BUILD_DIR)/$(PROG)
CFLAGS = $(EC_COMMON_CFLAGS) $(EC_STACK_USAGE_FLAG) $(EXTRA_CFLAGS)
LDFLAGS = -Wl,--gc-sections $(EXTRA_LDFLAGS)
LDLIBS = -lm
SIZE := size
QEMU_MACHINE :=
QEMU_CPU :=
QEMU_CMD :=
EC_RUN = timeout -k 5 $(EC_TIMEOUT) $(EC_EXE) $(ARGS)
else
# ---------------------------------------------------------------- Cortex-M
# CPU -> compiler flags, default QEMU machine.
EC_FLAGS_cortex-m0  := -mcpu=cortex-m0 -mthumb -mfloat-abi=soft -masm-syntax-unified
EC_FLAGS_cortex-m3  := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
EC_FLAGS_cortex-m4  := -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard
EC_FLAGS_cortex-m7  := -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard
EC_FLAGS_cortex-m33 := -mcpu=cortex-m33 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard
EC_FLAGS_cortex-m55 := -mcpu=cortex-m55 -mthumb -mfloat-abi=hard
# Cortex-M0 (ARMv6-M) code runs on the AN385's Cortex-M3 model (ARMv6-M is a
# subset of ARMv7-M): 4 MB + 4 MB memory and the 25 MHz counter. The
# micro:bit (QEMU_MACHINE=microbit) is the real M0, but has 16 KB of RAM.
EC_MACHINE_cortex-m0  := mps2-an385
EC_MACHINE_cortex-m3  := mps2-an385
EC_MACHINE_cortex-m4  := mps2-an386
EC_MACHINE_cortex-m7  := mps2-an500
EC_MACHINE_cortex-m33 := mps2-an505
EC_MACHINE_cortex-m55 := mps3-an547
# machine -> QEMU -cpu (each board accepts only its own CPU) and C define
EC_QCPU_mps2-an385 := cortex-m3
EC_QCPU_mps2-an386 := cortex-m4
EC_QCPU_mps2-an500 := cortex-m7
EC_QCPU_mps2-an505 := cortex-m33
EC_QCPU_mps3-an547 := cortex-m55
EC_QCPU_microbit   := cortex-m0
EC_MDEF_mps2-an385 := EC_MACH_MPS2_AN385
EC_MDEF_mps2-an386 := EC_MACH_MPS2_AN386
EC_MDEF_mps2-an500 := EC_MACH_MPS2_AN500
EC_MDEF_mps2-an505 := EC_MACH_MPS2_AN505
EC_MDEF_mps3-an547 := EC_MACH_MPS3_AN547
EC_MDEF_microbit   := EC_MACH_MICROBIT
EC_CDEF_cortex-m0  := EC_CPU_CORTEX_M0
EC_CDEF_cortex-m3  := EC_CPU_CORTEX_M3
EC_CDEF_cortex-m4  := EC_CPU_CORTEX_M4
EC_CDEF_cortex-m7  := EC_CPU_CORTEX_M7
EC_CDEF_cortex-m33 := EC_CPU_CORTEX_M33
EC_CDEF_cortex-m55 := EC_CPU_CORTEX_M55

EC_CPU_FLAGS := $(EC_FLAGS_$(CPU))
ifeq ($(EC_CPU_FLAGS),)
$(error edgec_board.mk: unknown CPU=$(CPU); use host, cortex-m0, cortex-m3, cortex-m4, cortex-m7, cortex-m33 or cortex-m55)
endif
QEMU_MACHINE ?= $(EC_MACHINE_$(CPU))
QEMU_CPU := $(EC_QCPU_$(QEMU_MACHINE))
ifeq ($(QEMU_CPU),)
$(error edgec_board.mk: unknown QEMU_MACHINE=$(QEMU_MACHINE))
endif

CC := $(ARM_PREFIX)gcc
SIZE := $(ARM_PREFIX)size
PLATFORM_SRCS := $(EC_PLATFORM_DIR)/ec_platform_cortexm.c $(EC_PLATFORM_DIR)/startup_cortexm.c
EC_LD_SCRIPT := $(EC_PLATFORM_DIR)/cortexm/$(QEMU_MACHINE).ld
EC_EXE := $(EC_BUILD_DIR)/$(PROG).elf
EC_DEFSYMS = $(if $(EC_STACK_SIZE),-Wl$(ec_comma)--defsym=__ec_stack_size=$(EC_STACK_SIZE)) \
  $(if $(EC_MIN_HEAP),-Wl$(ec_comma)--defsym=__ec_min_heap=$(EC_MIN_HEAP))
CFLAGS = $(EC_CPU_FLAGS) $(EC_COMMON_CFLAGS) -fstack-usage --specs=rdimon.specs \
  -D$(EC_MDEF_$(QEMU_MACHINE)) -D$(EC_CDEF_$(CPU)) $(EXTRA_CFLAGS)
LDFLAGS = $(EC_CPU_FLAGS) --specs=rdimon.specs -nostartfiles \
  -L$(EC_PLATFORM_DIR)/cortexm -T$(EC_LD_SCRIPT) -Wl,--gc-sections \
  -Wl,-Map=$(EC_BUILD_DIR)/$(PROG).map $(EC_DEFSYMS) $(EXTRA_LDFLAGS)
LDLIBS = -lm

# Semihosting argv: argv[0] is the ELF path, then ARGS split on blanks (an
# argument cannot contain a blank; commas are escaped for QEMU's parser).
EC_QEMU_ARGV = $(foreach a,$(EC_EXE) $(ARGS),arg=$(subst $(ec_comma),$(ec_comma)$(ec_comma),$(a)))
QEMU_CMD = $(QEMU_SYSTEM_ARM) -machine $(QEMU_MACHINE) -cpu $(QEMU_CPU) \
  -nographic -monitor none -serial null \
  -semihosting-config enable=on,target=native,$(subst $(ec_space),$(ec_comma),$(strip $(EC_QEMU_ARGV))) \
  -icount shift=0,align=off,sleep=off -kernel $(EC_EXE)
EC_RUN = timeout -k 5 $(EC_TIMEOUT) $(QEMU_CMD)
endif

EC_ALL_SRCS = $(EC_SRCS) $(PLATFORM_SRCS)
ec_obj = $(EC_BUILD_DIR)/obj/$(subst ../,__/,$(patsubst %.c,%.o,$(1)))
EC_OBJS = $(foreach s,$(EC_ALL_SRCS),$(call ec_obj,$(s)))

ec-print-%:
	@echo '$($*)'

ifndef EC_NO_RULES
.PHONY: all build run size stack-usage clean

all: build
build: $(EC_EXE)

define ec_obj_rule
$(call ec_obj,$(1)): $(1)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -MMD -MP -c $$< -o $$@
endef
$(foreach s,$(EC_ALL_SRCS),$(eval $(call ec_obj_rule,$(s))))
-include $(EC_OBJS:.o=.d)

$(EC_EXE): $(EC_OBJS) $(if $(filter host,$(CPU)),,$(EC_LD_SCRIPT) $(EC_PLATFORM_DIR)/cortexm/ec_cortexm_sections.ld)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(EC_OBJS) $(LDLIBS) -o $@

# Exit status of the program (or 124 on timeout) is the status of `make run`'s
# recipe; QEMU's own status equals the program's (semihosting exit).
run: $(EC_EXE)
	$(EC_RUN)

size: $(EC_EXE)
	$(SIZE) -A -d $(EC_EXE)
	$(SIZE) $(EC_EXE)

# Per-function frames from -fstack-usage, largest first (a frame, not a call
# chain; ec_platform_stack_peak() measures the real peak at run time).
stack-usage: $(EC_EXE)
	@find $(EC_BUILD_DIR)/obj -name '*.su' -exec cat {} + | sort -t'	' -k2,2nr | head -n 20
	@find $(EC_BUILD_DIR)/obj -name '*.su' -exec cat {} + | sort -t'	' -k2,2nr | head -n 1 | \
	  awk -F'	' '{print "worst frame: " $$2 " bytes (" $$3 ") in " $$1}'

clean:
	rm -rf $(EC_BUILD_DIR)
endif
