"""A response with a Content-Length leaves in one write: status line and headers held until
its body's first write (service/protocol.py); other writes go out as they come."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from service.protocol import _HeadWithBody


class Recording:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def _cycle(method: str = "POST", chunked: bool | None = False, length: int = 2) -> Any:
    return SimpleNamespace(
        response_started=False,
        chunked_encoding=None,
        expected_content_length=0,
        scope={"method": method},
        _then=(chunked, length),
    )


def _start(cycle: Any) -> None:
    """What uvicorn sets before it writes the head."""
    cycle.response_started = True
    cycle.chunked_encoding, cycle.expected_content_length = cycle._then


def test_a_response_with_a_length_is_written_once_with_its_body() -> None:
    transport, cycle = Recording(), _cycle()
    corked = _HeadWithBody(cycle, transport)
    _start(cycle)
    corked.write(b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n")
    assert transport.writes == []
    corked.write(b"{}")
    assert transport.writes == [b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}"]


def test_what_is_written_before_the_response_starts_goes_out_at_once() -> None:
    transport, cycle = Recording(), _cycle()
    corked = _HeadWithBody(cycle, transport)
    corked.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert transport.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]


def test_heads_of_chunked_empty_and_head_responses_go_out_at_once() -> None:
    for cycle in (_cycle(chunked=True), _cycle(length=0), _cycle(method="HEAD")):
        transport = Recording()
        corked = _HeadWithBody(cycle, transport)
        _start(cycle)
        corked.write(b"HTTP/1.1 200 OK\r\n\r\n")
        assert transport.writes == [b"HTTP/1.1 200 OK\r\n\r\n"]


def test_closing_sends_a_held_head_first() -> None:
    transport, cycle = Recording(), _cycle()
    corked = _HeadWithBody(cycle, transport)
    _start(cycle)
    corked.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    corked.close()
    assert transport.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"]
    assert transport.closed and corked.is_closing()
