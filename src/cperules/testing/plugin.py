"""The cperules pytest plugin: fixtures, and case files collected as tests when asked.

pytest loads this plugin for every project where cperules is installed, so it imports
nothing heavy: the engine loads when a fixture or a case file is first used, and
Hypothesis not at all.

Case files are collected only when the project opts in with the ``cperules_cases`` ini
option, a list of glob patterns relative to the root directory::

    [tool.pytest.ini_options]
    cperules_cases = ["policies/*.cases.toml"]

Each case becomes its own test item, named after the case; a failure prints the file, the
case and each expected-versus-actual difference. A cases file tests the policy file
beside it (``policies/foo.cases.toml`` tests ``policies/foo.toml``), or the catalog
certification its top-level ``certification`` key names. A policy file that extends a
base by path (``extends = "_family.toml"``) finds it relative to the policy file.

A cases file beside a family base (``policies/_family.cases.toml``) tests what the family
shares: each of its cases runs against every policy file in the folder that extends the
base (by path, or as ``<folder>/family`` in the catalog), as items named
``case [certification id]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from cperules.cases import Case, CaseResult
    from cperules.errors import CperulesError
    from cperules.policy import Certification
    from cperules.results import Evaluation

__all__ = ["BrokenFile", "CaseItem", "CasesFile", "cpe_catalog", "cpe_evaluate"]

_INI = "cperules_cases"
_SUFFIX = ".cases.toml"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``cperules_cases`` ini option."""
    parser.addini(
        _INI,
        type="linelist",
        default=[],
        help="glob patterns, relative to the root directory, of cperules case files "
        "(*.cases.toml) to collect as tests",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CasesFile | None:
    """Collect a case file that one of the project's ``cperules_cases`` patterns names."""
    if not file_path.name.endswith(_SUFFIX):
        return None
    if file_path not in _selected(parent.config):
        return None
    return CasesFile.from_parent(parent, path=file_path)


def _selected(config: pytest.Config) -> frozenset[Path]:
    """The case files the ini option names (worked out once per session)."""
    cached: frozenset[Path] | None = getattr(config, "_cperules_cases", None)
    if cached is None:
        root = config.rootpath
        patterns: list[str] = config.getini(_INI)
        cached = frozenset(path.resolve() for pattern in patterns for path in root.glob(pattern))
        config._cperules_cases = cached  # type: ignore[attr-defined]
    return cached


class CasesFile(pytest.File):
    """A collected case file: one item per case."""

    def collect(self) -> Iterator[CaseItem | BrokenFile]:
        """Load the file's certification and yield a test item per case.

        A cases file or a policy file that cannot be read becomes one failing item that
        names the file, the line and the key, and the other files still run.
        """
        from cperules.cases import read_cases  # noqa: PLC0415 - the engine loads on use
        from cperules.errors import CperulesError  # noqa: PLC0415

        source = self._relative(self.path)
        try:
            named, cases = read_cases(self.path.read_text(encoding="utf-8"), source=source)
        except CperulesError as error:
            yield BrokenFile.from_parent(self, name="(cases file)", file=source, error=error)
            return
        try:
            members = _family_members(self.path) if named is None else None
            certification = _certification_for(self.path, named) if members is None else None
        except _PolicyFileError as broken:
            yield BrokenFile.from_parent(
                self, name="(policy file)", file=self._relative(broken.path), error=broken.error
            )
            return
        if certification is not None:
            for case in cases:
                yield CaseItem.from_parent(
                    self, name=case.name, case=case, certification=certification, source=source
                )
            return
        for case in cases:
            for certification in members or ():
                yield CaseItem.from_parent(
                    self,
                    name=f"{case.name} [{certification.id}]",
                    case=case,
                    certification=certification,
                    source=source,
                )

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return path.as_posix()


class BrokenFile(pytest.Item):
    """A cases or policy file that cannot be read, reported as one failing test item."""

    def __init__(self, *, file: str, error: CperulesError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file = file
        self.error = error

    def runtest(self) -> None:
        """Fail with the file's problems."""
        raise self.error

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """Each problem as ``file:line: key: what was wrong``, without a traceback."""
        return _problems_text(self.file, self.error)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the problem is: the file (and the first problem's line)."""
        line = _first_line(self.error)
        return self.path, None if line is None else line - 1, f"{self.file} :: {self.name}"


def _problems_text(file: str, error: CperulesError) -> str:
    """An error's located problems, one a line, each led by ``file:line``."""
    from cperules.policy_format import PolicyFormatError  # noqa: PLC0415

    if not isinstance(error, PolicyFormatError):
        return f"{file}: {error} ({error.code})"
    lines = []
    for problem in error.problems:
        at = f"{file}:{problem.line}" if problem.line is not None else file
        lines.append(f"{at}: {problem.detail}")
    return "\n".join(lines)


def _first_line(error: CperulesError) -> int | None:
    from cperules.policy_format import PolicyFormatError  # noqa: PLC0415

    if isinstance(error, PolicyFormatError):
        return next((p.line for p in error.problems if p.line is not None), None)
    return None


class _PolicyFileError(Exception):
    """A policy file beside a cases file failed to load (carries the file and the error)."""

    def __init__(self, path: Path, error: CperulesError) -> None:
        super().__init__(str(error))
        self.path = path
        self.error = error


class CaseFailed(Exception):
    """A case whose expectations did not hold."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(str(result))
        self.result = result


class CaseItem(pytest.Item):
    """One case of a case file, run as a test."""

    def __init__(
        self, *, case: Case, certification: Certification, source: str, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.certification = certification
        self.source = source

    def runtest(self) -> None:
        """Run the case; fail with its differences."""
        from cperules.cases import run_case  # noqa: PLC0415 - the engine loads on use

        result = run_case(self.certification, self.case, source=self.source)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """The case's differences, indented, instead of a traceback."""
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value.result)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case is: its file and name."""
        return self.path, None, f"{self.source} :: {self.name}"


def _certification_for(path: Path, named: str | None) -> Certification:
    """The catalog entry a cases file names, or else the policy file beside it."""
    from cperules import catalog  # noqa: PLC0415 - the engine loads on use

    if named is not None:
        return catalog.get(named)
    beside = path.with_name(path.name.removesuffix(_SUFFIX) + ".toml")
    if beside.is_file():
        return _load(beside)
    raise pytest.UsageError(
        f"{path}: a cases file tests the policy file beside it ({beside.name}) or the catalog "
        "certification named by a top-level 'certification' key; neither was found"
    )


def _family_members(path: Path) -> list[Certification] | None:
    """The policies beside a family base's cases file that extend it (None: not a base)."""
    from cperules.errors import CperulesError  # noqa: PLC0415 - the engine loads on use
    from cperules.policy_format import parse_toml  # noqa: PLC0415

    base = path.with_name(path.name.removesuffix(_SUFFIX) + ".toml")
    if not base.name.startswith("_") or not base.is_file():
        return None
    names = {base.name, f"{base.parent.name}/{base.stem.removeprefix('_')}"}
    members = []
    for policy in sorted(base.parent.glob("*.toml")):
        if policy.name.endswith(_SUFFIX) or policy.name.startswith("_"):
            continue
        try:
            extends = parse_toml(policy.read_text(encoding="utf-8")).get("extends")
        except CperulesError as error:
            raise _PolicyFileError(policy, error) from None
        if extends in names:
            members.append(_load(policy))
    if not members:
        raise pytest.UsageError(f"{path}: no policy file beside {base.name} extends it")
    return members


def _load(policy: Path) -> Certification:
    """A policy file, loaded; a problem in it becomes a :class:`_PolicyFileError`."""
    from cperules.errors import CperulesError  # noqa: PLC0415 - the engine loads on use
    from cperules.policy_format import load_certification  # noqa: PLC0415

    try:
        return load_certification(policy.read_text(encoding="utf-8"), bases=_files_beside(policy))
    except CperulesError as error:
        raise _PolicyFileError(policy, error) from None


def _files_beside(policy: Path) -> Callable[[str], str | None]:
    """Reads the bases a policy file names by path, relative to the policy file."""

    def read(name: str) -> str | None:
        base = policy.parent / name
        return (
            base.read_text(encoding="utf-8") if name.endswith(".toml") and base.is_file() else None
        )

    return read


@pytest.fixture
def cpe_catalog() -> ModuleType:
    """The bundled catalog module (``ids()``, ``get()``, ``search()``, ...)."""
    from cperules import catalog  # noqa: PLC0415 - the engine loads on use

    return catalog


@pytest.fixture
def cpe_evaluate() -> Callable[..., Evaluation]:
    """:func:`cperules.evaluate`, for tests that evaluate ledgers."""
    from cperules.evaluation import evaluate as run  # noqa: PLC0415 - the engine loads on use

    return run
