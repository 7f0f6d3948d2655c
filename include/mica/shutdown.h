#ifndef MICA_SHUTDOWN_H
#define MICA_SHUTDOWN_H

#include <mica/types.h>

/* Flush consoles and stop the machine, reporting @status to the host when
 * the platform can carry it. Never returns. */
void mica_shutdown(int status) __noreturn;

/* `quiet_exit`: print nothing on the way out (no exit status line, no
 * hypercall summary), so that the app's last line stays the last one. */
extern bool shutdown_quiet;

#endif
