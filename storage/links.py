"""Every web link a paper has, from its own fields and its feed's extras: what `o`, `p` and the open menu (`L`)
open, and what the reader lists.

Only http(s) links are given (through export.safe_url): a feed's `javascript:` or `file:` "project page" is never
handed to a browser.
"""

from __future__ import annotations

from typing import NamedTuple

from .export import paper_url, safe_url
from .model import Paper


class Link(NamedTuple):
    kind: str  # "abstract", "pdf", "hf", "github", "project", "doi"
    label: str  # what the reader and the open menu call it
    url: str


LABELS = {"abstract": "abstract page", "pdf": "PDF", "hf": "Hugging Face page", "github": "GitHub repository",
          "project": "project page", "doi": "DOI"}


def _extra(paper: Paper, key: str) -> str:
    value = paper.extra.get(key)
    return value if isinstance(value, str) else ""


def pdf_url(paper: Paper) -> str | None:
    """The feed's `pdf_url` (arXiv's API gives one), else arXiv's PDF of the paper's id."""
    given = safe_url(_extra(paper, "pdf_url"))
    if given:
        return given
    return safe_url(f"https://arxiv.org/pdf/{paper.arxiv_id}") if paper.arxiv_id else None


def paper_links(paper: Paper) -> list[Link]:
    """The paper's links in the order the reader lists them; each URL once (a DOI that is also the paper's URL)."""
    doi = _extra(paper, "doi")
    found = {
        "abstract": paper_url(paper),
        "pdf": pdf_url(paper),
        "hf": safe_url(_extra(paper, "hf_url")),
        "github": safe_url(_extra(paper, "github")),
        "project": safe_url(_extra(paper, "project_page")),
        "doi": safe_url(f"https://doi.org/{doi}") if doi else None,
    }
    out: list[Link] = []
    seen: set[str] = set()
    for kind, url in found.items():
        if url and url not in seen:
            seen.add(url)
            out.append(Link(kind, LABELS[kind], url))
    return out


def link_of(paper: Paper, kind: str) -> str | None:
    return next((link.url for link in paper_links(paper) if link.kind == kind), None)
