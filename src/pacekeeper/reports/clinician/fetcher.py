"""WeasyPrint's fetcher, allowed inline data only: a report is drawn from what is in it, and a
stray link in a template or a name can never make the PDF reach the network or read a file."""

from __future__ import annotations

from typing import Any

from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]


class InlineOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []  # what the document asked for and did not get

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"the report fetches nothing (refused {url[:80]})")
        return super().fetch(url, headers)
