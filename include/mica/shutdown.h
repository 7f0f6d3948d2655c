#ifndef MICA_SHUTDOWN_H
#define MICA_SHUTDOWN_H

#include <mica/types.h>

/* Flush consoles and stop the machine, reporting @status to the host when
 * the platform can carry it. Never returns. */
void mica_shutdown(int status) __noreturn;

#endif
