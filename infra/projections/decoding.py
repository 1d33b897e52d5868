"""Stored events decoded for the projector: what the application's `mapper.to_domain_event`
returns, built about twice as fast.

The library's transcoder parses with the stdlib `json` and calls back into Python for every
JSON object (`object_hook`); here orjson parses the state and the value objects are rebuilt
bottom-up by the same transcodings, UUIDs from a cache of the ones seen. Whatever this path does
not handle exactly as the mapper does (a cipher or compressor, upcasting, JSON that orjson
refuses but `json` reads, such as NaN) goes through the mapper itself, so the event is the same
either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import JSONTranscoder, Mapper, Notification, find_id_convertor
from eventsourcing.utils import resolve_topic


class _CachedUUIDs:
    """The uuid_hex transcoding's decode, remembering the UUIDs it made (they are immutable)."""

    def __init__(self, size: int = 200_000) -> None:
        self.known: dict[str, UUID] = {}
        self.size = size

    def decode(self, data: str) -> UUID:
        found = self.known.get(data)
        if found is None:
            if len(self.known) >= self.size:
                self.known.clear()
            found = self.known[data] = UUID(data)
        return found


def consumed_events(views: Sequence[Any]) -> tuple[type, ...] | None:
    """The event classes some view needs decoded (its `consumes`; a view with
    `reads_events = False` needs none); None: every event."""
    found: list[type] = []
    for view in views:
        if not getattr(view, "reads_events", True):
            continue
        consumes = getattr(view, "consumes", None)
        if consumes is None:
            return None
        found += consumes
    return tuple(found)


class Decoder:
    """`decoder(notification)` == `mapper.to_domain_event(notification)`; `batch` decodes only
    the events of the classes `consumes` names (None: all)."""

    def __init__(self, mapper: Mapper[Any], consumes: tuple[type, ...] | None = None) -> None:
        self.mapper, self.consumes = mapper, consumes
        self.wanted: dict[str, bool] = {}  # by stored topic: of a consumed class
        transcoder = mapper.transcoder
        self.fast = (
            mapper.cipher is None
            and mapper.compressor is None
            and isinstance(transcoder, JSONTranscoder)
        )
        self.names: dict[str, Any] = dict(getattr(transcoder, "names", {}))
        if "uuid_hex" in self.names:
            self.names["uuid_hex"] = _CachedUUIDs()
        # By topic: (class, originator id convertor), or None where the mapper must decode.
        self.classes: dict[str, tuple[type, Callable[[Any], Any]] | None] = {}

    def batch(self, notes: Sequence[Notification], until: datetime | None) -> list[Any]:
        """(position, event or None) of each notification, up to the first event recorded
        after `until` (which needs every event's time, so then every event is decoded)."""
        wanted, events = self.wanted, []
        for note in notes:
            needed = wanted.get(note.topic)
            if needed is None:
                needed = wanted[note.topic] = self.consumes is None or issubclass(
                    resolve_topic(note.topic), self.consumes
                )
            if not needed and until is None:
                events.append((note.id, None))
                continue
            event = self(note)
            if until is not None and event.timestamp > until:
                break
            events.append((note.id, event if needed else None))
        return events

    def __call__(self, note: Notification) -> Any:
        known = self.classes.get(note.topic, False) if self.fast else None
        if known is False:
            known = self.classes[note.topic] = self._learn(note)
        if known is None:
            return self.mapper.to_domain_event(note)
        try:
            state = self.values(note.state)
        except Exception:  # the mapper decodes it, or raises its own error
            return self.mapper.to_domain_event(note)
        if type(state) is not dict or "class_version" in state:
            return self.mapper.to_domain_event(note)
        cls, convert = known  # type: ignore[misc]
        state["originator_id"] = convert(note.originator_id)
        state["originator_version"] = note.originator_version
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def values(self, state: bytes) -> Any:
        """A stored state's JSON with its value objects decoded (what the transcoder's
        `decode` gives); raises whatever orjson or a transcoding raises."""
        return self._value(orjson.loads(state))

    def _learn(self, note: Notification) -> tuple[type, Callable[[Any], Any]] | None:
        cls = resolve_topic(note.topic)
        if getattr(cls, "class_version", 1) != 1:
            return None  # upcasting: the mapper's job
        return cls, find_id_convertor(cls, type(note.originator_id))  # type: ignore[arg-type]

    def _value(self, value: Any) -> Any:
        """A parsed JSON value with its value objects decoded, innermost first (as the
        transcoder's object_hook sees them)."""
        kind = type(value)
        if kind is dict:
            return self._object(value)
        return self._list(value) if kind is list else value

    def _object(self, value: dict[str, Any]) -> Any:
        if len(value) == 2 and "_type_" in value and "_data_" in value:
            data = value["_data_"]
            inner = type(data)
            if inner is dict:
                data = self._object(data)
            elif inner is list:
                data = self._list(data)
            return self.names[value["_type_"]].decode(data)
        names = self.names
        for key, item in value.items():
            inner = type(item)
            if inner is dict:
                # Most values are one plain datum under a name (a UUID, a time): no call.
                if len(item) == 2 and "_type_" in item and "_data_" in item:
                    data = item["_data_"]
                    if type(data) is not dict and type(data) is not list:
                        value[key] = names[item["_type_"]].decode(data)
                        continue
                value[key] = self._object(item)
            elif inner is list:
                value[key] = self._list(item)
        return value

    def _list(self, value: list[Any]) -> list[Any]:
        for index, item in enumerate(value):
            inner = type(item)
            if inner is dict:
                value[index] = self._object(item)
            elif inner is list:
                value[index] = self._list(item)
        return value
