/* ioctl() on sockets: FIONBIO and FIONREAD. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#ifdef __cplusplus
extern "C" {
#endif

#define FIONREAD 0x4008667fUL	/* int: bytes ready to read */
#define FIONBIO 0x8008667eUL	/* int: non-zero for non-blocking */

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
