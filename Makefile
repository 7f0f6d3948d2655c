# Mica: build, run and test. `make help` lists the targets.
#
#   make run                  build apps/hello for x86_64 and boot it in QEMU
#   make test                 every test tier on every arch this machine runs
#   make APP=name ARCH=arch   pick the app (apps/<name>/) and architecture

ARCH ?= x86_64
APP ?= hello
V ?= 0
# Extra kernel command line for `make run` (options, then -- app args).
CMDLINE ?=

ifeq ($(ARCH),x86_64)
include arch/x86/arch.mk
else ifeq ($(ARCH),arm64)
include arch/arm/arch.mk
else
$(error ARCH=$(ARCH) is not supported: use x86_64 or arm64)
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

TOP := $(CURDIR)
BUILD := build/$(ARCH)/$(APP)
OBJ := $(BUILD)/obj
NEWLIB := $(TOP)/build/newlib/$(ARCH)
NEWLIB_TRIPLE := $(if $(filter x86_64,$(ARCH)),x86_64-elf,aarch64-elf)
NEWLIB_LIB := $(NEWLIB)/$(NEWLIB_TRIPLE)/lib
NEWLIB_INC := $(NEWLIB)/$(NEWLIB_TRIPLE)/include
DEPS_STAMP := build/.deps-$(ARCH)
XEN_INC := build/include

CC := $(CROSS)gcc
LD := $(CROSS)ld
NM := $(CROSS)nm
OBJCOPY := $(CROSS)objcopy
GCC_INC := $(shell $(CC) -print-file-name=include 2>/dev/null)
LIBGCC := $(shell $(CC) -print-libgcc-file-name 2>/dev/null)
MICA_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)

APP_DIR := apps/$(APP)
ifeq ($(wildcard $(APP_DIR)/*.c),)
$(error APP=$(APP): no C files in $(APP_DIR)/ (apps: $(notdir $(wildcard apps/*))))
endif
# An app may ask for optional parts in apps/<name>/app.mk: NET := y links
# the network stack (lwIP, sockets); APP_GEN_SRCS names C files its rules
# generate under $(BUILD)/gen/.
NET :=
APP_GEN_SRCS :=
-include $(APP_DIR)/app.mk

COMMON_CFLAGS := -std=gnu11 -O2 -g -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -ffunction-sections -fdata-sections \
	-Wall -Wextra -Werror -MMD -MP \
	-nostdinc -isystem $(NEWLIB_INC) -isystem $(GCC_INC) \
	-Iinclude -I$(ARCH_DIR)/include -I$(XEN_INC) $(ARCH_CFLAGS) \
	-D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L \
	-D__XEN_INTERFACE_VERSION__=0x00040e00
KERNEL_CFLAGS := $(COMMON_CFLAGS) -ffreestanding $(ARCH_KERNEL_CFLAGS) \
	-DMICA_VERSION='"$(MICA_VERSION)"'
APP_CFLAGS := $(COMMON_CFLAGS) $(APP_EXTRA_CFLAGS)
LDFLAGS := -nostdlib -static -z max-page-size=16 -z common-page-size=16 -z noexecstack \
	--gc-sections -T $(LINK_SCRIPT)
LIBS := --start-group $(NEWLIB_LIB)/libc.a $(NEWLIB_LIB)/libm.a $(LIBGCC) \
	--end-group

KERNEL_SRCS := $(ARCH_SRCS) $(wildcard kernel/*.c kernel/*/*.c) \
	$(wildcard lib/*.c) $(wildcard drivers/*/*.c)
APP_SRCS := $(wildcard $(APP_DIR)/*.c)
EXTRA_OBJS :=
ifeq ($(NET),y)
include lib/lwip/lwip.mk
endif
KERNEL_OBJS := $(patsubst %,$(OBJ)/%.o,$(KERNEL_SRCS))
APP_OBJS := $(patsubst %,$(OBJ)/%.o,$(APP_SRCS)) $(OBJ)/app_name.o \
	$(patsubst $(BUILD)/gen/%,$(OBJ)/gen/%.o,$(APP_GEN_SRCS))
OBJS := $(KERNEL_OBJS) $(APP_OBJS) $(EXTRA_OBJS)

# The file that boots: the stripped ELF, or what the arch makes of it
# (arm64: a raw Image).
IMAGE := $(BUILD)/$(or $(IMAGE_NAME),mica.elf)
DBG_IMAGE := $(BUILD)/mica.dbg.elf

.PHONY: all build run debug deps test test-unit test-qemu fuzz bench clean \
	help newlib xl-config test-xen
.DEFAULT_GOAL := all

all: $(IMAGE)
build: $(IMAGE)

ifdef ARCH_UNSUPPORTED
$(IMAGE):
	@echo "mica: ARCH=$(ARCH): $(ARCH_UNSUPPORTED)" >&2; exit 2
else
# --- dependencies -------------------------------------------------------
$(DEPS_STAMP): tools/deps.sh
	$(Q)tools/deps.sh $(ARCH_DEPS)
	$(Q)mkdir -p $(XEN_INC) && ln -sfn /usr/include/xen $(XEN_INC)/xen
	$(Q)touch $@

NEWLIB_TARBALL := $(wildcard /usr/src/newlib/newlib-*.tar.*)
$(NEWLIB)/.stamp: tools/newlib.sh $(DEPS_STAMP) $(NEWLIB_TARBALL)
	$(Q)tools/newlib.sh $(ARCH) $(NEWLIB)

deps: $(DEPS_STAMP) $(NEWLIB)/.stamp
newlib: $(NEWLIB)/.stamp

# --- compile ------------------------------------------------------------
$(OBJ)/%.c.o: %.c $(NEWLIB)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(OBJ)/$(APP_DIR)/%.c.o: $(APP_DIR)/%.c $(NEWLIB)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(APP_CFLAGS) -c $< -o $@

$(OBJ)/gen/%.c.o: $(BUILD)/gen/%.c $(NEWLIB)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(APP_CFLAGS) -c $< -o $@

$(OBJ)/%.S.o: %.S $(NEWLIB)/.stamp
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(OBJ)/app_name.o: $(NEWLIB)/.stamp
	@mkdir -p $(dir $@)
	$(Q)printf 'const char mica_app_name[] = "%s";\n' $(APP) | \
		$(CC) $(KERNEL_CFLAGS) -x c -c - -o $@

# --- link: twice, the second time with the symbol table -----------------
$(BUILD)/ksyms0.o: tools/mksyms.sh $(NEWLIB)/.stamp
	@mkdir -p $(dir $@)
	$(Q)tools/mksyms.sh $(NM) - | $(CC) $(KERNEL_CFLAGS) -x assembler -c - -o $@

$(DBG_IMAGE): $(OBJS) $(BUILD)/ksyms0.o $(LINK_SCRIPT)
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -o $(BUILD)/pass1.elf $(OBJS) $(BUILD)/ksyms0.o $(LIBS)
	$(Q)tools/mksyms.sh $(NM) $(BUILD)/pass1.elf > $(BUILD)/ksyms.S
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms.o $(LIBS)
	$(Q)$(NM) -n $(BUILD)/pass1.elf | grep -v -E ' [a-zA-Z] (ksym|_end$$)' > $(BUILD)/pass1.syms
	$(Q)$(NM) -n $@ | grep -v -E ' [a-zA-Z] (ksym|_end$$)' > $(BUILD)/pass2.syms
	$(Q)cmp -s $(BUILD)/pass1.syms $(BUILD)/pass2.syms || \
		{ echo "link: symbols moved between passes" >&2; exit 1; }

$(IMAGE): $(DBG_IMAGE)
	$(Q)$(OBJCOPY) --strip-all $(IMAGE_OBJCOPY_FLAGS) $< $@
	@echo "  IMAGE   $@ ($$(stat -c %s $@) bytes)"
endif

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

# --- run ----------------------------------------------------------------
QEMU_CMD = $(QEMU) $(QEMU_MACHINE) -display none -monitor none \
	-serial stdio -no-reboot $(QEMU_DEVICES) -kernel $(IMAGE)

run: $(IMAGE)
	$(Q)tools/qemu-run.sh "$(CMDLINE)" $(QEMU_CMD)

debug: $(IMAGE)
	@echo "QEMU waits for gdb on :1234. In another terminal:"
	@echo "  gdb $(DBG_IMAGE) -ex 'target remote :1234' -ex 'hbreak start_kernel' -ex continue"
	$(Q)tools/qemu-run.sh "$(CMDLINE)" $(QEMU_CMD) -s -S

# --- tests and benchmarks ----------------------------------------------
test:
	$(Q)tests/run.sh all $(if $(filter command line,$(origin ARCH)),$(ARCH),)
test-unit:
	$(Q)tests/run.sh unit
test-qemu:
	$(Q)tests/run.sh qemu $(if $(filter command line,$(origin ARCH)),$(ARCH),)
test-xen:
	$(Q)tests/run.sh xen $(if $(filter command line,$(origin ARCH)),$(ARCH),)
fuzz:
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS)
bench:
	$(Q)tests/bench/run.sh $(ARCH)

# The Xen ABI conformance suite (docs/conformance.md) under real Xen, every
# environment this machine runs; ARCH=, MODE=pvh|pv, XEN=4.17|4.20 and
# TEST=name narrow it, LIST=1 prints the catalogue. Exit status as XTF's.
.PHONY: conformance
conformance:
	$(Q)tests/conformance/conformance.sh \
		$(if $(filter command line,$(origin ARCH)),--arch $(ARCH)) \
		$(if $(MODE),--mode $(MODE)) $(if $(XEN),--xen $(XEN)) \
		$(if $(TEST),--test $(TEST)) $(if $(LIST),--list)

# An xl config for the built image: TYPE=pvh|pv, MEMORY in MiB.
TYPE ?= pvh
MEMORY ?= 32
xl-config: export XL_CMDLINE := $(CMDLINE)
xl-config: $(IMAGE)
	$(Q)tools/xl-config.sh $(IMAGE) $(APP) $(TYPE) $(MEMORY) \
		> $(BUILD)/mica.cfg
	@echo "  XLCFG   $(BUILD)/mica.cfg (xl create -c $(BUILD)/mica.cfg)"

clean:
	rm -rf build/x86_64 build/arm64 build/host build/fuzz

help:
	@sed -n 's/^#   //p' Makefile
	@echo "  targets: all run debug deps test test-unit test-qemu test-xen fuzz bench xl-config clean"
	@echo "  variables: ARCH=x86_64|arm64 APP=<apps/ dir> CMDLINE='opts -- args' V=1"
