"""Generate the documentation site's table pages from the schemas and the metadata.

Each table has a page ``docs/tables/<name>.md``: its title, description, source, licence,
size and checksum, and a data dictionary with every column's dtype, unit, description and
rules. ``docs/tables/index.md`` lists the tables. The pages are never edited by hand;
regenerate them from the repository's root with::

    python tools/table_pages.py

``tests/test_site.py`` checks that the committed pages equal what this module renders.

``mkdocs.yml`` also loads this file as a hook: :func:`on_page_content` renders the
docstrings' reStructuredText roles as code. This file is build tooling: it reads the
package's public API only, and does not ship in the wheel.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import unodc_metrics as um
from unodc_metrics.schemas import FigureTable, rules_of, schema_for

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = ["main", "on_page_content", "pages", "render_table_page", "render_tables_index"]

DEFAULT_DIR = Path("docs") / "tables"
"""Where :func:`main` writes the pages, relative to the repository's root."""

REGENERATE = "python tools/table_pages.py"
"""The command that regenerates the pages, as their header says."""

_HEADER = (
    f"<!-- Generated from the schemas and metadata: {REGENERATE} -->\n"
    "<!-- Do not edit by hand; tests/test_site.py checks that this page is current. -->\n"
)

_KINDS = {
    "figures": "figures: the report's numbers, one row per figure",
    "registry": "registry: codes that the figure tables refer to",
    "reference": "reference: data from outside the report",
}


def _cell(text: object) -> str:
    """Text fit for one cell of a Markdown table: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: object) -> str:
    return f"`{text}`"


def _prose(docstring: str | None) -> str:
    """The body of a class docstring, as Markdown.

    The summary line is left out: the metadata's description says the same. The rest is
    dedented, and reStructuredText roles become code.
    """
    import inspect

    text = inspect.cleandoc(docstring or "").partition("\n\n")[2].strip()
    # :class:`x`, :data:`x`, :func:`x` -> `x`
    return re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", text)


def _dtype(dtype: object) -> str:
    """A column's dtype, named the same whatever pandas' default string storage is."""
    text = str(dtype)
    if text.startswith("string"):
        return "string"
    if text.startswith("datetime64"):
        return "datetime64"
    return text


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check_text(check: Any) -> str:
    """One column check, in words."""
    stats: dict[str, Any] = dict(check.statistics or {})
    name = str(check.name)
    if name == "greater_than_or_equal_to":
        return f"at least {_number(stats['min_value'])}"
    if name == "less_than_or_equal_to":
        return f"at most {_number(stats['max_value'])}"
    if name == "greater_than":
        return f"more than {_number(stats['min_value'])}"
    if name == "less_than":
        return f"less than {_number(stats['max_value'])}"
    if name == "in_range":
        return f"between {_number(stats['min_value'])} and {_number(stats['max_value'])}"
    if name == "isin":
        return "one of " + ", ".join(_code(v) for v in stats["allowed_values"])
    if name == "str_matches":
        return f"matches {_code(stats['pattern'])}"
    if name == "str_length":
        low, high = stats.get("min_value"), stats.get("max_value")
        if low == 1 and high is None:
            return "not empty"
        return f"length {low} to {high}"
    return str(check.error or name)


class _Rule(NamedTuple):
    """A rule across columns as the page shows it: its stable id, message and columns."""

    id: str
    message: str
    columns: tuple[str, ...]


def _rules(model: type[pa.DataFrameModel]) -> list[_Rule]:
    """The table's rules across columns, then one per combination of columns that is unique.

    The rules that every figure table shares come first, in ``FigureTable``'s order, then
    the table's own, in the schema's order. The id is the one a failure's ``rule`` column
    carries.
    """
    own = rules_of(model)
    shared = rules_of(FigureTable) if issubclass(model, FigureTable) else ()
    ordered = [r for r in shared if r in own] + [r for r in own if r not in shared]
    out = [_Rule(r.id, r.message, tuple(r.columns)) for r in ordered]
    for columns in _unique_sets(model.to_schema()):
        cols = ", ".join(_code(c) for c in columns)
        message = f"each combination of {cols} must be unique"
        out.append(_Rule("multiple_fields_uniqueness", message, columns))
    return out


def _unique_sets(schema: Any) -> list[tuple[str, ...]]:
    unique = schema.unique
    if not unique:
        return []
    if isinstance(unique, str):
        return [(unique,)]
    if all(isinstance(u, str) for u in unique):
        return [tuple(unique)]
    return [tuple(u) for u in unique]


def _source_text(source: um.Citation | str) -> str:
    return source.text() if isinstance(source, um.Citation) else source


def _table_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _about(name: str, meta: um.TableMetadata, model: type[pa.DataFrameModel]) -> list[str]:
    """The page's title, description, facts, example, source and limits."""
    shape = um.load(name).shape
    lines = [f"# {meta.title} (`{name}`)", "", _HEADER, meta.description, ""]
    doc = _prose(model.__doc__)
    if doc:
        lines += [doc, ""]
    lines += [
        f"- **Kind:** {_KINDS.get(meta.kind, meta.kind)}",
        f"- **Size:** {shape[0]} rows, {shape[1]} columns",
        f"- **Schema:** `unodc_metrics.schemas.{model.__name__}`",
        f"- **File:** `{meta.file}`, in the package's data folder (`datasets/` in the repository)",
        f"- **SHA-256:** `{meta.sha256}`",
        f"- **Licence:** {meta.licence}",
        "",
        "```pycon",
        ">>> import unodc_metrics as um",
        f'>>> df = um.load("{name}")',
        ">>> df.shape",
        f"{shape!r}",
        "",
        "```",
        "",
        "## Source",
        "",
        _source_text(meta.source),
        "",
        meta.source_note,
        "",
    ]
    if meta.limits:
        lines += [
            "## Limits",
            "",
            "What the table cannot tell; carry it with any figure built from it.",
            "",
        ]
        lines += [f"- {limit}" for limit in meta.limits]
        lines.append("")
    return lines


def _dictionary(meta: um.TableMetadata, schema: Any, rules: list[_Rule]) -> list[str]:
    """The data dictionary: one line per column, with its checks and the rules that read it."""
    by_column: dict[str, list[int]] = {}
    for number, rule in enumerate(rules, start=1):
        for column in rule.columns:
            by_column.setdefault(column, []).append(number)
    rows = []
    for column, spec in schema.columns.items():
        checks = [_check_text(c) for c in spec.checks]
        if spec.unique:
            checks.append("unique")
        numbers = by_column.get(column, [])
        if numbers:
            label = "rule" if len(numbers) == 1 else "rules"
            checks.append(f"{label} " + ", ".join(str(n) for n in numbers))
        rows.append(
            [
                _code(column),
                _dtype(spec.dtype),
                "yes" if spec.nullable else "no",
                meta.units.get(column, ""),
                spec.description or "",
                "; ".join(checks),
            ]
        )
    lines = ["## Data dictionary", ""]
    strictness = []
    if schema.strict:
        strictness.append("no other column is allowed")
    if schema.ordered:
        strictness.append("the columns come in this order")
    if strictness:
        lines += ["The schema is strict: " + " and ".join(strictness) + ".", ""]
    lines += _table_rows(["Column", "Dtype", "Nullable", "Unit", "Description", "Rules"], rows)
    lines.append("")
    return lines


def _rule_lines(name: str, rules: list[_Rule]) -> list[str]:
    """The numbered rules across columns, each with its id, message and columns."""
    if not rules:
        return []
    lines = [
        "## Rules across columns",
        "",
        '`unodc_metrics.validate(df, table="' + name + '")` checks each of these, and '
        "reports a failure against the columns it reads, with the rule's id in its `rule` "
        "column.",
        "",
    ]
    for number, rule in enumerate(rules, start=1):
        cols = ", ".join(_code(c) for c in rule.columns)
        lines.append(f"{number}. {_code(rule.id)}: {rule.message} ({cols}).")
    lines.append("")
    return lines


def render_table_page(name: str) -> str:
    """Render the Markdown page of one table, from its schema and its metadata.

    Args:
        name: A table name, one of ``unodc_metrics.TABLES``.

    Returns:
        The page's text, ending with a newline. The same inputs give the same text.

    Raises:
        LookupError: If there is no such table.

    Examples:
        >>> page = render_table_page("arrests")
        >>> page.splitlines()[0]
        '# Suspects arrested (`arrests`)'
        >>> "| `value` | Int64 | no | persons |" in page
        True
    """
    meta = um.metadata(name)
    model = schema_for(name)
    schema = model.to_schema()
    rules = _rules(model)
    lines = _about(name, meta, model) + _dictionary(meta, schema, rules) + _rule_lines(name, rules)
    return "\n".join(lines)


def render_tables_index() -> str:
    """Render ``docs/tables/index.md``: one line per table, linking to its page.

    Returns:
        The page's text, ending with a newline.

    Examples:
        >>> "[`parties`](parties.md)" in render_tables_index()
        True
    """
    lines = [
        "# Tables",
        "",
        _HEADER,
        "Every table has a pandera schema in `unodc_metrics.schemas` and a metadata record "
        "(`unodc_metrics.metadata(name)`). Each page below is generated from them, with a data "
        "dictionary of the table's columns and the rules that `unodc_metrics.validate` checks.",
        "",
    ]
    rows = []
    for name in um.TABLES:
        meta = um.metadata(name)
        rows.append([f"[`{name}`]({name}.md)", meta.kind, str(len(um.load(name))), meta.title])
    lines += _table_rows(["Table", "Kind", "Rows", "Title"], rows)
    lines.append("")
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """Every generated page, by file name inside ``docs/tables/``.

    Returns:
        ``index.md`` and one ``<name>.md`` per table, in the order of ``unodc_metrics.TABLES``.
    """
    out = {"index.md": render_tables_index()}
    for name in um.TABLES:
        out[f"{name}.md"] = render_table_page(name)
    return out


_ROLE_HTML = re.compile(r":(?:func|meth|class|data|attr|mod|obj|exc):<code>(~?)([^<]*)</code>")


def on_page_content(html: str, **kwargs: Any) -> str:
    """MkDocs hook: render the docstrings' reStructuredText roles as code.

    The docstrings write ``:func:`load``` as Sphinx would; mkdocstrings leaves the role in
    the page. Here ``:func:<code>load</code>`` becomes ``<code>load</code>``, and, as in
    Sphinx, a leading ``~`` keeps only the last part of a dotted name. ``mkdocs.yml`` lists
    this file under ``hooks``.

    Args:
        html: A page's HTML, as Markdown rendered it.
        **kwargs: The page, the configuration and the files, unused.

    Returns:
        The HTML with the roles removed.

    Examples:
        >>> on_page_content("see :func:<code>load</code> and :class:<code>~a.B</code>")
        'see <code>load</code> and <code>B</code>'
    """

    def code(match: re.Match[str]) -> str:
        short, name = match.groups()
        return f"<code>{name.rsplit('.', 1)[-1] if short else name}</code>"

    return _ROLE_HTML.sub(code, html)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the table pages into a folder, ``docs/tables`` by default.

    Markdown files in the folder that are no longer generated are removed.

    Args:
        argv: The command line's arguments: an optional folder.

    Returns:
        The exit status: 0, or 2 when no folder is given and the current directory is not
        the repository's root.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not args and not Path("mkdocs.yml").is_file():
        print(
            "run this from the repository's root (where mkdocs.yml is), or name the folder",
            file=sys.stderr,
        )
        return 2
    folder = Path(args[0]) if args else DEFAULT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    rendered = pages()
    for stale in sorted(folder.glob("*.md")):
        if stale.name not in rendered:
            stale.unlink()
            print(f"removed {stale}")
    for file_name, text in rendered.items():
        path = folder / file_name
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
