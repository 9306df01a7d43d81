"""The README's promises: its library example runs, and CI runs exactly its test command."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

README = (REPO / "README.md").read_text(encoding="utf-8")


def _bash_blocks():
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command():
    test_command = next(b.strip() for b in _bash_blocks() if "pytest" in b)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_library_example_runs():
    (code,) = re.findall(r"## Library example\n\n```python\n(.*?)```", README, flags=re.S)
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    assert round(namespace["migstats"].implied_value(283, 0.07, 2008, 2007), 2) == 264.49
    assert namespace["od"].shape == (6, 6)
    # 232 countries and areas in the UN stock tables, every ordered pair of distinct ones
    assert len(namespace["world"]) == 232 * 231
    assert namespace["index"].results()["rank"].min() == 1
