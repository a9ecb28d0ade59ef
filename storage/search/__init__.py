"""The search language in one place: parse.py reads it, match.py says what matches, index.py finds it fast."""

from .index import SearchIndex, TextIndex
from .match import Query, paper_text, state_text
from .parse import QueryError, parse, parse_partial, tag_token, with_tag

__all__ = ["Query", "QueryError", "SearchIndex", "TextIndex", "paper_text", "parse", "parse_partial", "state_text", "tag_token",
           "with_tag"]
