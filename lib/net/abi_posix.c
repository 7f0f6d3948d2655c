/* Mica's POSIX socket headers against lib/net/abi.h (see there). */
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "abi.h"

NET_ABI_CHECK_ALL
