"""`python -m builder.bench`: how fast the report builds, against pandoc + xelatex and typst.

Works on a copy of the project in a temporary folder (the real one and its .cache are
never touched) and runs every build as `report build` in a subprocess, as a writer would:

  cold      all six files with an empty .cache (the median of 3, each in a fresh copy)
  warm      after a one-paragraph edit: `-e zh -f pdf`, then `-e bilingual -f pdf`; with
            nothing changed; after an edit adding a page, and one adding a new character
            (each the median of 3)
  watch     `report watch` for each of those: from saving an edit to the PDF written
  charts    each chart of the zh edition drawn with an empty chart cache, per chart
  memory    largest build process (ru_maxrss)
  scaling   every numbered chapter copied to make ten times the report (charts too), cold
  pandoc    the bilingual edition exported to Markdown, pandoc --pdf-engine=xelatex --toc (x3)
  typst     the same edition and the zh one as Typst markup, compiled

pandoc, xelatex and typst are not dependencies: each comparison is skipped with a note
when its tool is missing (typst: the `typst` command or the `typst` Python module).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from builder import timing
from builder.bench_markup import to_markdown, to_typst

ROOT = Path(__file__).resolve().parent.parent   # the repository
# Characters the report never uses, one per measured edit (as numbers: the subsets cover the source's too)
NEW_CHARS = [chr(0x9F98), chr(0x9F96), chr(0x9F97)]
ROUNDS = 3   # a rebuild is measured this many times (median): the machine is shared

# Runs a command and prints its wall time and the peak RSS of its process tree: a fresh
# interpreter per measurement, because RUSAGE_CHILDREN only ever grows.
_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - t
if done.returncode:
    sys.exit(done.stderr[-3000:])
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak MB of the largest process) of one command."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, cmd)], cwd=cwd,
                         capture_output=True, text=True, env={**os.environ, **(env or {})})
    if out.returncode:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{out.stderr}")
    seconds, kb = out.stdout.split()
    return float(seconds), int(kb) / 1024


def where_time_goes(timings: Path) -> list[str]:
    """The cold build's steps (builder.timing), seconds summed over every process, largest
    first; PDF layout is its step less the assembly within it."""
    steps: dict[str, float] = {}
    for line in timings.read_text(encoding="utf-8").splitlines():
        step, seconds = line.split("\t")
        steps[step] = steps.get(step, 0.0) + float(seconds)
    steps["PDF layout (reportlab)"] = steps.pop("PDF layout and assembly", 0.0) - steps.get("PDF assembly", 0.0)
    total = sum(steps.values())
    return ["  where the cold build's time goes (seconds of all processes together):"] + [
        f"    {step:<38} {seconds:6.2f} s  {seconds / total:4.0%}"
        for step, seconds in sorted(steps.items(), key=lambda item: -item[1])]


def report_cmd(project: Path, *args: str) -> list[str]:
    # The installed entry point, as writers run it.
    return [str(Path(sys.executable).parent / "report"), "build", "--project", str(project), *args]


def copy_project(src: Path, dst: Path) -> Path:
    for part in ("content", "data"):
        shutil.copytree(src / part, dst / part)
    return dst


def chapter_files(project: Path, lang: str) -> list[Path]:
    return sorted((project / "content" / "chapters").glob(f"*/{lang}.md"))


PLAIN = re.compile(r"^[^\s#`>|*\-+\d]")   # not a heading, fence, quote, table or list item


def edit_paragraph(project: Path, lang: str, extra: str = "", copies: int = 0) -> None:
    """Repeat the first sentence of the third chapter's first plain paragraph at its end (words
    a writer might type: no new character), plus `extra`; then that paragraph `copies` times."""
    path = chapter_files(project, lang)[2]
    parts = path.read_text(encoding="utf-8").split("\n\n")
    i = [k for k, p in enumerate(parts) if PLAIN.match(p) and "{%" not in p][0]
    sentence = re.match(r"[^。.]*[。.]", parts[i]).group(0)
    parts[i:i + 1] = [parts[i].rstrip("\n") + sentence + extra] + [parts[i].rstrip("\n")] * copies
    path.write_text("\n\n".join(parts), encoding="utf-8")


def multiply_content(project: Path, factor: int) -> None:
    """Ten times the report: every numbered chapter (text, footnotes, figures, tables) is
    copied `factor - 1` more times under new ids, so the copy has `factor` times the
    chapters, pages and charts. Each copy's charts get their own axis label, so they are
    drawn, not taken from the chart cache (but pies, which have no axis: 5 of 23 charts)."""
    import tomllib
    manifest = project / "content" / "report.toml"
    raw = tomllib.loads(manifest.read_text(encoding="utf-8"))
    chapters = project / "content" / "chapters"
    entries = []
    for entry in raw["chapters"]:
        entries.append(entry)
        if not entry.get("numbered", True):
            continue
        for copy in range(1, factor):
            ident = f"{entry['id']}-copy{copy}"
            shutil.copytree(chapters / entry["id"], chapters / ident)
            figures = chapters / ident / "figures.toml"
            if figures.exists():
                blocks = figures.read_text(encoding="utf-8").split("[[figure]]")
                for i in range(1, len(blocks)):
                    if re.search(r'^kind = "pie"', blocks[i], flags=re.M):
                        continue   # no axis: its copies are the same chart, from the cache
                    block = re.sub(r"^axis = .*\n", "", blocks[i], flags=re.M)
                    blocks[i] = f'\naxis = {{zh = "({copy})", en = "({copy})"}}' + block
                figures.write_text("[[figure]]".join(blocks), encoding="utf-8")
            entries.append({"id": ident})
    text = manifest.read_text(encoding="utf-8")
    text = text[:text.index("[[chapters]]")]
    for entry in entries:
        text += f'[[chapters]]\nid = "{entry["id"]}"\n'
        if not entry.get("numbered", True):
            text += "numbered = false\n"
    manifest.write_text(text, encoding="utf-8")


def rebuilds(project: Path, edition: str, extras: list[str], copies: int = 0) -> float:
    """Median seconds of `report build -e EDITION -f pdf` after an edit per extra (edit_paragraph)."""
    times = []
    for extra in extras:
        edit_paragraph(project, "zh", extra, copies)
        times.append(measure(report_cmd(project, "-e", edition, "-f", "pdf"))[0])
    return statistics.median(times)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


def watch_rebuilds(project: Path, edition: str, rounds: int = 3) -> float | str:
    """`report watch -e EDITION -f pdf`: median seconds from saving a one-paragraph edit to
    the watcher's line saying the PDF is written (its wait for the file to settle included)."""
    import select
    cmd = [str(Path(sys.executable).parent / "report"), "watch", "--project", str(project),
           "-e", edition, "-f", "pdf"]
    watcher = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def next_line() -> str:
        if not select.select([watcher.stdout], [], [], 60)[0]:
            raise TimeoutError
        return watcher.stdout.readline()
    try:
        next_line()        # the first build
        times = []
        for _ in range(rounds):
            time.sleep(0.5)   # the watcher is watching again
            started = time.perf_counter()
            edit_paragraph(project, "zh")
            if " wrote " not in next_line():
                return "failed: the watcher did not rebuild"
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    except TimeoutError:
        return "failed: no rebuild within a minute"
    finally:
        watcher.terminate()
        watcher.wait()


# --- per-chart time --------------------------------------------------------------------
_CHARTS = """
import sys, time, tempfile
from pathlib import Path
t = time.perf_counter()
import matplotlib.pyplot
imported = time.perf_counter() - t
sys.path.insert(0, sys.argv[2])
from bench import load_edition
from builder.cache import Cache
from builder.context import BuildContext
from builder.media import charts
from builder.model import Figure
report, ctx = load_edition(Path(sys.argv[1]), "zh")
specs = [b.chart for c in report.chapters for b in c.blocks if isinstance(b, Figure)]
with tempfile.TemporaryDirectory() as empty:
    ctx = BuildContext(ctx.root, ctx.output, Cache(Path(empty)), fonts=ctx.fonts)
    t = time.perf_counter()
    for spec in specs:
        charts.draw(spec, ctx)
    print(len(specs), (time.perf_counter() - t) / len(specs), imported)
"""


def chart_time(project: Path) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, "-c", _CHARTS, str(project), str(Path(__file__).parent)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


# --- the same content for pandoc and typst ------------------------------------------------
def load_edition(project: Path, edition: str):
    """(the edition as the writers get it, the build context)."""
    from builder.analysis.usage import latest_year
    from builder.build import read_editions
    from builder.context import BuildContext, Fonts
    from builder.fonts import chart_font_family
    from builder.readers.project import load_project
    ctx = BuildContext.for_folder(project, fonts=Fonts(tuple(chart_font_family())))
    loaded = load_project(project, ctx.cache)
    return read_editions(loaded, [edition], latest_year(loaded, ctx.cache), ctx, lambda msg: None)[0], ctx


def time_pandoc(markdown: str, folder: Path) -> tuple[float, int] | str:
    if not (shutil.which("pandoc") and shutil.which("xelatex")):
        return "skipped: pandoc and xelatex are not both installed"
    src, pdf = folder / "report.md", folder / "pandoc.pdf"
    src.write_text(markdown, encoding="utf-8")
    cmd = ["pandoc", src, "-f", "markdown", "-o", pdf, "--pdf-engine=xelatex", "--toc",
           "-V", "CJKmainfont=Noto Serif CJK SC", "-V", "mainfont=Liberation Serif",
           "-V", "papersize=a4", "-V", "geometry:margin=25mm", "-V", "documentclass=report"]
    return statistics.median(measure(cmd, cwd=folder)[0] for _ in range(ROUNDS)), pdf_pages(pdf)


def typst_command() -> list[str] | None:
    if shutil.which("typst"):
        return ["typst", "compile", "--root", "/"]   # the charts have absolute paths
    try:
        import typst  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root='/')"]


def time_typst(markup: str, folder: Path, name: str) -> tuple[float, int] | str:
    cmd = typst_command()
    if cmd is None:
        return "skipped: neither the typst command nor the typst Python module is installed"
    src, pdf = folder / f"{name}.typ", folder / f"{name}.pdf"
    src.write_text(markup, encoding="utf-8")
    seconds = statistics.median(measure([*cmd, src, pdf], cwd=folder)[0] for _ in range(ROUNDS))
    return seconds, pdf_pages(pdf)


# --- the run --------------------------------------------------------------------------------
def other_rebuilds(work: Path, say) -> None:
    """The zh PDF with nothing changed, after an edit adding a page or two, after one adding a new character."""
    unchanged = statistics.median(measure(report_cmd(work, "-e", "zh", "-f", "pdf"))[0] for _ in range(ROUNDS))
    say(f"rebuild with nothing changed, zh PDF: {unchanged:.2f} s (median of {ROUNDS})")
    third = chapter_files(work, "zh")[2]
    text = third.read_text(encoding="utf-8")   # (put back after: the comparisons read the report)
    paged = rebuilds(work, "zh", [""] * ROUNDS, copies=6)
    third.write_text(text, encoding="utf-8")
    say(f"warm rebuild after an edit adding a page or two, zh PDF: {paged:.2f} s (median of {ROUNDS}; its chapter "
        "and the contents laid out, the later chapters' pages numbered anew)")
    new_char = rebuilds(work, "zh", NEW_CHARS[:ROUNDS])
    say(f"warm rebuild after an edit adding a character never used before, zh PDF: {new_char:.2f} s "
        f"(median of {ROUNDS}; CJK subsets made again with its glyph, only its chapter laid out)")


def run(project: Path, scaling: bool, compare: bool) -> None:
    say = lambda line="": print(line, flush=True)   # noqa: E731
    say(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        work = copy_project(project, Path(tmp) / "report")
        out = work / "output"
        colds = [measure(report_cmd(work), env={timing.VARIABLE: str(Path(tmp) / "timings.tsv")})] + [
            measure(report_cmd(copy_project(project, Path(tmp) / f"cold{i}"))) for i in range(1, ROUNDS)]
        cold, cold_mb = statistics.median(s for s, _ in colds), max(mb for _, mb in colds)
        pages = {e: pdf_pages(next(out.glob(f"report-*-{e}.pdf"))) for e in ("zh", "en", "bilingual")}
        say(f"cold build, 6 files ({', '.join(f'{e} {n} p.' for e, n in pages.items())}): "
            f"{cold:.2f} s (median of {ROUNDS}), peak {cold_mb:.0f} MB")
        say("\n".join(where_time_goes(Path(tmp) / "timings.tsv")))

        warm = {}
        for edition in ("zh", "bilingual"):
            warm[edition] = rebuilds(work, edition, [""] * ROUNDS)
            say(f"warm rebuild after a one-paragraph edit, {edition} PDF: {warm[edition]:.2f} s (median of {ROUNDS})")
        watched = {}
        for edition in ("zh", "bilingual"):
            watched[edition] = watch_rebuilds(work, edition, ROUNDS)
            result = watched[edition] if isinstance(watched[edition], str) else f"{watched[edition]:.2f} s"
            say(f"report watch, one-paragraph edit saved -> {edition} PDF written: {result} (median of {ROUNDS})")
        other_rebuilds(work, say)

        n, per_chart, imported = chart_time(work)
        say(f"charts: {n} in the zh edition, {per_chart * 1000:.0f} ms each "
            f"(after {imported:.2f} s to import matplotlib)")

        if scaling:
            big = copy_project(project, Path(tmp) / "report10")
            multiply_content(big, 10)
            big_time, big_mb = measure(report_cmd(big))
            big_pages = pdf_pages(next((big / "output").glob("report-*-bilingual.pdf")))
            say(f"10x content (bilingual {big_pages} p.), cold, 6 files: {big_time:.2f} s = "
                f"{big_time / cold:.1f}x the time, peak {big_mb:.0f} MB")

        if compare:
            folder = Path(tmp) / "compare"
            folder.mkdir()
            reports = {e: load_edition(work, e) for e in ("zh", "bilingual")}
            result = time_pandoc(to_markdown(*reports["bilingual"]), folder)
            if isinstance(result, str):
                say(f"pandoc + xelatex: {result}")
            else:
                say(f"pandoc + xelatex, bilingual PDF ({result[1]} p.): {result[0]:.2f} s (median of {ROUNDS}); "
                    f"cold build of 6 files / it = {cold / result[0]:.2f}")
            for edition in ("zh", "bilingual"):
                result = time_typst(to_typst(*reports[edition]), folder, edition)
                if isinstance(result, str):
                    say(f"typst: {result}")
                    break
                ratio = "" if isinstance(watched[edition], str) else \
                    f", report watch / it = {watched[edition] / result[0]:.2f}"
                say(f"typst, {edition} PDF ({result[1]} p.): {result[0]:.2f} s (median of {ROUNDS}); "
                    f"warm {edition} rebuild / it = {warm[edition] / result[0]:.2f}{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m builder.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="report folder (default: this one)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the 10x content run")
    parser.add_argument("--no-compare", action="store_true", help="skip pandoc and typst")
    args = parser.parse_args()
    run(args.project.resolve(), not args.no_scaling, not args.no_compare)


if __name__ == "__main__":
    main()
