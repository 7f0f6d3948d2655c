/* lwIP's socket headers against lib/net/abi.h (see there). */
#include "lwip/sockets.h"
#include "lwip/netdb.h"
#include "../net/abi.h"

NET_ABI_CHECK_ALL
