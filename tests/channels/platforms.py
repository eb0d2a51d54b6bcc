"""Fake messaging platforms: an HTTP server on 127.0.0.1 per platform that answers its API the way the real
one does (as far as Rasa's connectors read the answer) and records every request, so a test can see what
the bot sent where. Also the signatures Slack and Facebook put on the webhooks they call."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit


@dataclass
class Call:
    """One request the bot made to a platform's API."""

    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: bytes

    def form(self) -> Dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


Answer = Callable[[Call], Tuple[int, dict]]


class FakePlatform:
    def __init__(self, name: str, answer: Answer) -> None:
        self.name = name
        self._answer = answer
        self._calls: List[Call] = []
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"fake-{name}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "FakePlatform":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def calls(self, predicate: Callable[[Call], bool] = lambda call: True) -> List[Call]:
        with self._changed:
            return [call for call in self._calls if predicate(call)]

    def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 60.0) -> Call:
        """The first recorded call matching `predicate`, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = next((call for call in self._calls if predicate(call)), None)
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = "\n  ".join(f"{c.method} {c.path} {c.body[:200]!r}" for c in self._calls) or "(none)"
                    raise AssertionError(f"{self.name} received no matching request in {timeout:.0f}s; got:\n  {seen}")
                self._changed.wait(remaining)

    def _record(self, call: Call) -> Tuple[int, dict]:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()
        return self._answer(call)

    def _handler(self) -> type:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                call = Call(
                    self.command,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                status, payload = platform._record(call)
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, *args: object) -> None:
                pass

        return Handler


# --- what each platform's API answers -----------------------------------------------------------------------


def telegram_api(bot_name: str) -> Answer:
    """Bot API methods the connector calls: setWebhook at start-up, getMe per update, sendMessage per reply."""

    def answer(call: Call) -> Tuple[int, dict]:
        method = call.path.rsplit("/", 1)[-1]
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 7000001, "is_bot": True, "first_name": "Shop", "username": bot_name}}
        if method == "setWebhook":
            return 200, {"ok": True, "result": True, "description": "Webhook was set"}
        if method == "sendMessage":
            form = call.form()
            chat = {"id": int(form["chat_id"]), "type": "private"}
            return 200, {"ok": True, "result": {"message_id": 1, "date": int(time.time()), "chat": chat, "text": form["text"]}}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    return answer


def slack_api(call: Call) -> Tuple[int, dict]:
    if call.path.endswith("/chat.postMessage"):
        return 200, {"ok": True, "channel": call.json().get("channel"), "ts": f"{time.time():.6f}"}
    return 200, {"ok": False, "error": "unknown_method"}


def graph_api(call: Call) -> Tuple[int, dict]:
    if call.path.endswith("/me/messages"):
        return 200, {"recipient_id": call.json().get("recipient", {}).get("id"), "message_id": "m_fake"}
    return 400, {"error": {"message": "Unknown path", "type": "OAuthException", "code": 803}}


def twilio_api(call: Call) -> Tuple[int, dict]:
    if call.method == "POST" and call.path.endswith("/Messages.json"):
        form = call.form()
        account_sid = call.path.split("/Accounts/")[1].split("/")[0]
        message = {
            "sid": "SM" + "0" * 32,
            "account_sid": account_sid,
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/SM{'0' * 32}.json",
        }
        return 201, message
    return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}


# --- signatures the platforms put on their webhooks ------------------------------------------------------------


def slack_signature_headers(signing_secret: str, body: bytes, timestamp: Optional[int] = None) -> Dict[str, str]:
    """Slack's v0 scheme: HMAC-SHA256 of "v0:<timestamp>:<body>" under the app's signing secret."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(signing_secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def hub_signature(app_secret: str, body: bytes) -> str:
    """Facebook's X-Hub-Signature: HMAC-SHA1 of the raw body under the app secret."""
    return "sha1=" + hmac.new(app_secret.encode(), body, hashlib.sha1).hexdigest()
