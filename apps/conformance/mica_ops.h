/* The guest's conf_ops (mica_ops.c). */
#ifndef CONFORMANCE_MICA_OPS_H
#define CONFORMANCE_MICA_OPS_H

#include "conformance.h"

extern const struct conf_ops mica_conf_ops;
/* True when the kernel found Xen (XENVER_version answered). */
bool mica_conf_on_xen(void);
/* This guest's ENV_* bit, 0 if it is none the catalogue knows. */
unsigned int mica_conf_env_kind(void);

#endif
