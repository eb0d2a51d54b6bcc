"""Admin JSON API of the analytics dashboard: /v1/admin/analytics (admins only, the knowledge base's session)."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from commerce.analytics import ingest, metrics, service
from commerce.analytics.schemas import Dashboard, IngestOut
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from knowledge_base.auth import AdminDep
from knowledge_base.exceptions import AUTH_RESPONSES

admin = APIRouter(prefix="/v1/admin/analytics", tags=["analytics admin"], responses={**ERROR_RESPONSES, **AUTH_RESPONSES})
Start = Annotated[date | None, Query(description="first day (UTC), default 29 days before the end")]
End = Annotated[date | None, Query(description="last day (UTC), included; default today")]
Channel = Annotated[str | None, Query(max_length=32, pattern=r"^[A-Za-z0-9_.-]+$",
                                      description="input channel, e.g. socketio, rest, twilio; default all")]


@admin.get("", response_model=Dashboard, summary="The dashboard's figures for a period and channel (admin)")
def get_dashboard(_: AdminDep, session: SessionDep, start: Start = None, end: End = None,
                  channel: Channel = None) -> Dashboard:
    board, _warning = service.build(session, start, end, channel)
    return board


@admin.get("/export.csv", summary="The dashboard's figures as CSV: section, key, value (admin)",
           response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def export_csv(_: AdminDep, session: SessionDep, start: Start = None, end: End = None,
               channel: Channel = None) -> Response:
    board, _warning = service.build(session, start, end, channel)
    return csv_response(board)


@admin.post("/ingest", response_model=IngestOut,
            summary="Copy what is new in the tracker store into the event trail now (admin)")
def run_ingest(_: AdminDep, session: SessionDep) -> IngestOut:
    result = ingest.ingest(session, max_batches=None)
    return IngestOut(read=result.read, written=result.written, last_event_id=result.last_event_id,
                     waiting_for_gap=result.waiting_for_gap)


def csv_response(board: Dashboard) -> Response:
    name = f"analytics-{board.start.isoformat()}-{board.end.isoformat()}{'-' + board.channel if board.channel else ''}.csv"
    return Response(metrics.to_csv(board), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
