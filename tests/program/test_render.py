"""The chapter renderer: the Markdown subset becomes HTML; anything else is escaped."""

from __future__ import annotations

from pacekeeper.program import all_chapters, render_markdown


def test_headings_lists_paragraphs_and_emphasis() -> None:
    html = render_markdown(
        "Intro line\ncontinues.\n\n## Part\n\n- one **bold**\n- two *soft*\n\n1. first\n2. second"
    )
    assert html == (
        "<p>Intro line continues.</p>\n<h2>Part</h2>\n<ul>\n<li>one <strong>bold</strong></li>\n"
        "<li>two <em>soft</em></li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>"
    )


def test_markup_is_escaped_and_only_safe_links_survive() -> None:
    html = render_markdown(
        "<script>alert(1)</script> [ok](https://example.org/a?b=1&c=2) [bad](javascript:alert(1)) "
        '[site](/learn/all) [proto](//evil.example) "quote"'
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2">ok</a>' in html
    assert "javascript:" not in html and "bad" in html
    assert '<a href="/learn/all">site</a>' in html
    assert "evil.example" not in html
    assert "&quot;quote&quot;" in html


def test_stars_inside_words_and_numbers_stay_text() -> None:
    assert render_markdown("2 * 3 * 4 and snake_case") == "<p>2 * 3 * 4 and snake_case</p>"


def test_every_shipped_chapter_renders_without_raw_markdown() -> None:
    for chapter in all_chapters():
        html = render_markdown(chapter.body)
        assert "**" not in html and "##" not in html, chapter.path
        assert html.startswith(("<p>", "<h2>", "<ul>", "<ol>")), chapter.path
