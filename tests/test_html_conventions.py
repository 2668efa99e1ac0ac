"""Templates and Python that write HTML keep to what the Nu Html Checker accepts, on pages no journey visits too.

The browser suite validates every page it visits; this reads every template and module, so a
page it never opens cannot bring back bare htmx attributes or an empty form action.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "node_modules", "staticfiles", ".git", "tests", "var", "screenshots", "bench"}
BARE_HTMX = re.compile(r"(?<![-\w])hx-[a-z-]+=")
EMPTY_ACTION = re.compile(r"""\baction=(""|'')""")


def sources():
    for path in ROOT.rglob("*"):
        if path.suffix in {".html", ".py", ".js"} and not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def test_htmx_attributes_are_written_data_hx_and_no_form_has_an_empty_action():
    found = []
    for path in sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if BARE_HTMX.search(line) or EMPTY_ACTION.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not found, "write data-hx-* and omit an empty action (valid HTML):\n" + "\n".join(found)


def test_the_check_sees_what_it_is_for():
    assert BARE_HTMX.search('<button hx-post="/save/">') and not BARE_HTMX.search('<button data-hx-post="/save/">')
    assert EMPTY_ACTION.search('<form method="get" action="">') and not EMPTY_ACTION.search('<form action="/risks/">')
