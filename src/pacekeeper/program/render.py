"""A small, safe Markdown subset for chapter bodies.

Headings (## and ###; a # becomes h2 too), paragraphs, lists (- or 1.), **strong**, *emphasis*
and links to http(s) or site paths. Everything else is escaped, so a chapter cannot inject markup.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_ORDERED = re.compile(r"^\d+\.\s+")


def _inline(text: str) -> str:
    out = escape(text, quote=True)

    def link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        if not (url.startswith(("https://", "http://")) or re.match(r"^/(?!/)", url)):
            return label  # unknown scheme (javascript:, data:): keep only the words
        return f'<a href="{url}">{label}</a>'

    out = _LINK.sub(link, out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    return _EM.sub(r"<em>\1</em>", out)


def render_markdown(source: str) -> Markup:
    """HTML for a chapter body."""
    html: list[str] = []
    para: list[str] = []
    list_tag: str | None = None

    def close_para() -> None:
        if para:
            html.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            html.append(f"</{list_tag}>")
            list_tag = None

    for raw in source.splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        bullet = line.startswith(("- ", "* "))
        ordered = _ORDERED.match(line)
        if not line:
            close_para()
            close_list()
        elif heading:
            close_para()
            close_list()
            level = max(2, len(heading.group(1)))  # the page's own title is the only h1
            html.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet or ordered:
            close_para()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                html.append(f"<{tag}>")
                list_tag = tag
            item = line[2:] if bullet else line[ordered.end() :] if ordered else line
            html.append(f"<li>{_inline(item)}</li>")
        else:
            close_list()
            para.append(line)
    close_para()
    close_list()
    # Safe: every piece of text above went through escape() in _inline.
    return Markup("\n".join(html))  # noqa: S704
