"""Charts (Altair specs rendered offline to SVG by vl-convert) and the HTML report."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import polars as pl

MAX_POINTS = 5000  # a volcano of more points is thinned to the most interesting ones


def _render(spec: dict[str, Any]) -> str:
    import vl_convert

    # All data is inline; a render must never reach the network.
    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg


def volcano_svg(results: pl.DataFrame, contrast: str, alpha: float = 0.05) -> str:
    import altair as alt

    part = results.filter((pl.col("contrast") == contrast) & pl.col("p").is_not_null())
    part = part.with_columns(
        (-pl.col("p").log10()).alias("neg_log10_p"),
        pl.when(pl.col("q") < alpha)
        .then(pl.lit(f"q < {alpha}"))
        .otherwise(pl.lit("not significant"))
        .alias("status"),
    ).sort("p")
    if part.height > MAX_POINTS:
        part = part.head(MAX_POINTS)
    rows = part.select("name", "estimate", "neg_log10_p", "status", "q").to_dicts()
    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_circle(size=18, opacity=0.7)
        .encode(
            x=alt.X("estimate:Q", title="estimate (log scale difference)"),
            y=alt.Y("neg_log10_p:Q", title="-log10 p"),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(
                    domain=[f"q < {alpha}", "not significant"], range=["#c2410c", "#94a3b8"]
                ),
            ),
            tooltip=["name:N", "estimate:Q", "q:Q"],
        )
        .properties(width=420, height=300, title=contrast)
    )
    return _render(chart.to_dict())


def pathway_svg(enriched: pl.DataFrame, contrast: str, top: int = 15) -> str:
    import altair as alt

    part = enriched.filter(pl.col("contrast") == contrast).sort("cluster_p").head(top)
    rows = [
        {
            "set": r["set"],
            "neg_log10_q": float(-np.log10(max(r["cluster_q"], 1e-300))),
            "direction": "up" if r["median_t"] > 0 else "down",
        }
        for r in part.to_dicts()
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("set:N", sort="-x", title=None),
            x=alt.X("neg_log10_q:Q", title="-log10 q (cluster test)"),
            color=alt.Color(
                "direction:N", scale=alt.Scale(domain=["up", "down"], range=["#c2410c", "#1d4ed8"])
            ),
        )
        .properties(width=360, height=max(60, 18 * len(rows)), title=f"Sets: {contrast}")
    )
    return _render(chart.to_dict())


def _table(df: pl.DataFrame, columns: list[str], rows: int = 20) -> str:
    cols = [c for c in columns if c in df.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for r in df.select(cols).head(rows).iter_rows():
        cells = "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    return "" if v is None else str(v)


def html_report(
    title: str,
    log: list[str],
    results: pl.DataFrame,
    enriched: pl.DataFrame,
    extra: dict[str, pl.DataFrame],
    charts: dict[str, str],
) -> str:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;"
        "padding:0 1em}table{border-collapse:collapse;font-size:.85em;margin:1em 0}"
        "td,th{border:1px solid #cbd5e1;padding:.2em .5em;text-align:left}"
        "figure{display:inline-block;margin:.5em}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<h2>Steps</h2><ol>" + "".join(f"<li>{html.escape(s)}</li>" for s in log) + "</ol>",
    ]
    for contrast in results["contrast"].unique(maintain_order=True).to_list():
        part = results.filter(pl.col("contrast") == contrast).sort("p", nulls_last=True)
        n_sig = part.filter(pl.col("q") < 0.05).height
        parts.append(f"<h2>{html.escape(contrast)}</h2>")
        parts.append(f"<p>{n_sig} of {part.height} features with q &lt; 0.05.</p>")
        if f"volcano:{contrast}" in charts:
            parts.append(f"<figure>{charts[f'volcano:{contrast}']}</figure>")
        if f"pathway:{contrast}" in charts:
            parts.append(f"<figure>{charts[f'pathway:{contrast}']}</figure>")
        parts.append(
            _table(
                part,
                ["layer", "name", "sub_pathway", "estimate", "ci_low", "ci_high", "t", "p", "q"],
            )
        )
        if enriched.height:
            e = enriched.filter(pl.col("contrast") == contrast)
            parts.append("<h3>Enriched sets</h3>")
            parts.append(
                _table(
                    e,
                    [
                        "layer",
                        "set",
                        "size",
                        "significant",
                        "up",
                        "down",
                        "median_t",
                        "ora_q",
                        "rank_q",
                        "cluster_q",
                        "key_feature",
                    ],
                    rows=15,
                )
            )
    for name, df in extra.items():
        if df.height:
            parts.append(f"<h2>{html.escape(name)}</h2>")
            parts.append(_table(df.sort("p") if "p" in df.columns else df, df.columns))
    parts.append(
        "<p><small>Generated by pacekeeper omics; the steps above list every setting used."
        "</small></p></body></html>"
    )
    return "\n".join(parts)
