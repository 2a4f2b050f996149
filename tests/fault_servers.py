"""A TCP server that plays a dependency gone wrong, for fault tests against real processes.

``HungServer`` accepts connections and never answers: what a Redis stopped with
``kill -STOP`` (or a half-open connection behind a NAT) looks like to a client. Calling
``forward_to(host, port)`` turns it into a plain TCP proxy to the real service, so a
test can make "the broker" come back without restarting the processes using it.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class HungServer:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self.target: tuple[str, int] | None = None
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def forward_to(self, host: str, port: int) -> None:
        """From now on, new connections are proxied to ``host:port`` (the dependency is back).

        Connections accepted while hung stay hung, as a real client's would until its
        timeout closes them.
        """
        self.target = (host, port)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            if self.target is None:
                self._held.append(client)  # keep it open, never read or answer
            else:
                threading.Thread(target=self._proxy, args=(client, self.target), daemon=True).start()

    @staticmethod
    def _proxy(client: socket.socket, target: tuple[str, int]) -> None:
        try:
            upstream = socket.create_connection(target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            client.close()
            return

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while data := src.recv(65536):
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)

    def close(self) -> None:
        self._closed = True
        self.sock.close()
        for held in self._held:
            with contextlib.suppress(OSError):
                held.close()

    def __enter__(self) -> HungServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
