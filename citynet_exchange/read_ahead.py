"""A big streamed document read in a second process while this one checks its records.

Reading a big table (splitting the CSV, gathering the towns its rows describe) takes about
as long as checking the records it gives, and on two cores the two can overlap. A forked
child runs the importer and sends the records in batches (marshal: records are plain data
and both ends are the same Python), each after the problems the importer met before it.
The child keeps the importer's state, so it also answers what this process asks of the
document later: where a pointer lies (`locate`), a record again (`fetch`), the records
again. It ends when the document is closed (`close`), or when this process ends.

Where the child reads faster than this process checks (JSON Lines), it also judges the
records it sends (`Document.judged`): it runs the engine's first check on each while this
process has half a pipe of frames still to read, so that the work is shared out by itself.

Used by `api.validate` on Linux with two cores or more, in a process without other threads,
for streamed documents (JSON, JSON Lines, flat tables, CSV packages) of `READ_AHEAD_BYTES`
or more.
`CITYNET_READ_AHEAD=off` reads every document in this process; `=always` reads every
streamed document ahead, however small (the tests compare the two).
"""

from __future__ import annotations

import marshal
import os
import pickle
import select
import sys
import threading
import traceback
from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, BinaryIO

from citynet_exchange.findings import Location, field_values
from citynet_exchange.formats import Document, Judge, Locator

READ_AHEAD_BYTES = 16 * 2**20  # below this, forking costs about what the overlap saves
READ_AHEAD_ENV = "CITYNET_READ_AHEAD"
_BATCH = 256  # records a frame
_place_values = field_values(Location)  # a place as it crosses: a tuple pickles in half the time
_PIPE_BYTES = 2**20  # a pipe that holds some frames, so that neither side waits on the other
# Each end's buffer, small beside the pipe: what the pipe holds is then most of what the parent
# has still to read, which tells the child whether it has the time to judge.
_BUFFER = 2**16

# Frames, child to parent: records, each with its verdict or None (marshal, or pickle where
# marshal cannot), problems met before the records that follow, the end of a pass (with the
# losses), an answer, a failure.
_RECORDS, _PICKLED, _PROBLEMS, _END, _ANSWER, _FAILED = b"RQPEAX"
# Requests, parent to child: locate, fetch, the records again, stop the pass.
_LOCATE, _FETCH, _AGAIN, _HALT = b"LFSH"


def wanted(document: Document, size: int) -> bool:
    """Whether a document of `size` bytes is read ahead: not by a process running threads (a
    server's), whose locks a forked child could inherit held."""
    if document.stream is None or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    setting = os.environ.get(READ_AHEAD_ENV, "").strip().lower()
    if setting in ("off", "0", "no"):
        return False
    # On one core the two processes would take turns: the records' trip would be all it adds.
    return setting == "always" or (size >= READ_AHEAD_BYTES and len(os.sched_getaffinity(0)) > 1)


def ahead(document: Document) -> Document:
    """The document, its records read by a child process forked when they are first asked for."""
    child = _Child(document)
    return replace(document, locator=_RemoteLocator(child), stream=child.records, fetch=child.fetch,
                   fetch_all=child.fetch_all, judged=child.judged)


def close(document: Document) -> None:
    """End the child reading a document, if it is read ahead."""
    if isinstance(document.locator, _RemoteLocator):
        document.locator.child.close()


class _RemoteLocator(Locator):
    def __init__(self, child: _Child):
        self.child = child

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        return self.locate_all([(pointer, key)])[0]

    def locate_all(self, asked: Sequence[tuple[str, bool]]) -> list[Location]:
        return [Location(*values) for values in self.child.ask(_LOCATE, list(asked))]


_RUNNING: set[_Child] = set()  # the children not yet closed


class _Child:
    """This process's end: the child forked at the first pass, its frames read as they come
    (those of a pass queued while an answer is awaited)."""

    def __init__(self, document: Document):
        self.document = document
        self.pid: int | None = None
        self._frames: BinaryIO | None = None
        self._requests: BinaryIO | None = None
        self._queued: deque[tuple[int, bytes]] = deque()

    def records(self) -> Iterator[tuple[str, int, Any]]:
        return ((kind, local, raw) for kind, local, raw, _verdict in self.judged(None))

    def judged(self, judge: Judge | None) -> Iterator[tuple[str, int, Any, Any]]:
        """The records, with `judge`'s verdict on those the child had the time to judge. The
        child judges with the `judge` it was forked with, so a later pass may ask for none."""
        if self.pid is None:
            self._fork(judge)
        else:
            self._send(_AGAIN, judge is not None)
        ended = False
        try:
            while True:
                tag, payload = self._next()
                if tag == _RECORDS:
                    yield from marshal.loads(payload)
                elif tag == _PICKLED:
                    yield from pickle.loads(payload)
                elif tag == _PROBLEMS:
                    whole, hits = pickle.loads(payload)
                    if whole:
                        del self.document.problems[:]
                    self.document.problems += hits
                elif tag == _END:
                    self.document.losses[:] = pickle.loads(payload)
                    ended = True
                    return
                else:
                    self._failure(tag, payload)
        finally:
            if not ended and self.pid is not None:  # left before the end (a cap on records): stop the child
                self._halt()

    def fetch(self, kind: str, index: int) -> Any:
        return self.fetch_all(kind, [index])[0]

    def fetch_all(self, kind: str, indexes: Sequence[int]) -> list[Any]:
        return self.ask(_FETCH, (kind, indexes))

    def ask(self, request: int, value: Any) -> Any:
        """The child's answer; the frames of a pass still running are kept for it."""
        self._send(request, value)
        while True:
            tag, payload = self._read()
            if tag == _ANSWER:
                return pickle.loads(payload)
            if tag == _FAILED:
                self._failure(tag, payload)
            self._queued.append((tag, payload))

    def close(self) -> None:
        if self.pid is None:
            return
        assert self._requests is not None and self._frames is not None
        self._requests.close()  # the child ends when it reads the end of its requests
        self._frames.close()
        os.waitpid(self.pid, 0)
        self.pid = None
        _RUNNING.discard(self)

    def _forget(self) -> None:
        """In a child forked later: close this end's pipes, which are the other child's to see end."""
        for stream in (self._frames, self._requests):
            if stream is not None:
                os.close(stream.fileno())

    def _fork(self, judge: Judge | None) -> None:
        frames_in, frames_out = os.pipe()
        requests_in, requests_out = os.pipe()
        capacity = _widen(frames_out)
        pid = os.fork()
        if pid == 0:  # the child: it never returns, so nothing of this process runs twice
            status = 1
            try:
                os.close(frames_in), os.close(requests_out)
                for other in _RUNNING:  # else another child would not see the end of its requests
                    other._forget()
                _Server(self.document, os.fdopen(frames_out, "wb", buffering=_BUFFER),
                        os.fdopen(requests_in, "rb", buffering=0), capacity, judge).serve()
                status = 0
            finally:
                os._exit(status)
        os.close(frames_out), os.close(requests_in)
        self.pid = pid
        _RUNNING.add(self)
        self._frames = os.fdopen(frames_in, "rb", buffering=_BUFFER)
        self._requests = os.fdopen(requests_out, "wb")

    def _next(self) -> tuple[int, bytes]:
        return self._queued.popleft() if self._queued else self._read()

    def _read(self) -> tuple[int, bytes]:
        assert self._frames is not None
        frame = _read_frame(self._frames)
        if frame is None:
            raise RuntimeError(f"the process reading {self.document.name} ended unexpectedly")
        return frame

    def _send(self, request: int, value: Any) -> None:
        assert self._requests is not None
        payload = pickle.dumps(value)
        self._requests.write(bytes([request]) + len(payload).to_bytes(8, "little") + payload)
        self._requests.flush()

    def _halt(self) -> None:
        """Stop the pass the child is sending, and drop what it sent of it."""
        self._send(_HALT, None)
        while self._next()[0] != _END:
            pass

    def _failure(self, tag: int, payload: bytes) -> None:
        """Raise the exception the child met, with its traceback as a note."""
        if tag != _FAILED:
            raise RuntimeError(f"the process reading {self.document.name} sent a frame it should not ({tag})")
        exc, text = pickle.loads(payload)
        exc.add_note(f"in the process reading {self.document.name}:\n{text}")
        raise exc


class _Server:
    """The child's end: a pass over the records, then the requests until there are no more."""

    def __init__(self, document: Document, frames: BinaryIO, requests: BinaryIO, capacity: int,
                 judge: Judge | None):
        self.document, self.frames, self.requests = document, frames, requests
        self.capacity, self.judge = capacity, judge

    def serve(self) -> None:
        self._pass(self.judge)
        while (request := _read_frame(self.requests)) is not None:
            tag, payload = request
            if tag == _AGAIN:
                self._pass(self.judge if pickle.loads(payload) else None)
            elif tag != _HALT:  # a halt sent as the pass ended has nothing left to stop
                self._answer(tag, payload)

    def _pass(self, judge: Judge | None) -> None:
        """The records, `_BATCH` a frame, each after the problems met before it."""
        problems = self.document.problems
        sent: int | None = None  # the problems sent so far; None: send them whole
        batch: list[tuple[str, int, Any]] = []
        records = self.document.records()
        try:
            for record in records:
                if sent is None or len(problems) != sent:
                    self._records(batch, judge)
                    sent = self._problems(sent)
                batch.append(record)
                if len(batch) >= _BATCH:
                    self._records(batch, judge)
                    if self._halted():
                        break
        except Exception as exc:
            self._records(batch, judge)
            self._fail(exc)
        else:
            self._records(batch, judge)
            if sent is None or len(problems) != sent:
                self._problems(sent)
        finally:
            records.close()
        self._put(_END, pickle.dumps(self.document.losses))
        self.frames.flush()

    def _problems(self, sent: int | None) -> int:
        """Send the problems met after the first `sent` (all of them when `sent` is None, or
        when the importer began its list anew); the number sent so far."""
        problems = self.document.problems
        whole = sent is None or len(problems) < sent
        self._put(_PROBLEMS, pickle.dumps((whole, problems if whole else problems[sent:])))
        return len(problems)

    def _records(self, batch: list[tuple[str, int, Any]], judge: Judge | None) -> None:
        """Send the batch, judged if this process is ahead of the parent."""
        if not batch:
            return
        if judge is not None and self._ahead():
            rows = [(kind, local, raw, judge(kind, local, raw)) for kind, local, raw in batch]
        else:
            rows = [(kind, local, raw, None) for kind, local, raw in batch]
        try:
            self._put(_RECORDS, marshal.dumps(rows))
        except ValueError:  # a value marshal does not take (an importer's own type)
            self._put(_PICKLED, pickle.dumps(rows))
        batch.clear()

    def _ahead(self) -> bool:
        """Whether the parent has half a pipe of frames still to read."""
        import fcntl  # Linux's, as the child is
        import termios

        queued = array("i", [0])
        fcntl.ioctl(self.frames.fileno(), termios.FIONREAD, queued)
        return queued[0] >= self.capacity // 2

    def _halted(self) -> bool:
        """Answer the requests sent while the pass runs; whether one of them stops it."""
        while select.select([self.requests], [], [], 0)[0]:
            request = _read_frame(self.requests)
            if request is None or request[0] == _HALT:
                return True
            self._answer(*request)
        return False

    def _answer(self, tag: int, payload: bytes) -> None:
        try:
            value = pickle.loads(payload)
            if tag == _LOCATE:
                answer = list(map(_place_values, self.document.locator.locate_all(value)))
            else:
                answer = self.document.records_at(*value)
            self._put(_ANSWER, pickle.dumps(answer))
        except Exception as exc:
            self._fail(exc)
        self.frames.flush()

    def _fail(self, exc: Exception) -> None:
        text = "".join(traceback.format_exception(exc))
        try:
            payload = pickle.dumps((exc, text))
            pickle.loads(payload)  # some exceptions pickle but cannot be made again from it
        except Exception:  # such an exception is sent as its words
            payload = pickle.dumps((RuntimeError(f"{type(exc).__name__}: {exc}"), text))
        self._put(_FAILED, payload)

    def _put(self, tag: int, payload: bytes) -> None:
        self.frames.write(bytes([tag]) + len(payload).to_bytes(8, "little"))
        self.frames.write(payload)


def _read_frame(stream: BinaryIO) -> tuple[int, bytes] | None:
    """A tag and its payload; None at the end of the stream."""
    head = _read_exactly(stream, 9)
    if head is None:
        return None
    payload = _read_exactly(stream, int.from_bytes(head[1:], "little"))
    return None if payload is None else (head[0], payload)


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    """`size` bytes (an unbuffered stream gives what the pipe holds); None at the end."""
    data = stream.read(size)
    while data is not None and 0 < len(data) < size:
        more = stream.read(size - len(data))
        if not more:
            return None
        data += more
    return data if data is not None and len(data) == size else None


def _widen(fd: int) -> int:
    """A pipe of `_PIPE_BYTES` where Linux allows it; the bytes it holds."""
    import fcntl  # Linux's, where a child is forked

    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except OSError:
        pass
    return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
