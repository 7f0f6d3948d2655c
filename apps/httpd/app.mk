# httpd links the network stack and serves the files under www/, baked
# into the image as C by tools/embed-files.sh.
NET := y
APP_GEN_SRCS := $(BUILD)/gen/www.c

$(BUILD)/gen/www.c: tools/embed-files.sh $(APP_DIR)/www \
		$(shell find $(APP_DIR)/www -type f)
	@mkdir -p $(dir $@)
	@echo "  EMBED   $(APP_DIR)/www"
	$(Q)tools/embed-files.sh $(APP_DIR)/www > $@.tmp && mv $@.tmp $@
