"""Where a policy's rules come from: citations of the body's documents, and rule sources.

A policy version lists its :class:`Citation` values: the body's own document (its URL,
title and clause), where the text was actually read if not there (``copy_url``, shown as
"read from a copy"), and whether the document is a third party's rather than the body's
(``third_party``). Each rule, cycle, carryover and renewal path may name the citation and
the clause it rests on with a :class:`SourceRef`, as OpenFisca keeps a reference on each
dated value, so that results and the catalog table can say where a requirement comes from.

>>> handbook = Citation(id="handbook", url="https://example.org/cpe-handbook.pdf",
...                     title="CPE Handbook", version="2024")
>>> SourceRef(citation="handbook", clause="section 3.2")
SourceRef(citation='handbook', clause='section 3.2')
>>> handbook_copy = Citation(url="https://example.org/cpe-handbook.pdf", title="CPE Handbook",
...                          copy_url="https://mirror.example.net/handbook.pdf")
>>> handbook_copy.read_from_copy
True
>>> url_host("https://www.example.org/a/b?c")
'www.example.org'
>>> on_domains("https://cpe.example.org/handbook.pdf", ("example.org",))
True
>>> on_domains("https://example.org.evil.net/", ("example.org",))
False
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel

__all__ = ["Citation", "SourceRef", "on_domains", "url_host"]


def _http_url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or not url_host(value):
        raise PydanticCustomError(
            "url_scheme",
            "a citation URL starts with https:// or http:// and names a host, got '{url}'",
            {"url": value},
        )
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
"""An ``http(s)://`` URL with a host, kept as the text given."""

CitationId = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
"""A citation's short key within its policy version (``"mp-4.0"``, ``"ccr-87"``)."""


@lru_cache(maxsize=4096)  # catalog entries repeat their family's citations
def url_host(url: str) -> str:
    """The lower-case host name of ``url`` (no port), or ``""`` if it has none."""
    return (urlsplit(url).hostname or "").lower()


def on_domains(url: str, domains: tuple[str, ...]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or a subdomain of one."""
    host = url_host(url)
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


class Citation(FrozenModel):
    """Where a policy's numbers come from: the body's own document and the clause.

    Attributes:
        id: A short key, unique within the version, by which rules cite this document.
        url: The body's own (or the official publisher's) address of the document.
        title: The document's title.
        version: The document's version or date, where it states one.
        clause: The clause relied on, when one clause covers the whole citation.
        copy_url: Where the text was actually read, when not at ``url`` (a copy kept
            elsewhere); shown as "read from a copy".
        third_party: True when the document is not the body's own (a rule only third
            parties support; the version's ``uncertain`` notes say why it was used).

    >>> Citation(url="https://example.org/cpe-handbook.pdf", title="CPE Handbook",
    ...          version="2024", clause="section 3.2")
    Citation(url='https://example.org/cpe-handbook.pdf', title='CPE Handbook', version='2024', clause='section 3.2')
    """  # noqa: E501

    id: CitationId | None = None
    url: HttpUrl
    title: str = Field(min_length=1)
    version: str | None = None
    clause: str | None = None
    copy_url: HttpUrl | None = None
    third_party: bool = False

    @property
    def read_from_copy(self) -> bool:
        """Whether the cited text was read from a copy rather than at ``url``."""
        return self.copy_url is not None


class SourceRef(FrozenModel):
    """The citation (by its ``id`` in the same policy version) and clause a rule rests on.

    >>> SourceRef(citation="mp-4.0", clause="4.1.1")
    SourceRef(citation='mp-4.0', clause='4.1.1')
    """

    citation: CitationId
    clause: str | None = Field(default=None, min_length=1)
