"""Answers that always arrive: read what is left of a request body before answering.

A handler may answer before reading the body (413 for a declared size over 1 MiB, 401, an
injected 503). Closing a connection with unread data makes the kernel reset it, and a
client still sending its body then sees a reset instead of the answer. So, before an
answer starts, the rest of the body is read and dropped, up to `MAX_DRAIN_BYTES`; past
that (or when the client waits for `100 Continue` and has sent nothing) the answer says
`Connection: close` instead.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_DRAIN_BYTES = 16 * 1024 * 1024


class DrainUnreadBody:
    """ASGI middleware: drain an unread request body (bounded) before the answer."""

    def __init__(self, app: ASGIApp, max_drain_bytes: int = MAX_DRAIN_BYTES) -> None:
        self.app = app
        self.max_drain_bytes = max_drain_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_done = False
        received_any = False

        async def tracking_receive() -> Message:
            nonlocal body_done, received_any
            message = await receive()
            received_any = True
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def draining_send(message: Message) -> None:
            if (
                message["type"] == "http.response.start"
                and not body_done
                and not await self._drain(scope, tracking_receive, started=received_any)
            ):
                headers = list(message.get("headers", []))
                headers.append((b"connection", b"close"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, tracking_receive, draining_send)

    async def _drain(self, scope: Scope, receive: Receive, *, started: bool) -> bool:
        """Read the rest of the body; False when it is too long or never coming."""
        headers = dict(scope.get("headers", []))
        if not started and headers.get(b"expect", b"").lower() == b"100-continue":
            return False
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_drain_bytes:
            return False
        read = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return True  # the client left
            read += len(message.get("body", b""))
            if not message.get("more_body", False):
                return True
            if read > self.max_drain_bytes:
                return False
