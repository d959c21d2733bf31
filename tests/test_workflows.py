"""The GitHub workflows: valid, free of known security mistakes, safe for forks' pull requests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

from support import REPO

WORKFLOWS = REPO / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
DEPLOY = WORKFLOWS / "deploy.yml"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def test_workflows_match_the_github_workflow_schema():
    """check-jsonschema's bundled copy of SchemaStore's workflow schema: no network."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, sorted(WORKFLOWS.glob("*.yml"))),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_no_security_problem():
    """zizmor, offline, with .github/zizmor.yml: official actions by major version only."""
    zizmor = shutil.which("zizmor", path=sysconfig.get_path("scripts")) or shutil.which("zizmor")
    assert zizmor, "zizmor is missing: pip install -e '.[test]'"
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_workflow_is_read_only_and_uses_no_secrets():
    data = load(CHECK)
    assert set(data["on"]) == {"pull_request"}, "never pull_request_target: forks' code runs here"
    assert data["permissions"] == {"contents": "read"}
    for name, job in data["jobs"].items():
        assert "permissions" not in job, f"job {name} must not widen the permissions"
    text = CHECK.read_text(encoding="utf-8")
    assert "secrets." not in text and "secrets[" not in text
    checkout = next(s for s in data["jobs"]["check"]["steps"] if "checkout" in s.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False
    assert checkout["with"]["fetch-depth"] >= 2, "the base commit is needed for the diff"
    runs = "\n".join(s.get("run", "") for s in data["jobs"]["check"]["steps"])
    assert "digest check --strict" in runs and "digest build --strict" in runs


def test_deploy_workflow_publishes_with_the_official_pages_actions_on_push_and_schedule():
    data = load(DEPLOY)
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["on"]["schedule"], "scheduled stories need a rebuild at their time"
    assert "workflow_dispatch" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"]["group"] and data["concurrency"]["cancel-in-progress"] is False
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    uses = [s["uses"].split("@")[0] for job in (build, deploy) for s in job["steps"] if "uses" in s]
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"actions/{action}" in uses
    for job in (build, deploy):
        for step in job["steps"]:
            if "uses" in step:
                assert step["uses"].startswith("actions/") and "@v" in step["uses"], step


def test_the_changed_stories_step_runs_as_a_shell_script(tmp_path: Path):
    """The check workflow's script, run in a real repository with a merge like GitHub's."""
    data = load(CHECK)
    (script,) = [s["run"] for s in data["jobs"]["check"]["steps"] if "git diff" in s.get("run", "")]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls"
    fake = bin_dir / "digest"
    fake.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> {log}\necho >> {log}\n', encoding="utf-8")
    fake.chmod(0o755)
    repo = tmp_path / "repo"
    (repo / "content" / "articles" / "2024").mkdir(parents=True)
    (repo / "content" / "topics.yml").write_text("- name: AI\n", encoding="utf-8")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*argv: str) -> None:
        subprocess.run(["git", *argv], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "T")
    (repo / "content" / "articles" / "2024" / "2024-01-01-old.md").write_text("old\n")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    git("branch", "pr")

    def merged(message: str, *files: str) -> None:
        """A pull request adding `files` (paths under content/), merged into main as GitHub
        merges it: with the base as the merge's first parent."""
        git("checkout", "-q", "pr")
        for name in files:
            (repo / "content" / name).write_text("new\n")
        git("add", ".")
        git("commit", "-q", "-m", message)
        git("checkout", "-q", "main")
        git("merge", "-q", "--no-ff", "-m", f"merge {message}", "pr")

    def run() -> str:
        log.write_text("")
        subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, check=True)
        return log.read_text()

    merged("story", "articles/2024/2024-05-01-a new one.md")
    assert run() == "check|--strict|--|content/articles/2024/2024-05-01-a new one.md|\n"
    merged("topic and story", "topics.yml", "articles/2024/2024-05-02-robots.md")
    assert run() == "check|--strict|\n", "a topics.yml change checks every story"
    merged("a file beside the stories", "leak.txt", "articles/2024/2024-05-03-more.md")
    assert run() == "check|--strict|\n", "a file added to content/ checks all of content/"
