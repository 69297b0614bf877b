"""Free loopback ports for servers started by tests and the launcher."""

from __future__ import annotations

import socket


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_ports(count: int, *, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct ports that were free a moment ago (held open until all are chosen)."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
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
