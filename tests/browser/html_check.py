"""The Nu Html Checker (vnu, npm's vnu-jar run with Debian's Java) over the HTML of every page the browser suite saw.

`assert_accessible` hands each page's HTML to `PAGES`; at the end of the session one vnu run
(its JVM takes seconds to start, so the pages go in one batch) checks them all, and any error
fails the session. Every message is written to screenshots/vnu-report.txt for review
(docs/accessibility.md lists them).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass
class Message:
    page: str
    kind: str  # "error" or "warning"
    text: str
    line: int | None
    extract: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.text}  [{self.extract.strip()[:120]}]"


def validate(files: dict[Path, str]) -> list[Message]:
    """vnu's errors and warnings for {file: the page's name}, in one run of the checker."""
    if not files:
        return []
    java = shutil.which("java")
    assert java, "Java is not installed: `make test` installs it as root, or run 'sudo apt-get install default-jre-headless'"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make setup` (npm ci installs vnu-jar)"
    run = subprocess.run(
        [java, "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    names = {path.resolve().as_uri(): name for path, name in files.items()}
    messages = []
    for message in json.loads(run.stdout)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            kind = "error"
        elif message.get("subType") == "warning":
            kind = "warning"
        else:
            continue  # "info" messages (e.g. a trailing slash on a void element) are not findings
        url = message.get("url", "")
        page = names.get(url) or names.get(url.replace("file:/", "file:///", 1)) or url
        messages.append(Message(page, kind, message["message"], message.get("lastLine"), message.get("extract", "")))
    return messages


@dataclass
class Pages:
    """The pages seen in this session, kept as files for one vnu run at the end."""

    folder: Path | None = None
    files: dict[Path, str] = field(default_factory=dict)

    def add(self, name: str, url: str, html: str) -> None:
        if self.folder is None:
            return  # not in a browser session (a helper used on its own)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:100]
        path = self.folder / f"{len(self.files):04d}-{slug}.html"
        path.write_text(html, encoding="utf-8")
        self.files[path] = f"{name} ({url})"


PAGES = Pages()


def check_session_pages(report: Path) -> str | None:
    """Validate every page seen; write the warnings to `report`; the errors as a message, or None."""
    messages = validate(PAGES.files)
    errors = [m for m in messages if m.kind == "error"]
    warnings = [m for m in messages if m.kind == "warning"]
    report.parent.mkdir(exist_ok=True)
    report.write_text(
        f"Nu Html Checker over {len(PAGES.files)} pages: {len(errors)} errors, {len(warnings)} warnings\n\n"
        + "\n".join(map(str, messages)) + "\n",
        encoding="utf-8",
    )
    if not errors:
        return None
    shown = "\n".join(map(str, errors[:40]))
    more = f"\n... and {len(errors) - 40} more (all in {report})" if len(errors) > 40 else ""
    return f"The Nu Html Checker found {len(errors)} errors in {len(PAGES.files)} pages:\n{shown}{more}"
