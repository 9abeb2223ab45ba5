"""Markdown reports and PNG plots from a run directory, and the comparison of two runs.

Reports read only what the run wrote (``summary.json``, ``manifest.json``,
``results.jsonl``), so a published report can be regenerated from its run record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from experiments.summary import METRICS, flips, metric_value, paired_delta

# The columns of the headline tables and the bars of the ladder plot.
HEADLINE = (
    "hit@5",
    "hit@10",
    "mrr@10",
    "doc_hit@5",
    "behaviour_accuracy",
    "answer_numeric",
    "answer_f1",
    "answer_judge",
    "citation_precision",
    "citation_support",
    "latency_p50_ms",
)
PLOTTED = (
    "hit@10",
    "doc_hit@5",
    "behaviour_accuracy",
    "answer_numeric",
    "answer_judge",
    "citation_precision",
)
BINARY = ("hit@1", "hit@5", "hit@10", "doc_hit@5", "behaviour_accuracy", "answer_numeric")


def load_run(run_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(summary, manifest)`` of a run; a clear error when it is not a finished run."""
    try:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"{run_dir} is not a finished run (summary.json and manifest.json): {exc}"
        ) from exc
    return summary, manifest


def load_results(run_dir: Path, name: str = "results.jsonl") -> dict[str, list[dict[str, Any]]]:
    """Per-question records grouped by rung (or chunking cell), in file order."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    path = run_dir / name
    if not path.exists():
        return grouped
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                grouped.setdefault(record.get("rung") or record["cell"], []).append(record)
    return grouped


def write_report(run_dir: Path) -> Path:
    """Write ``report.md``, ``ladder.png`` and (with a grid) ``chunking.png``."""
    summary, manifest = load_run(run_dir)
    ran = [r for r in summary["rungs"] if not r["skipped"]]
    if ran:
        plot_ladder(ran, run_dir / "ladder.png", summary["name"])
    chunking = summary.get("chunking")
    if chunking:
        plot_grid(chunking, run_dir / "chunking.png")
    path = run_dir / "report.md"
    path.write_text(render(summary, manifest), encoding="utf-8")
    return path


def render(summary: dict[str, Any], manifest: dict[str, Any]) -> str:
    git = manifest["git"]
    index = manifest["index"]
    corpus = manifest["corpus"]
    lines = [
        f"# {summary['name']}: run {summary['run_id']}",
        "",
        manifest.get("description") or "",
        "",
        f"- questions: {summary['questions']} from `{Path(manifest['questions']['path']).name}`"
        f" (sha256 {manifest['questions']['sha256'][:12]})",
        f"- corpus: {corpus['files']} files, sha256 {corpus['sha256'][:12]}; index "
        f"{'reused' if index['reused'] else 'built'} with {index['documents']} documents, "
        f"{_build(index['params'])}",
        f"- code: {git['commit'] or 'unknown'}{' (uncommitted changes)' if git['dirty'] else ''}",
        f"- machine: {manifest['machine']['cpu']}, {manifest['machine']['cores']} cores; "
        f"wall time {manifest['wall_s']:.0f} s",
        f"- deltas: each rung against the previous rung that ran, paired over the same "
        f"questions; 95% CI from {manifest['seeds']['resamples']} bootstrap resamples "
        f"(seed {manifest['seeds']['bootstrap']}); p from exact McNemar (0/1 metrics), "
        "sign-flip or paired resampling",
        *_judge_line(summary, manifest),
        "",
        "## Ladder",
        "",
        *_table(summary["rungs"]),
        "",
        "Changes over the previous rung (delta [95% CI], p):",
        "",
        *_delta_table(summary["rungs"]),
        "",
    ]
    if any(not r["skipped"] for r in summary["rungs"]):
        lines += ["![ladder](ladder.png)", ""]
    for rung in summary["rungs"]:
        lines += _rung_section(rung)
    if summary.get("chunking"):
        grid = summary["chunking"]
        lines += [
            f"## Chunking ({grid['metric']}, pipeline of rung `{grid['rung']}`)",
            "",
            *_grid_table(grid),
            "",
            *_table(grid["cells"], "cell"),
            "",
            f"Changes over `{grid['cells'][0]['name']}`:",
            "",
            *_delta_table(grid["cells"], "cell"),
            "",
            "![chunking](chunking.png)",
            "",
        ]
    return "\n".join(lines)


def _judge_line(summary: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    """Whether answers were graded by the LLM judge, with what, and what it cost."""
    judge = summary.get("judge")
    if judge is None:  # a run recorded before the judge existed
        return []
    line = f"- LLM judge: {judge['status']}"
    if "calls" in judge:
        sha = (manifest.get("judge") or {}).get("prompt_sha256", "")
        line += (
            f", prompt sha256 {sha[:12]}; {judge['calls']} answers graded, "
            f"{judge['errors']} failed; {judge['tokens']} tokens, "
            f"${judge['cost_usd']:.4f} (not in the rungs' cost)"
        )
    return [line]


def compare(
    run_a: Path, run_b: Path, rung_a: str | None = None, rung_b: str | None = None
) -> dict[str, Any]:
    """Per-metric deltas of ``run_b`` over ``run_a`` and the questions that flipped.

    Rungs are paired by name (or the two named ones; or the only rung of each run);
    questions are paired by id, over those both runs asked.
    """
    _, manifest_b = load_run(run_b)
    load_run(run_a)
    results_a, results_b = load_results(run_a), load_results(run_b)
    for name, results, run in ((rung_a, results_a, run_a), (rung_b, results_b, run_b)):
        if name is not None and name not in results:
            raise ConfigError(f"{run} has no rung {name!r}; it has {', '.join(results)}")
    if rung_a or rung_b:
        pairs = [
            (rung_a or _counterpart(results_a, rung_b), rung_b or _counterpart(results_b, rung_a))
        ]
    else:
        pairs = [(name, name) for name in results_a if name in results_b]
    if not pairs and len(results_a) == 1 and len(results_b) == 1:
        pairs = [(next(iter(results_a)), next(iter(results_b)))]
    if not pairs:
        raise ConfigError(
            f"the runs share no rung: {', '.join(results_a)} vs {', '.join(results_b)}; "
            "name the two to compare with --rung-a and --rung-b"
        )
    seeds = manifest_b["seeds"]
    rungs = []
    for name_a, name_b in pairs:
        b_by_id = {r["id"]: r for r in results_b[name_b]}
        a = [r for r in results_a[name_a] if r["id"] in b_by_id]
        b = [b_by_id[r["id"]] for r in a]
        if not a:
            raise ConfigError(f"rung {name_a!r}: the runs share no question ids")
        metrics = {}
        for metric, spec in METRICS.items():
            metrics[metric] = {
                "a": metric_value(spec, a),
                "b": metric_value(spec, b),
                "delta": paired_delta(spec, a, b, seeds["resamples"], seeds["bootstrap"]),
            }
        flipped = {m: flips(a, b, m) for m in BINARY}
        behaviour = [
            {"id": x["id"], "a": x["actual"], "b": y["actual"]}
            for x, y in zip(a, b, strict=True)
            if x["actual"] != y["actual"]
        ]
        rungs.append(
            {
                "rung_a": name_a,
                "rung_b": name_b,
                "questions": len(a),
                "metrics": metrics,
                "flipped": flipped,
                "behaviour_changed": behaviour,
            }
        )
    return {"run_a": str(run_a), "run_b": str(run_b), "rungs": rungs}


def _counterpart(results: dict[str, Any], other: str | None) -> str:
    """The rung paired with ``other``: the same name, else the run's only rung."""
    if other in results:
        return str(other)
    if len(results) == 1:
        return next(iter(results))
    raise ConfigError("name the rung of each run: --rung-a and --rung-b")


def render_comparison(comparison: dict[str, Any]) -> str:
    lines = [f"# {Path(comparison['run_b']).name} vs {Path(comparison['run_a']).name}", ""]
    for rung in comparison["rungs"]:
        lines += [
            f"## {rung['rung_b']} vs {rung['rung_a']} ({rung['questions']} questions)",
            "",
            "| metric | a | b | delta | 95% CI | p |",
            "|---|---|---|---|---|---|",
        ]
        for metric, row in rung["metrics"].items():
            if row["a"] is None and row["b"] is None:
                continue
            d = row["delta"]
            lines.append(
                f"| {metric} | {_num(row['a'], metric)} | {_num(row['b'], metric)} | "
                + (
                    f"{_num(d['delta'], metric, '+')} | [{_num(d['ci_low'], metric, '+')}, "
                    f"{_num(d['ci_high'], metric, '+')}] | {d['p_value']:.3g} |"
                    if d
                    else "- | - | - |"
                )
            )
        lines += ["", "Questions that flipped:", ""]
        for metric, change in rung["flipped"].items():
            if change["gained"] or change["lost"]:
                lines.append(
                    f"- {metric}: gained {', '.join(change['gained']) or '-'}; "
                    f"lost {', '.join(change['lost']) or '-'}"
                )
        for item in rung["behaviour_changed"]:
            lines.append(f"- behaviour of {item['id']}: {item['a']} -> {item['b']}")
        lines.append("")
    return "\n".join(lines)


def plot_ladder(rungs: Sequence[dict[str, Any]], path: Path, title: str) -> None:
    """Grouped bars per rung for the headline rates, error bars = each value's 95% CI."""
    plt = _pyplot()
    metrics = [m for m in PLOTTED if any(r["metrics"].get(m) is not None for r in rungs)]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(rungs) + 2), 4.2))
    width = 0.8 / max(1, len(metrics))
    for j, metric in enumerate(metrics):
        xs: list[float] = []
        heights: list[float] = []
        errors: list[list[float]] = [[], []]
        for i, rung in enumerate(rungs):
            value = rung["metrics"].get(metric)
            if value is None:
                continue
            low, high = rung["ci"].get(metric) or (value, value)
            xs.append(i + (j - (len(metrics) - 1) / 2) * width)
            heights.append(value)
            errors[0].append(max(0.0, value - low))
            errors[1].append(max(0.0, high - value))
        ax.bar(xs, heights, width, yerr=errors, capsize=3, label=metric)
    ax.set_xticks(range(len(rungs)), [r["name"] for r in rungs], rotation=15, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (95% CI)")
    ax.set_title(title)
    ax.legend(fontsize=8, ncols=len(metrics) or 1, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_grid(grid: dict[str, Any], path: Path) -> None:
    """Heatmap of one metric over strategies x sizes, each cell annotated."""
    plt = _pyplot()
    cells = grid["cells"]
    strategies = list(dict.fromkeys(c["strategy"] for c in cells))
    sizes = sorted({c["size"] for c in cells})
    values = [[float("nan")] * len(sizes) for _ in strategies]
    for c in cells:
        value = c["metrics"].get(grid["metric"])
        if value is not None:
            values[strategies.index(c["strategy"])][sizes.index(c["size"])] = value
    fig, ax = plt.subplots(figsize=(1.4 * len(sizes) + 2.5, 0.8 * len(strategies) + 1.8))
    image = ax.imshow(values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            text = "-" if value != value else f"{value:.2f}"
            colour = "black" if value == value and value > 0.6 else "white"  # readable on viridis
            ax.text(j, i, text, ha="center", va="center", color=colour, fontsize=9)
    ax.set_xticks(range(len(sizes)), [str(s) for s in sizes])
    ax.set_yticks(range(len(strategies)), strategies)
    ax.set_xlabel("chunk size (embedder tokens)")
    ax.set_title(f"{grid['metric']} by chunking")
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window: runs happen on servers
    import matplotlib.pyplot as plt

    return plt


def _table(rows: Sequence[dict[str, Any]], label: str = "rung") -> list[str]:
    out = [f"| {label} | " + " | ".join(HEADLINE) + " |", "|---" * (len(HEADLINE) + 1) + "|"]
    for row in rows:
        if row.get("skipped"):
            out.append(f"| {row['name']} | {row['note']} |" + " |" * (len(HEADLINE) - 1))
            continue
        cells = [_num(row["metrics"].get(m), m) for m in HEADLINE]
        out.append(f"| {row['name']} | " + " | ".join(cells) + " |")
    return out


def _delta_table(rows: Sequence[dict[str, Any]], label: str = "rung") -> list[str]:
    out = [f"| {label} | " + " | ".join(HEADLINE) + " |", "|---" * (len(HEADLINE) + 1) + "|"]
    for row in rows:
        if row.get("skipped") or not row.get("delta"):
            continue
        cells = []
        for metric in HEADLINE:
            d = row["delta"].get(metric)
            cells.append(
                "-"
                if d is None
                else f"{_num(d['delta'], metric, '+')} [{_num(d['ci_low'], metric, '+')}, "
                f"{_num(d['ci_high'], metric, '+')}] p={d['p_value']:.2g}"
            )
        out.append(f"| {row['name']} vs {row['delta_over']} | " + " | ".join(cells) + " |")
    return out


def _rung_section(rung: dict[str, Any]) -> list[str]:
    changes = ", ".join(f"{k}={v}" for k, v in rung["changes"].items()) or "defaults"
    lines = [f"### {rung['name']}", "", f"{rung.get('description') or ''} Changes: {changes}."]
    if rung["skipped"]:
        return [*lines, "", rung["note"], ""]
    confusion = ", ".join(f"{k} {v}" for k, v in rung["behaviour"].items())
    lines += [
        "",
        f"{rung['n']} questions, {rung['errors']} errors; behaviour (expected->actual): "
        f"{confusion}.",
        "",
        "| metric | value | 95% CI | questions | delta | delta 95% CI | p | test |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for metric, value in rung["metrics"].items():
        if value is None:
            continue
        ci = rung["ci"].get(metric)
        d = (rung.get("delta") or {}).get(metric)
        lines.append(
            f"| {metric} | {_num(value, metric)} | "
            + (f"[{_num(ci[0], metric)}, {_num(ci[1], metric)}]" if ci else "-")
            + f" | {rung['support'][metric]} | "
            + (
                f"{_num(d['delta'], metric, '+')} | [{_num(d['ci_low'], metric, '+')}, "
                f"{_num(d['ci_high'], metric, '+')}] | {d['p_value']:.3g} | {d['test']} |"
                if d
                else "- | - | - | - |"
            )
        )
    return [*lines, ""]


def _grid_table(grid: dict[str, Any]) -> list[str]:
    sizes = sorted({c["size"] for c in grid["cells"]})
    out = ["| strategy | " + " | ".join(map(str, sizes)) + " |", "|---" * (len(sizes) + 1) + "|"]
    for strategy in dict.fromkeys(c["strategy"] for c in grid["cells"]):
        by_size = {c["size"]: c for c in grid["cells"] if c["strategy"] == strategy}
        cells = [
            _num(by_size[s]["metrics"].get(grid["metric"])) if s in by_size else "-" for s in sizes
        ]
        out.append(f"| {strategy} | " + " | ".join(cells) + " |")
    return out


def _build(params: dict[str, Any]) -> str:
    return (
        f"{params.get('chunk_strategy')} chunks of {params.get('chunk_size')} tokens "
        f"(overlap {params.get('chunk_overlap')}, contextual header "
        f"{params.get('contextual_header')}), embedder {params.get('embedding_model')}"
    )


def _num(value: float | None, metric: str = "", sign: str = "") -> str:
    if value is None:
        return "-"
    if metric.endswith("_ms") or metric == "tokens":
        return f"{value:{sign}.0f}"
    if metric == "cost_usd":
        return f"{value:{sign}.5f}"
    return f"{value:{sign}.3f}"
