"""A tiny SMTP server for the tests: speaks enough of RFC 5321 for smtplib and keeps what it
receives. (The venv has no aiosmtpd, and smtpd left the standard library.)"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class Sink:
    host: str
    port: int
    messages: list[Received] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    sink: Sink

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._say("220 sink ready")
        sender, recipients = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 sink")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self._say("250 ok")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._say("250 ok")
            elif verb == "DATA":
                self._say("354 go ahead")
                lines = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.sink.messages.append(Received(sender, recipients, b"".join(lines)))
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")


@contextmanager
def smtp_sink() -> Iterator[Sink]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    sink = Sink("127.0.0.1", int(server.server_address[1]))
    _Handler.sink = sink
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
