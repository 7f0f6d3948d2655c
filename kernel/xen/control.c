/*
 * Toolstack control: advertise what we honour (control/feature-poweroff,
 * control/feature-reboot), watch control/shutdown, and act on it, so
 * `xl shutdown` and `xl reboot` work. Suspend is refused with a message:
 * Mica has no save/restore yet.
 */
#include <stdlib.h>
#include <string.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/xen/platform.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>

int xen_shutdown_reason = -1; /* set by a toolstack request */

static void control_thread(void *arg)
{
	static struct xenbus_watch w;
	char req[32];

	(void)arg;
	if (xenbus_watch(&w, "control/shutdown") < 0) {
		printk("xen: cannot watch control/shutdown\n");
		return;
	}
	for (;;) {
		int n;

		xenbus_watch_wait(&w, 0);
		n = xenbus_read(0, "control/shutdown", req, sizeof(req));
		if (n <= 0)
			continue; /* absent or empty: nothing asked */
		if (strcmp(req, "poweroff") == 0 || strcmp(req, "halt") == 0) {
			xenbus_write(0, "control/shutdown", "");
			printk("mica: the toolstack asks for poweroff\n");
			xen_shutdown_reason = SHUTDOWN_poweroff;
			exit(0);
		} else if (strcmp(req, "reboot") == 0) {
			xenbus_write(0, "control/shutdown", "");
			printk("mica: the toolstack asks for reboot\n");
			xen_shutdown_reason = SHUTDOWN_reboot;
			exit(0);
		} else if (strcmp(req, "suspend") == 0) {
			printk("mica: suspend refused: Mica has no "
			       "save/restore yet\n");
		} else {
			printk("mica: unknown control/shutdown request "
			       "'%.20s' ignored\n",
			       req);
		}
	}
}

int xen_control_init(void)
{
	int rc = xenbus_write(0, "control/feature-poweroff", "1");

	if (rc == 0)
		rc = xenbus_write(0, "control/feature-reboot", "1");
	if (rc < 0)
		printk("xen: cannot advertise shutdown features (%d)\n", rc);
	if (!thread_create("xen-control", control_thread, NULL))
		return -1;
	return rc;
}
