"""The experiments page: every A/B test with its report, for admins."""
from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.experiments import service
from commerce.experiments.models import Experiment
from knowledge_base.models import Role

PAGE = "/admin/analytics/experiments"


def test_reports_of_running_tests_and_drafts(client: TestClient, db: Session, login: Callable[..., str],
                                             make_experiment: Callable[..., Experiment]) -> None:
    running = make_experiment(name="Model against popularity")
    draft = make_experiment(running=False, name="Next idea")
    for i in range(40):
        unit = f"visitor-{i:04d}"
        variant = service.log_exposure(db, running, unit).variant
        if variant == "b" or i % 4 == 0:  # b converts every unit, a one in four
            service.log_outcome(db, running, unit)
    db.commit()
    login(Role.ADMIN)
    page = client.get(PAGE)
    assert page.status_code == 200, page.text
    html = page.text
    start = html.index(f'data-experiment="{running.key}"')
    section = html[start:html.index("</section>", start)]
    assert "running" in section and "Too early to call" in section  # 1,000 planned per arm
    units = [int(u) for u in re.findall(r'class="num units">(\d+)<', section)]
    assert sum(units) == 40 and len(units) == 2
    assert "control" in section and "%" in section
    assert f'data-experiment="{draft.key}"' in html and "Draft: not started" in html


def test_only_admins(client: TestClient, login: Callable[..., str]) -> None:
    assert client.get(PAGE, follow_redirects=False).status_code == 303  # to the log-in form
    login(Role.EDITOR)
    assert client.get(PAGE).status_code == 403
