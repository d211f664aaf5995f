"""An in-memory Telegram Bot API for tests: the bot talks to it instead of api.telegram.org.

`BotApiFake` answers the Bot API methods the bot uses and records every call; a method it does not
know is recorded in `unknown` and answered with an error (the `fake` fixture fails the test).
`FakeRequest` plugs it in at python-telegram-bot's HTTP layer (a `BaseRequest`), and
`serve_http` serves the same fake over HTTP for tests that run the bot as a real process.
"""

from __future__ import annotations

import json
import threading
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from telegram.request import BaseRequest, RequestData

BOT_ID = 7000001
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "B12 Bot", "username": "b12_test_bot"}


@dataclass
class SentMessage:
    """A message as the patient would see it (edits update it in place)."""

    chat_id: int
    message_id: int
    text: str
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    edits: int = 0
    file_name: str | None = None  # for documents and photos
    file_bytes: bytes | None = None
    file_id: str | None = None  # a photo sent again by its Telegram file id (/reports)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))  # when it was sent

    @property
    def buttons(self) -> list[str]:
        return [b["text"] for row in self.keyboard for b in row]

    def callback_for(self, label: str) -> str | None:
        for row in self.keyboard:
            for button in row:
                if button["text"] == label or label in button["text"]:
                    return str(button["callback_data"])
        return None

    def as_api(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(_time.time()),
            "chat": {"id": self.chat_id, "type": "private"},
            "from": BOT_USER,
            "text": self.text,
        }
        if self.keyboard:
            result["reply_markup"] = {"inline_keyboard": self.keyboard}
        return result


class ApiError(Exception):
    """Make the fake answer one call with a Bot API error (e.g. 429, 403)."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


class BotApiFake:
    """The Bot API methods b12bot uses, answered in memory. Thread-safe (the HTTP server)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.send_times: list[tuple[float, int]] = []  # (real monotonic time, chat id) per sendMessage
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.outbox: list[SentMessage] = []  # sent or edited, in order
        self.unknown: list[str] = []
        self.commands: list[dict[str, Any]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.failures: list[tuple[str, ApiError | Callable[[], None]]] = []
        self.updates: list[dict[str, Any]] = []
        self.updates_ready = threading.Condition(self.lock)
        self.webhook: dict[str, Any] = {}
        self.hangs: dict[str, float] = {}
        self.holds: dict[str, float] = {}
        self.files: dict[str, tuple[str, bytes, int]] = {}  # file id -> (path, bytes, declared size)
        self.downloads: list[str] = []  # file paths the bot downloaded
        self._next_id = 1

    # --- fault injection --------------------------------------------------------------------------

    def fail_next(self, method: str, error: ApiError | Callable[[], None]) -> None:
        """The next call of `method` answers with `error` (or runs it: it may raise)."""
        with self.lock:
            self.failures.append((method, error))

    # --- files the patient sends ------------------------------------------------------------------

    def register_file(self, data: bytes, size: int | None = None) -> dict[str, Any]:
        """A file a user sends (a photo): its ids and size as Telegram gives them in an update.
        `size` declares a different size than the bytes (to try the size cap cheaply)."""
        with self.lock:
            number = len(self.files) + 1
            file_id, unique = f"photo-{number}-{len(data)}", f"uq{number}"
            declared = len(data) if size is None else size
            self.files[file_id] = (f"photos/file_{number}.jpg", data, declared)
            return {"file_id": file_id, "file_unique_id": unique, "file_size": declared}

    def download(self, url: str) -> tuple[int, bytes]:
        """A file download (`<base file url>/<file_path>`), served only for paths getFile gave."""
        path = url.split("/file/bot", 1)[1].split("/", 1)[1]
        with self.lock:
            for stored, data, _size in self.files.values():
                if stored == path:
                    self.downloads.append(path)
                    return 200, data
        return 404, b'{"ok": false, "error_code": 404, "description": "Not Found"}'

    # --- what the patient sees --------------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        with self.lock:
            return [m for (c, _), m in self.messages.items() if c == chat_id]

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [p for m, p in self.calls if m == method]

    # --- the API --------------------------------------------------------------------------------

    def hang_next(self, method: str, seconds: float) -> None:
        """The next `method` call is never answered (nor carried out): the client waits."""
        with self.lock:
            self.hangs[method] = seconds

    def hold_next(self, method: str, seconds: float) -> None:
        """The next `method` call is carried out, but the answer is held back for `seconds`."""
        with self.lock:
            self.holds[method] = seconds

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            hang = self.hangs.pop(method, None)
            if hang is not None:
                self.calls.append((method, params))
        if hang is not None:
            _time.sleep(hang)
            raise ConnectionAbortedError("the fake never answered")
        status, body = self._handle(method, params)
        with self.lock:
            hold = self.holds.pop(method, None)
        if hold is not None:
            _time.sleep(hold)
        return status, body

    def _handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.calls.append((method, params))
            for i, (failing, error) in enumerate(self.failures):
                if failing == method:
                    del self.failures[i]
                    if isinstance(error, ApiError):
                        body: dict[str, Any] = {
                            "ok": False,
                            "error_code": error.code,
                            "description": error.description,
                        }
                        if error.retry_after is not None:
                            body["parameters"] = {"retry_after": error.retry_after}
                        return error.code, body
                    error()
                    break
            answer = getattr(self, "_" + method, None)
            if answer is None:
                self.unknown.append(method)
                return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            try:
                return 200, {"ok": True, "result": answer(params)}
            except ApiError as refused:  # e.g. getFile with a file id it never gave out
                return refused.code, {
                    "ok": False,
                    "error_code": refused.code,
                    "description": refused.description,
                }

    def _getMe(self, p: dict[str, Any]) -> Any:
        return {**BOT_USER, "can_join_groups": False, "can_read_all_group_messages": False,
                "supports_inline_queries": False}  # fmt: skip

    def _setMyCommands(self, p: dict[str, Any]) -> Any:
        commands = p.get("commands", [])
        self.commands = json.loads(commands) if isinstance(commands, str) else list(commands)
        return True

    def _deleteWebhook(self, p: dict[str, Any]) -> Any:
        return True

    def _sendMessage(self, p: dict[str, Any]) -> Any:
        chat_id = int(p["chat_id"])
        self.send_times.append((_time.monotonic(), chat_id))
        message = SentMessage(chat_id, self._next_id, str(p["text"]), _keyboard(p))
        self._next_id += 1
        self.messages[(chat_id, message.message_id)] = message
        self.outbox.append(message)
        return message.as_api()

    def _editMessageText(self, p: dict[str, Any]) -> Any:
        message = self.messages[(int(p["chat_id"]), int(p["message_id"]))]
        message.text, message.keyboard = str(p["text"]), _keyboard(p)
        message.edits += 1
        self.outbox.append(message)
        return message.as_api()

    def _editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        message = self.messages[(int(p["chat_id"]), int(p["message_id"]))]
        message.keyboard = _keyboard(p)
        message.edits += 1
        self.outbox.append(message)
        return message.as_api()

    def _send_file(self, p: dict[str, Any], kind: str) -> Any:
        chat_id = int(p["chat_id"])
        if str(p.get(kind, "")) in self.files:  # sent again by its file id, no upload
            return self._send_known(chat_id, str(p[kind]), str(p.get("caption", "")), _keyboard(p))
        attach = str(p.get(kind, kind)).removeprefix("attach://")  # inline upload: the field name
        name, data, _mime = p.get("_files", {}).get(attach, ("?", b"", ""))
        message = SentMessage(chat_id, self._next_id, str(p.get("caption", "")), _keyboard(p),
                              file_name=name, file_bytes=data)  # fmt: skip
        self._next_id += 1
        self.messages[(chat_id, message.message_id)] = message
        self.outbox.append(message)
        result = message.as_api()
        ids = {"file_id": f"f{message.message_id}", "file_unique_id": f"u{message.message_id}"}
        if kind == "document":
            result["document"] = {**ids, "file_name": name}
        else:
            result["photo"] = [{**ids, "width": 800, "height": 600}]
        return result

    def _send_known(self, chat_id: int, file_id: str, caption: str, keyboard: list[Any]) -> Any:
        message = SentMessage(chat_id, self._next_id, caption, keyboard, file_id=file_id)
        self._next_id += 1
        self.messages[(chat_id, message.message_id)] = message
        self.outbox.append(message)
        _path, _data, size = self.files[file_id]
        return {**message.as_api(), "photo": [{"file_id": file_id, "file_unique_id": "u" + file_id,
                                               "width": 800, "height": 600, "file_size": size}]}  # fmt: skip

    def _sendMediaGroup(self, p: dict[str, Any]) -> Any:
        media = p["media"]
        items = json.loads(media) if isinstance(media, str) else list(media)
        return [self._send_known(int(p["chat_id"]), str(m["media"]), str(m.get("caption", "")), [])
                for m in items]  # fmt: skip

    def _getFile(self, p: dict[str, Any]) -> Any:
        found = self.files.get(str(p["file_id"]))
        if found is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, _data, size = found
        return {"file_id": p["file_id"], "file_unique_id": "u" + str(p["file_id"]), "file_size": size,
                "file_path": path}  # fmt: skip

    def _sendDocument(self, p: dict[str, Any]) -> Any:
        return self._send_file(p, "document")

    def _sendPhoto(self, p: dict[str, Any]) -> Any:
        return self._send_file(p, "photo")

    def _setWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = p
        return True

    def _answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        self.callback_answers.append(p)
        return True

    def _getUpdates(self, p: dict[str, Any]) -> Any:
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        deadline = _time.monotonic() + min(timeout, 2.0)
        while True:
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if pending or _time.monotonic() >= deadline:
                return pending
            self.updates_ready.wait(timeout=0.05)

    def push_update(self, update: dict[str, Any]) -> None:
        with self.lock:
            self.updates.append(update)
            self.updates_ready.notify_all()


def _keyboard(params: dict[str, Any]) -> list[list[dict[str, Any]]]:
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not markup:
        return []
    return [list(row) for row in markup.get("inline_keyboard", [])]


class FakeRequest(BaseRequest):
    """python-telegram-bot's HTTP layer, answered by a BotApiFake: nothing leaves the process."""

    def __init__(self, api: BotApiFake) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a file download (File.download_*), not a Bot API method
            return self.api.download(url)
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            params["_files"] = dict(request_data.multipart_data)
        status, body = self.api.handle(api_method, params)
        return status, json.dumps(body).encode()


# --- the same fake over HTTP (for the bot as a real process) ------------------------------------


def _decode_form_value(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def serve_http(api: BotApiFake) -> tuple[ThreadingHTTPServer, str]:
    """Serve `api` on 127.0.0.1 (a free port); returns the server and the TELEGRAM_BASE_URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            kind = self.headers.get("Content-Type", "")
            if "json" in kind:
                params = json.loads(raw or "{}")
            else:
                params = {k: _decode_form_value(v[0]) for k, v in parse_qs(raw).items()}
            if "text" in params:
                params["text"] = parse_qs(raw).get("text", [str(params["text"])])[0]
            try:
                status, body = api.handle(self.path.rsplit("/", 1)[-1], params)
            except ConnectionAbortedError:
                self.close_connection = True
                return
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the bot process was stopped in the middle of a long poll

        do_GET = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            return None

    class Server(ThreadingHTTPServer):
        request_queue_size = 256  # the bot sends 32 at once; the default backlog of 5 refused some

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host!s}:{port}/bot"
