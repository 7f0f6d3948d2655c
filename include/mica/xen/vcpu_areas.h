#ifndef MICA_XEN_VCPU_AREAS_H
#define MICA_XEN_VCPU_AREAS_H

#include <mica/types.h>

/* Added in Xen 4.18; absent from the 4.17 headers Mica builds against. */
#ifndef XENFEAT_runstate_phys_area
#define XENFEAT_runstate_phys_area 18
#endif
#ifndef XENFEAT_vcpu_time_phys_area
#define XENFEAT_vcpu_time_phys_area 19
#endif
#ifndef VCPUOP_register_runstate_phys_area
#define VCPUOP_register_runstate_phys_area 14
#endif
#ifndef VCPUOP_register_vcpu_time_phys_area
#define VCPUOP_register_vcpu_time_phys_area 15
#endif

enum area_method { AREA_BY_VIRT, AREA_BY_PHYS };

/* Pure choice from a XENVER_get_features word (unit-tested). */
enum area_method xen_area_method(uint32_t features, unsigned int phys_bit);
/* @to_frame: as for xen_register_vcpu_info (a machine address on PV). */
int xen_register_vcpu_areas(paddr_t (*to_frame)(const void *va));

struct vcpu_runstate_info;
extern struct vcpu_runstate_info *xen_runstate;

#endif
