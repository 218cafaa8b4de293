"""A tiny structured report rendered to Markdown, HTML and reStructuredText."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import html


class Report:
    """Headings, paragraphs, tables and figures, written once, rendered thrice.

    The ``reproduce`` command builds one Report and writes ``report.md``,
    ``report.html`` and ``report.rst`` (the last is included by the docs), so
    every format shows the same measured numbers.
    """

    def __init__(self, title):
        self.title = title
        self.blocks = []

    def heading(self, text, level=2):
        self.blocks.append(("heading", level, text))

    def paragraph(self, text):
        self.blocks.append(("paragraph", text))

    def table(self, header, rows, caption=None):
        rows = [[_cell(v) for v in row] for row in rows]
        self.blocks.append(("table", [str(h) for h in header], rows, caption))

    def figure(self, path, caption):
        self.blocks.append(("figure", path, caption))

    def to_markdown(self):
        out = [f"# {self.title}", ""]
        for block in self.blocks:
            kind = block[0]
            if kind == "heading":
                out += ["#" * block[1] + " " + block[2], ""]
            elif kind == "paragraph":
                out += [block[1], ""]
            elif kind == "table":
                _, header, rows, caption = block
                if caption:
                    out += [f"*{caption}*", ""]
                out.append("| " + " | ".join(header) + " |")
                out.append("|" + "---|" * len(header))
                out += ["| " + " | ".join(row) + " |" for row in rows]
                out.append("")
            else:
                out += [f"![{block[2]}]({block[1]})", "", f"*{block[2]}*", ""]
        return "\n".join(out)

    def to_html(self):
        esc = html.escape
        out = [
            "<!DOCTYPE html>",
            f"<html><head><meta charset='utf-8'><title>{esc(self.title)}</title>",
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
            "table{border-collapse:collapse}td,th{border:1px solid #999;"
            "padding:2px 6px}img{max-width:100%}</style></head><body>",
            f"<h1>{esc(self.title)}</h1>",
        ]
        for block in self.blocks:
            kind = block[0]
            if kind == "heading":
                out.append(f"<h{block[1]}>{esc(block[2])}</h{block[1]}>")
            elif kind == "paragraph":
                out.append(f"<p>{esc(block[1])}</p>")
            elif kind == "table":
                _, header, rows, caption = block
                out.append("<table>")
                if caption:
                    out.append(f"<caption>{esc(caption)}</caption>")
                out.append(
                    "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>"
                )
                for row in rows:
                    out.append(
                        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                    )
                out.append("</table>")
            else:
                out.append(
                    f"<figure><img src='{esc(block[1])}' alt='{esc(block[2])}'>"
                    f"<figcaption>{esc(block[2])}</figcaption></figure>"
                )
        out.append("</body></html>")
        return "\n".join(out)

    def to_rst(self, image_prefix=""):
        marks = {2: "-", 3: "~", 4: "^"}
        out = []
        for block in self.blocks:
            kind = block[0]
            if kind == "heading":
                text = block[2]
                out += [text, marks.get(block[1], "^") * len(text), ""]
            elif kind == "paragraph":
                out += [block[1], ""]
            elif kind == "table":
                _, header, rows, caption = block
                out += [
                    f".. list-table:: {caption or ''}".rstrip(),
                    "   :header-rows: 1",
                    "",
                ]
                for row in [header, *rows]:
                    out.append("   * - " + _rst_cell(row[0]))
                    out += ["     - " + _rst_cell(c) for c in row[1:]]
                out.append("")
            else:
                out += [
                    f".. figure:: {image_prefix}{block[1]}",
                    "   :width: 90%",
                    "",
                    f"   {block[2]}",
                    "",
                ]
        return "\n".join(out)


def _cell(value):
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _rst_cell(text):
    return text if text else "\\ "
