"""ShopAssist scaled out on one machine: two of each process behind nginx, sharing PostgreSQL and Redis.

    .venv/bot/bin/python scripts/scaleout_stack.py     # start it and print the URLs (Ctrl-C stops everything)

    nginx :rasa_lb     -> Rasa x2      (round robin; socket.io by client address, long-polling needs one instance)
    nginx :actions_lb  -> actions x2   (Rasa calls its action endpoint through nginx)
    nginx :backend_lb  -> backend x2   (uvicorn, one worker each)
    Rasa: SQL tracker store on PostgreSQL, Redis lock store (a conversation's messages are processed one at a
    time whichever instance gets them), chat rate limit counted in Redis. Backend: PostgreSQL.

Each piece gets a new PostgreSQL database (shop and tracker, dropped on stop) and free ports. nginx comes from
Debian (`apt-get install nginx`). docs/deployment.md describes the same topology for production.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import ROOT, Service, Stack, StackError, free_port, prepare_database  # noqa: E402

PG_SERVER = os.environ.get("SCALEOUT_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379

NGINX_CONF = """
{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log {work}/nginx-access.log;
  client_body_temp_path {work}/nginx-body; proxy_temp_path {work}/nginx-proxy;
  fastcgi_temp_path {work}/nginx-fastcgi; uwsgi_temp_path {work}/nginx-uwsgi; scgi_temp_path {work}/nginx-scgi;
  client_max_body_size 1m; client_body_buffer_size 1m;
  upstream rasa {{ {rasa} }}
  upstream rasa_socketio {{ ip_hash; {rasa} }}
  upstream actions {{ {actions} }}
  upstream backend {{ {backend} }}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{rasa_port};
    location /socket.io/ {{
      proxy_pass http://rasa_socketio; proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;
    }}
    location / {{ proxy_pass http://rasa; add_header X-Upstream $upstream_addr always; }}
  }}
  server {{ listen 127.0.0.1:{actions_port}; location / {{ proxy_pass http://actions; }} }}
  server {{
    listen 127.0.0.1:{backend_port};
    location / {{ proxy_pass http://backend; proxy_set_header Host $host:$server_port;
                 add_header X-Upstream $upstream_addr always; }}
  }}
}}
"""

LOCK_STORE = f"""
# Scale-out: a conversation's messages are handled one at a time across every Rasa instance.
lock_store:
  type: redis
  url: {REDIS_HOST}
  port: {REDIS_PORT}
  db: 1
"""


def _postgres(statement: str) -> None:
    import psycopg2  # the bot environment's driver (Rasa's SQL tracker store uses it too)

    connection = psycopg2.connect(f"{PG_SERVER}/test")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise StackError("nginx is missing: sudo apt-get install nginx (make test installs it when run as root)")
    return found


class ScaleOutStack(Stack):
    def __init__(self, work: Path, instances: int = 2) -> None:
        self.work = work
        suffix = uuid.uuid4().hex[:8]
        self.shop_db, self.tracker_db = f"shopassist_scale_{suffix}", f"shopassist_tracker_{suffix}"
        endpoints = work / "endpoints.yml"
        endpoints.write_text((ROOT / "bot" / "endpoints.yml").read_text() + LOCK_STORE)
        self.lb = {"rasa": free_port(), "actions": free_port(), "backend": free_port()}
        lb_url = {name: f"http://127.0.0.1:{port}" for name, port in self.lb.items()}
        super().__init__(
            database_url=f"postgresql+psycopg://{PG_SERVER.split('://', 1)[1]}/{self.shop_db}",
            log_to=work / "logs",
            endpoints=endpoints,
            extra_env={
                "TRACKER_STORE_URL": f"{PG_SERVER}/{self.tracker_db}",
                "CHAT_RATE_LIMIT_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
                "RASA_PUBLIC_URL": lb_url["rasa"],
                "OUTBOX_PATH": str(work / "outbox.db"),  # both action servers share it (SQLite, WAL)
            },
        )
        template = {s.name: s for s in self.services}
        services: List[Service] = []
        ports: Dict[str, List[int]] = {"rasa": [], "actions": [], "backend": []}
        for name in ("backend", "actions", "rasa"):
            for index in range(instances):
                port = free_port()
                ports[name].append(port)
                argv = [str(port) if previous == str(template[name].port) else previous
                        for previous in template[name].argv]
                env = dict(template[name].env)
                if name == "actions":
                    env["BACKEND_URL"] = lb_url["backend"]
                if name == "rasa":
                    env["ACTION_ENDPOINT_URL"] = f"{lb_url['actions']}/webhook"
                services.append(Service(f"{name}{index + 1}", port, argv, template[name].health_path, env))
        upstreams = {name: " ".join(f"server 127.0.0.1:{p};" for p in ps) for name, ps in ports.items()}
        (work / "nginx.conf").write_text(NGINX_CONF.format(
            # As root, workers would otherwise run as nobody and could not use the temp dirs in `work`.
            user="user root;" if os.geteuid() == 0 else "",
            work=work, rasa_port=self.lb["rasa"], actions_port=self.lb["actions"], backend_port=self.lb["backend"],
            **upstreams))
        services.append(Service("nginx", self.lb["backend"], [nginx_binary(), "-c", str(work / "nginx.conf"),
                                                               "-g", "daemon off;"], "/health"))
        self.services = services

    def url(self, name: str) -> str:
        """The load balancer's URL for rasa, actions or backend; a single instance's for e.g. rasa2."""
        if name in self.lb:
            return f"http://127.0.0.1:{self.lb[name]}"
        return super().url(name)

    def prepare(self) -> None:
        for database in (self.shop_db, self.tracker_db):
            _postgres(f"CREATE DATABASE {database}")
        prepare_database(self.services[0].env["DATABASE_URL"])

    def drop(self) -> None:
        for database in (self.shop_db, self.tracker_db):
            _postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")

    def __enter__(self) -> "ScaleOutStack":
        self.prepare()
        try:
            super().__enter__()
        except BaseException:
            self.drop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            super().__exit__(*exc)
        finally:
            self.drop()


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="shopassist-scaleout-"))
    stopping = [False]
    signal.signal(signal.SIGINT, lambda *_: stopping.__setitem__(0, True))
    with ScaleOutStack(work) as stack:
        print(f"\n  ShopAssist scaled out (logs in {work / 'logs'}):\n"
              f"    shop + widget:  {stack.url('backend')}/\n    Rasa REST:      {stack.url('rasa')}/webhooks/rest/webhook\n"
              "  Press Ctrl-C to stop.\n", flush=True)
        while not stopping[0] and not stack.dead():
            time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
