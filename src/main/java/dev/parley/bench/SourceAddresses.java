package dev.parley.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The local addresses client sockets bind to, round robin: 127.0.0.2, 127.0.0.3, … 127.0.0.251,
 * then 127.0.1.2, … Every loopback address has its own ~28,000 ephemeral ports, so spreading
 * sockets over them means ports never run out (also not with sockets lingering in TIME_WAIT),
 * and a server's per-IP limits see many clients. Zero addresses: the kernel picks.
 */
final class SourceAddresses {
  static final int PER_BLOCK = 250;

  private final InetSocketAddress[] addresses;
  private int next;

  SourceAddresses(int count) {
    if (count < 0 || count > 250 * PER_BLOCK) {
      throw new IllegalArgumentException("source addresses: 0 to " + 250 * PER_BLOCK + ", got " + count);
    }
    addresses = new InetSocketAddress[count];
    for (int i = 0; i < count; i++) {
      addresses[i] = new InetSocketAddress(address(i), 0);
    }
  }

  /** The {@code i}-th address (from 0): 127.0.{i / 250}.{2 + i % 250}. */
  static InetAddress address(int i) {
    byte[] a = {127, 0, (byte) (i / PER_BLOCK), (byte) (2 + i % PER_BLOCK)};
    try {
      return InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always a valid address
    }
  }

  int size() {
    return addresses.length;
  }

  /** The next local address to bind (port 0: any), or null to let the kernel choose. */
  synchronized InetSocketAddress next() {
    if (addresses.length == 0) {
      return null;
    }
    InetSocketAddress a = addresses[next];
    next = (next + 1) % addresses.length;
    return a;
  }
}
