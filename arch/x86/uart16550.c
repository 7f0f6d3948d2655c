/* A 16550 UART at COM1 (I/O port 0x3f8) as a console, 115200 8N1. */
#include <mica/console.h>
#include <arch/io.h>
#include <arch/x86.h>

#define COM1 0x3f8
#define THR 0
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define SCR 7
#define LSR_THRE 0x20
#define LSR_DR 0x01	/* a received byte waits in RBR (port 0) */

#define FIFO_SIZE 16

static unsigned int room; /* bytes the transmit FIFO still takes */

/* One status read per FIFO load rather than per byte: each port access
 * is a VM exit under a hypervisor. */
static void put(char c)
{
	if (room == 0) {
		/* Bounded wait: a wedged UART must not hang the kernel. */
		for (int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THRE);
		     i++)
			;
		room = FIFO_SIZE;
	}
	outb(COM1 + THR, (uint8_t)c);
	room--;
}

static void uart_write(struct console *con, const char *buf, size_t len)
{
	(void)con;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			put('\r');
		put(buf[i]);
	}
}

/* Received bytes: the receive FIFO, drained without waiting. */
static size_t uart_read(struct console *con, char *buf, size_t len)
{
	size_t n = 0;

	(void)con;
	while (n < len && (inb(COM1 + LSR) & LSR_DR)) {
		buf[n++] = (char)inb(COM1 + THR);
	}
	return n;
}

static struct console uart_console = { .name = "serial",
				       .write = uart_write,
				       .read = uart_read };

/* Present if the scratch register keeps what we write and LSR is sane. */
bool uart16550_probe(void)
{
	outb(COM1 + SCR, 0x5a);
	if (inb(COM1 + SCR) != 0x5a || inb(COM1 + LSR) == 0xff)
		return false;
	outb(COM1 + IER, 0x00);
	outb(COM1 + LCR, 0x80); /* divisor latch */
	outb(COM1 + THR, 0x01); /* 115200 baud */
	outb(COM1 + IER, 0x00);
	outb(COM1 + LCR, 0x03); /* 8N1 */
	outb(COM1 + FCR, 0xc7);
	outb(COM1 + MCR, 0x03);
	console_register(&uart_console);
	return true;
}
