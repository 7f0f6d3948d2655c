#ifndef MICA_OPTIONS_H
#define MICA_OPTIONS_H

#include <mica/cmdline.h>

struct kernel_config {
	unsigned int main_stack_kib;
};

extern struct kernel_config kernel_config;
extern const struct kernel_option kernel_options[];
extern const size_t kernel_options_count;

#endif
