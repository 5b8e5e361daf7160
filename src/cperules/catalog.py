"""The bundled catalog of certification policies, read only from the package's own data.

Each certification is one TOML file, ``catalogs/<body>/<name>.toml``, whose path is its
id. A file whose name starts with ``_`` is a base, not a certification: the rules a
family of certifications shares (``catalogs/isc2/_family.toml`` is the base
``isc2/family``), which their files extend with ``extends = "isc2/family"``. Loading is
lazy and cached; nothing outside the package is read.

>>> "isc2/cissp" in ids()
True
>>> get("CISSP").id
'isc2/cissp'
>>> [cert.id for cert in search("information systems security")]
['isc2/cissp', 'isc2/issap', 'isc2/issep', 'isc2/issmp']
>>> "isc2/family" in base_names(), "isc2/family" in ids()
(True, False)
"""

from __future__ import annotations

import hashlib
from functools import cache

from cperules import _bundled, _compiled_catalog
from cperules.citations import Citation
from cperules.errors import ArgumentError, CperulesError, did_you_mean
from cperules.policy import Certification

__all__ = [
    "base_names",
    "base_text",
    "bodies",
    "cases_text",
    "data_version",
    "get",
    "ids",
    "readings_markdown",
    "search",
    "table_markdown",
]

_CASES = _bundled.CASES
_texts = _bundled.texts
_is_base = _bundled.is_base


@cache
def base_names() -> tuple[str, ...]:
    """The name of every bundled base (``isc2/family`` for ``isc2/_family.toml``), sorted."""
    return _bundled.base_names()


def base_text(name: str) -> str | None:
    """The TOML text of the bundled base ``name`` (``"isc2/family"``), or ``None``.

    Policy files extend bases by name; :func:`~cperules.policy_format.load_certification`
    finds the bundled ones through the same reader.

    >>> base_text("isc2/family").startswith("#")
    True
    """
    return _bundled.base_text(name)


@cache
def ids() -> tuple[str, ...]:
    """The id of every bundled certification, sorted (bases are not certifications)."""
    return tuple(
        path.removesuffix(".toml")
        for path in _texts()
        if not path.endswith(_CASES) and not _is_base(path)
    )


_id_set: tuple[tuple[str, ...], frozenset[str]] = ((), frozenset())
""":func:`ids` (the very tuple) and the same ids as a set: :func:`get` is asked once per
evaluation, by id most often, and a set answers at once where the tuple is scanned."""


def _is_id(text: str) -> bool:
    """Whether ``text`` is the id of a bundled certification (``text in ids()``)."""
    global _id_set  # noqa: PLW0603 - the set follows ids(), remade if its cache is cleared
    known = ids()
    if _id_set[0] is not known:
        _id_set = (known, frozenset(known))
    return text in _id_set[1]


@cache
def _load(certification_id: str) -> Certification:
    texts = _texts()
    # The precompiled data when it is current (see cperules._compiled_catalog), else the text.
    certification = _compiled_catalog.certification(certification_id, texts)
    if certification is None:
        # Imported here: reading TOML is needed only when the compiled data is not current.
        from cperules.policy_format import load_certification  # noqa: PLC0415

        certification = load_certification(texts[f"{certification_id}.toml"])
    if certification.id != certification_id:
        raise CperulesError(
            f"catalog file {certification_id}.toml declares id {certification.id!r}; "
            "a catalog file's path is its id",
            code="invalid-policy",
        )
    return certification


@cache
def _aliases() -> dict[str, str]:
    """Lower-case aliases and short names (``cissp``) to ids."""
    names: dict[str, str] = {}
    texts = _texts()
    for certification_id in ids():
        # Precompiled entries know their aliases: a lookup by alias validates only its entry.
        aliases = _compiled_catalog.entry_aliases(certification_id, texts)
        if aliases is None:
            aliases = _load(certification_id).aliases
        for alias in (*aliases, certification_id.split("/", 1)[1]):
            names.setdefault(alias.casefold(), certification_id)
    return names


def get(id_or_alias: str) -> Certification:
    """The bundled certification with this id (``isc2/cissp``) or alias (``CISSP``).

    Raises:
        CperulesError: ``unknown-certification``, with the closest id as a suggestion.
        ArgumentError: ``id_or_alias`` is not a string.
    """
    _require_text(
        id_or_alias, "id_or_alias", "an id such as 'isc2/cissp' or an alias such as 'CISSP'"
    )
    if _is_id(id_or_alias):
        return _load(id_or_alias)
    alias = _aliases().get(id_or_alias.casefold())
    if alias is not None:
        return _load(alias)
    hint = did_you_mean(id_or_alias, [*ids(), *_aliases()])
    raise CperulesError(
        f"the bundled catalog has no certification {id_or_alias!r}{hint}",
        code="unknown-certification",
    )


def _require_text(value: object, argument: str, what: str) -> None:
    if not isinstance(value, str):
        raise ArgumentError(
            f"{argument}: expected {what} (a str), got the {type(value).__name__} {value!r}"
        )


def search(text: str) -> tuple[Certification, ...]:
    """Certifications whose id, name, body or aliases contain ``text`` (any case).

    Raises:
        ArgumentError: ``text`` is not a string.
    """
    _require_text(text, "text", "the text to look for, such as 'security'")
    needle = text.casefold()
    hits = []
    for certification_id in ids():
        certification = _load(certification_id)
        haystack = " ".join(
            (certification.id, certification.name, certification.body, *certification.aliases)
        ).casefold()
        if needle in haystack:
            hits.append(certification)
    return tuple(hits)


def bodies() -> tuple[str, ...]:
    """The certifying bodies in the catalog, sorted."""
    return tuple(sorted({_load(certification_id).body for certification_id in ids()}))


def cases_text(certification_id: str) -> str:
    """The worked scenarios bundled beside a certification (its ``.cases.toml`` text).

    Raises:
        CperulesError: ``unknown-certification`` when there is no such cases file.
    """
    text = _texts().get(f"{certification_id}{_CASES}")
    if text is None:
        raise CperulesError(
            f"the bundled catalog has no cases for {certification_id!r}"
            f"{did_you_mean(certification_id, ids())}",
            code="unknown-certification",
        )
    return text


@cache
def data_version() -> str:
    """A short digest of every bundled data file; it changes whenever the data does.

    Every evaluation records it, so that a result can be reproduced.
    """
    digest = hashlib.sha256()
    for path, text in _texts().items():
        digest.update(path.encode())
        digest.update(b"\0")
        digest.update(text.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def table_markdown() -> str:
    """Every bundled certification as one Markdown table row, made from the catalog itself.

    Columns: id, name, body, unit, the newest version's cycle and total in words, when
    each version took effect, when the newest was last verified, and its sources as
    links. The docs' catalog page includes this table; ``make catalog-table`` rewrites it
    and a test fails while the committed copy is stale.

    >>> print(table_markdown().splitlines()[0])
    | id | name | body | unit | cycle | total | versions from | last verified | sources |
    """
    # Imported here: describing policies in words is not needed to load them.
    from cperules.describe import describe_cycle, describe_total  # noqa: PLC0415

    lines = [
        "| id | name | body | unit | cycle | total | versions from | last verified | sources |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for certification_id in ids():
        certification = _load(certification_id)
        newest = certification.versions[-1]
        sources = "; ".join(_source_cell(c) for c in newest.citations)
        cells = (
            f"`{certification.id}`",
            _cell(certification.name),
            _cell(certification.body),
            _cell(certification.unit),
            _cell(describe_cycle(newest.cycle)),
            _cell(describe_total(newest, certification.unit)),
            ", ".join(str(version.effective_from) for version in certification.versions),
            str(newest.last_verified or "not recorded"),
            sources or "none",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def readings_markdown() -> str:
    """Every reading chosen where sources conflict, and every rule left out, by file.

    Each bundled policy file and base, in path order, with its own ``uncertain`` notes by
    version (a base's notes are listed once, under the base, though every member's results
    repeat them). The docs' catalog page includes this list; ``make catalog-table``
    rewrites it and a test fails while the committed copy is stale.

    >>> print(readings_markdown().splitlines()[0])
    # Readings and omissions
    """
    lines = [
        "# Readings and omissions",
        "",
        "Where a body's documents conflict, or a number could only be read in a copy or a "
        "third party's page, the catalog entry records which reading it encodes and why; "
        'rules the engine cannot express yet are left out and named ("Not encoded: ..."). '
        "Each file's notes are listed once (a family base's notes apply to every member).",
    ]
    from cperules.policy_format import parse_toml  # noqa: PLC0415 - only the readings parse TOML

    texts = _texts()
    for path in sorted(p for p in texts if p.endswith(".toml") and not p.endswith(_CASES)):
        data = parse_toml(texts[path], source=path)
        noted = [
            (version.get("effective_from"), version.get("uncertain", []))
            for version in data.get("versions", [])
            if version.get("uncertain")
        ]
        if not noted:
            continue
        name = path.removesuffix(".toml")
        title = data.get("id") or name.replace("/_", "/") + " (base)"
        lines += ["", f"## `{title}`"]
        for start, notes in noted:
            lines += ["", f"From {start}:", ""]
            lines += [f"- {_cell(str(note))}" for note in notes]
    return "\n".join(lines) + "\n"


def _compiled_json() -> str:
    """The precompiled catalog's text, as ``make catalog-table`` writes it to the package.

    Each entry's data, parsed from its file and merged onto its bases, with a digest of
    those files: loading every entry then validates that data rather than parsing the
    TOML again (an entry whose files changed since is read from its text). A test fails
    while the committed copy is stale.
    """
    return _compiled_catalog.compile_catalog(_texts(), ids())


def _source_cell(citation: Citation) -> str:
    """A citation as a Markdown link, marked when read from a copy or not the body's own."""
    title = citation.title + (f" ({citation.version})" if citation.version else "")
    cell = f"[{_cell(title)}]({_url(citation.url)})"
    if citation.copy_url is not None:
        cell += f" ([read from a copy]({_url(citation.copy_url)}))"
    if citation.third_party:
        cell += " (third party)"
    return cell


def _cell(text: str) -> str:
    """Text made inert in a Markdown table cell."""
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text


def _url(url: str) -> str:
    """A URL safe as a Markdown link destination (no spaces, parentheses or angle brackets)."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url
