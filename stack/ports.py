"""Free loopback ports for servers started by tests and the launcher."""

from __future__ import annotations

import random
import socket
from pathlib import Path


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


#: Linux hands out outgoing connections' local ports from this range.
_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def _listening_range() -> tuple[int, int] | None:
    """Ports for our servers outside the ephemeral range, or None if there is no room.

    A port the kernel gives ``bind(0)`` comes from the ephemeral range: between choosing it
    and the server binding it, any outgoing connection on the machine (the other test
    process's clients, an install) may take it as its local port, and the server dies with
    "Address already in use" (seen in CI: one test process lost its whole broker). Below the
    ephemeral range only an explicit bind can take it."""
    try:
        low, high = (int(part) for part in _EPHEMERAL_RANGE.read_text().split())
    except (OSError, ValueError):
        return None
    if low > 12_000:
        return 10_000, low - 1
    if high < 63_000:
        return high + 1, 65_535
    return None


def free_ports(count: int, *, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct ports that were free a moment ago (held open until all are chosen),
    outside the ephemeral range when the machine leaves room for that."""
    span = _listening_range()
    pick = random.SystemRandom()
    sockets: list[socket.socket] = []
    try:
        while len(sockets) < count:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.bind((host, pick.randint(*span) if span else 0))
            except OSError:  # taken: draw again
                sock.close()
                continue
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port_with_offset(offset: int, *, host: str = "127.0.0.1", tries: int = 50) -> int:
    """A free port ``p`` such that ``p + offset`` is free too (SeaweedFS derives gRPC ports)."""
    for _ in range(tries):
        (port,) = free_ports(1, host=host)
        if port + offset < 65536 and port_is_free(port + offset, host):
            return port
    raise OSError(f"no free port pair with offset {offset}")
