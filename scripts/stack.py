"""Run ShopAssist's three processes under one supervisor: backend, action server, Rasa.

    python3 scripts/stack.py            # what `make run` calls (after setup, migrate, seed, train)

Starts each service, prefixes its log lines, waits for its health check, prints the URLs, and on
Ctrl-C (or when any service dies) stops all three. Stdlib only, so any Python 3.8+ can run it.
Tests use `Stack` directly to bring up the real processes on free ports against a temporary database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
BOT_BIN = ROOT / ".venv" / "bot" / "bin"
BACKEND_BIN = ROOT / ".venv" / "backend" / "bin"


class StackError(RuntimeError):
    pass


@dataclass
class Service:
    name: str
    port: int
    argv: List[str]
    health_path: str
    env: Dict[str, str] = field(default_factory=dict, repr=False)  # secrets: never in a failed assert
    process: Optional[subprocess.Popen] = None

    def url(self, host: str) -> str:
        return f"http://{host}:{self.port}"


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return 200 <= resp.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


def prepare_database(url: str) -> None:
    """Migrate and seed a database for the stack (what `make db` does for the default one)."""
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run([str(BACKEND_BIN / "alembic"), "-c", "commerce/alembic.ini", "upgrade", "head"], cwd=ROOT, env=env, check=True)
    for seeder in ("commerce.seed", "knowledge_base.seed", "commerce.promo.seed"):
        subprocess.run([str(BACKEND_BIN / "python"), "-m", seeder], cwd=ROOT, env=env, check=True)


class Stack:
    """The three ShopAssist processes, started and stopped together."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        backend_port: int = 8000,
        actions_port: int = 5055,
        rasa_port: int = 5005,
        database_url: Optional[str] = None,
        model_dir: Path = ROOT / "models",
        credentials: Path = ROOT / "bot" / "credentials.yml",
        extra_env: Optional[Dict[str, str]] = None,
        log_to: Optional[Path] = None,
        tracker_db: Optional[Path] = None,
        endpoints: Path = ROOT / "bot" / "endpoints.yml",
    ) -> None:
        self.host = host
        self.log_to = log_to
        self._stopping = threading.Event()
        base_env = dict(os.environ)
        base_env.update(extra_env or {})
        base_env["PYTHONUNBUFFERED"] = "1"
        base_env["PYTHONPATH"] = str(ROOT)
        base_env["RASA_TELEMETRY_ENABLED"] = "false"
        if database_url:
            base_env["DATABASE_URL"] = database_url
        # Rasa keeps conversations here, so a restart resumes them (an SQLAlchemy URL; bot/endpoints.yml).
        base_env.setdefault("TRACKER_STORE_URL", f"sqlite:///{tracker_db or ROOT / 'var' / 'tracker.db'}")
        # Tickets and ratings the backend could not take wait here for it (actions/outbox.py).
        base_env.setdefault("OUTBOX_PATH", str((tracker_db.parent if tracker_db else ROOT / "var") / "outbox.db"))
        backend_url = f"http://{host}:{backend_port}"
        rasa_public_url = base_env.get("RASA_PUBLIC_URL", f"http://{host}:{rasa_port}")
        self.services = [
            Service(
                "backend",
                backend_port,
                [str(BACKEND_BIN / "uvicorn"), "commerce.main:app", "--host", host, "--port", str(backend_port)],
                "/health",
                {**base_env, "RASA_URL": rasa_public_url},
            ),
            Service(
                "actions",
                actions_port,
                [str(BOT_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
                "/health",
                {**base_env, "BACKEND_URL": backend_url},
            ),
            Service(
                "rasa",
                rasa_port,
                [
                    str(BOT_BIN / "rasa"), "run",
                    "--model", str(model_dir),
                    "--interface", host,
                    "--port", str(rasa_port),
                    "--credentials", str(credentials),
                    "--endpoints", str(endpoints),
                    "--cors", "*",
                ],
                "/",
                {**base_env, "ACTION_ENDPOINT_URL": f"http://{host}:{actions_port}/webhook"},
            ),
        ]

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def url(self, name: str) -> str:
        return self.service(name).url(self.host)

    def check_ports(self) -> None:
        taken = [s for s in self.services if not port_is_free(self.host, s.port)]
        if taken:
            lines = [
                f"  port {s.port} ({s.name}) is already in use: stop what holds it (`ss -ltnp 'sport = :{s.port}'`) "
                f"or choose another with {s.name.upper()}_PORT=..."
                for s in taken
            ]
            raise StackError("Cannot start ShopAssist:\n" + "\n".join(lines))

    def check_installed(self) -> None:
        missing = [s.argv[0] for s in self.services if not Path(s.argv[0]).exists()]
        if missing:
            raise StackError(f"Missing {', '.join(missing)}: run `make setup` first.")

    def _pump(self, service: Service) -> None:
        assert service.process and service.process.stdout
        width = max(len(s.name) for s in self.services)
        sink = open(self.log_to / f"{service.name}.log", "a", encoding="utf-8") if self.log_to else None
        try:
            for raw in service.process.stdout:
                line = raw.decode("utf-8", "replace").rstrip()
                if sink:
                    sink.write(line + "\n")
                    sink.flush()
                else:
                    print(f"[{service.name:<{width}}] {line}", flush=True)
        finally:
            if sink:
                sink.close()

    def start(self) -> None:
        self.check_installed()
        self.check_ports()
        if self.log_to:
            self.log_to.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            self._launch(service)

    def _launch(self, service: Service) -> None:
        service.process = subprocess.Popen(
            service.argv,
            cwd=ROOT,
            env=service.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # our own signal handling stops them in order
        )
        threading.Thread(target=self._pump, args=(service,), daemon=True).start()

    # Fault injection for tests: stop, restart and freeze one service for real.
    def kill(self, name: str) -> None:
        service = self.service(name)
        if service.process and service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait()

    def restart(self, name: str, timeout: float = 240.0) -> None:
        self.kill(name)
        service = self.service(name)
        self._launch(service)
        deadline = time.monotonic() + timeout
        while not http_ok(service.url(self.host) + service.health_path):
            if service.process.poll() is not None or time.monotonic() > deadline:
                raise StackError(f"{name} did not come back (exit {service.process.poll()})")
            time.sleep(0.5)

    def freeze(self, name: str, frozen: bool = True) -> None:
        """SIGSTOP the service (its port still accepts connections, nothing answers) or SIGCONT it."""
        process = self.service(name).process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGSTOP if frozen else signal.SIGCONT)

    def dead(self) -> List[Service]:
        return [s for s in self.services if s.process is not None and s.process.poll() is not None]

    def wait_healthy(self, timeout: float = 240.0) -> None:
        deadline = time.monotonic() + timeout
        pending = list(self.services)
        while pending:
            if self.dead():
                names = ", ".join(f"{s.name} (exit {s.process.returncode})" for s in self.dead())
                raise StackError(f"{names} stopped during start-up; see its log lines above")
            pending = [s for s in pending if not http_ok(s.url(self.host) + s.health_path)]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise StackError(f"not healthy after {timeout:.0f}s: {', '.join(s.name for s in pending)}")
            time.sleep(0.5)

    def stop(self, grace: float = 15.0) -> None:
        self._stopping.set()
        running = [s for s in reversed(self.services) if s.process and s.process.poll() is None]
        for service in running:
            try:
                os.killpg(service.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        for service in running:
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait()

    def __enter__(self) -> "Stack":
        self.start()
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stack_for_tests(database: Path, logs: Path, **options: object) -> Stack:
    """The three processes on free ports against a SQLite file (what the end-to-end, channel and browser tests
    start); E2E_LOG_DIR overrides where their logs go."""
    return Stack(
        backend_port=free_port(),
        actions_port=free_port(),
        rasa_port=free_port(),
        database_url=f"sqlite:///{database}",
        log_to=Path(os.environ.get("E2E_LOG_DIR") or logs),
        tracker_db=database.parent / "tracker.db",
        **options,  # type: ignore[arg-type]
    )


def main() -> int:
    env = os.environ
    host = env.get("HOST", "127.0.0.1")
    stack = Stack(
        host=host,
        backend_port=int(env.get("BACKEND_PORT", "8000")),
        actions_port=int(env.get("ACTIONS_PORT", "5055")),
        rasa_port=int(env.get("RASA_PORT", "5005")),
        credentials=Path(env.get("RASA_CREDENTIALS") or ROOT / "bot" / "credentials.yml"),
    )
    stopping = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start()
        print("[stack] starting backend, actions and Rasa (Rasa takes a minute to load its model)...", flush=True)
        stack.wait_healthy()
    except StackError as exc:
        print(f"[stack] ERROR: {exc}", file=sys.stderr, flush=True)
        stack.stop()
        return 1
    shop = stack.url("backend")
    print(
        "\n"
        "  ShopAssist is running.\n"
        f"    Demo shop with the chat widget:  {shop}/\n"
        f"    Admin page:                      {shop}/admin\n"
        f"    API docs:                        {shop}/docs\n"
        f"    Rasa REST webhook:               {stack.url('rasa')}/webhooks/rest/webhook\n"
        "  Press Ctrl-C to stop.\n",
        flush=True,
    )
    code = 0
    while not stopping.wait(1.0):
        if stack.dead():
            for s in stack.dead():
                print(f"[stack] {s.name} exited with code {s.process.returncode}; stopping the others", flush=True)
            code = 1
            break
    print("[stack] stopping...", flush=True)
    stack.stop()
    print("[stack] stopped.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
