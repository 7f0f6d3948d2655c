/*
 * The PL011 UART (arm,pl011) and its SBSA subset (arm,sbsa-uart: Xen's
 * vpl011) as a console, polled both ways. The SBSA UART has no baud, line
 * control or enable registers; Xen's vpl011 emulates only DR, FR, RIS,
 * MIS, IMSC and ICR, and any other access gets a data abort injected.
 * So: 32-bit accesses to DR, FR, IMSC and ICR only, plus, on a real
 * PL011, the line control and enable registers if nobody set them.
 */
#include <mica/console.h>
#include <arch/arm64.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_LCR_H 0x2c
#define UART_CR 0x30
#define UART_IMSC 0x38
#define UART_ICR 0x44
#define FR_RXFE (1U << 4)	/* receive FIFO empty */
#define FR_TXFF (1U << 5)	/* transmit FIFO full */
#define FR_TXFE (1U << 7)	/* transmit FIFO empty */
#define LCR_H_WLEN8_FEN 0x70	/* 8 bits, FIFOs on */
#define CR_UARTEN_TXE_RXE 0x301

#define FIFO_SIZE 16

static uintptr_t base;
static bool crlf;
static unsigned int room;	/* bytes the FIFO takes without a check */

/*
 * One flag read per FIFO load while it drains, not per byte: under Xen
 * every register access is a trap. Bounded wait: a wedged UART must not
 * hang the kernel.
 */
static void put(char c)
{
	if (room == 0) {
		uint32_t fr = 0;

		for (int i = 0; i < 1000000; i++) {
			fr = mmio_read32(base + UART_FR);
			if (!(fr & FR_TXFF))
				break;
		}
		room = fr & FR_TXFE ? FIFO_SIZE : 1;
	}
	mmio_write32(base + UART_DR, (uint8_t)c);
	room--;
}

static void uart_write(struct console *con, const char *buf, size_t len)
{
	(void)con;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n' && crlf)
			put('\r');
		put(buf[i]);
	}
}

/* Received bytes, without waiting. A byte with an error flag (DR bits
 * 8-11: framing, parity, break, overrun) is dropped. */
static size_t uart_read(struct console *con, char *buf, size_t len)
{
	size_t n = 0;

	(void)con;
	while (n < len && !(mmio_read32(base + UART_FR) & FR_RXFE)) {
		uint32_t dr = mmio_read32(base + UART_DR);

		if (!(dr & 0xf00))
			buf[n++] = (char)(dr & 0xff);
	}
	return n;
}

static struct console uart_console = { .write = uart_write,
				       .read = uart_read };

/*
 * Called before the MMU has the final map: the boot map makes 0-1 GiB
 * Device memory, which is where QEMU's virt machine and Xen put it.
 */
bool pl011_init(const struct dt_machine *m, bool want_crlf)
{
	if (!m->uart.size || m->uart.base >= (1ULL << 30))
		return false;
	base = (uintptr_t)m->uart.base;
	crlf = want_crlf;
	mmio_write32(base + UART_IMSC, 0);	/* no interrupts */
	mmio_write32(base + UART_ICR, 0x7ff);
	if (!m->uart_sbsa && !(mmio_read32(base + UART_CR) & 1)) {
		/* Not enabled by firmware: 8N1 at its reset baud rate. */
		mmio_write32(base + UART_LCR_H, LCR_H_WLEN8_FEN);
		mmio_write32(base + UART_CR, CR_UARTEN_TXE_RXE);
	}
	uart_console.name = m->uart_sbsa ? "sbsa-uart" : "pl011";
	console_register(&uart_console);
	return true;
}
