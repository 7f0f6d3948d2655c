/* Xen's public headers (package libxen-dev, used in place), with the
 * interface version Mica is written against. */
#ifndef MICA_XEN_XEN_H
#define MICA_XEN_XEN_H

#include <mica/types.h>

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif

#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

/* What an arch adds to the public headers (arm64: stand-ins for names
 * that only the x86 headers define). */
#if __has_include(<arch/xen_compat.h>)
#include <arch/xen_compat.h>
#endif

#endif
