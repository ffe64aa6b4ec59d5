"""Export an executed report notebook to the files people read: HTML and PDF.

The HTML is one self-contained file (no code, images embedded, nothing fetched from the
network) with a table of contents made from the section headings; the PDF is that HTML
rendered by WeasyPrint on A4 with page numbers. The exporter and the fonts are made once per
process and reused for every report.
"""

from __future__ import annotations

import re
from pathlib import Path

TOC_MARKER = "<!--inhoudstafel-->"


_EXPORTER = None
_FONTS = None


def export_html(notebook: Path, html_path: Path, language: str = "nl", title: str = "") -> None:
    """Export an executed notebook to one self-contained HTML file: no code, images embedded,
    a table of contents from the section headings, nothing fetched from the network."""
    global _EXPORTER
    import nbformat

    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        templates = Path(__file__).resolve().parent / "templates"
        _EXPORTER = HTMLExporter(
            template_name="rapport",
            extra_template_basedirs=[str(templates)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title
    _EXPORTER.language_code = language  # the <html lang> attribute
    body, _ = _EXPORTER.from_notebook_node(nb)
    html_path.write_text(add_table_of_contents(body, language), encoding="utf-8")


def add_table_of_contents(body: str, language: str = "nl") -> str:
    """Replace the header's marker with links to every h2 section."""
    if TOC_MARKER not in body:
        return body
    sections = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', body)
    if not sections:
        return body.replace(TOC_MARKER, "")
    label = "Inhoud" if language == "nl" else "Contents"
    items = "".join(f'<li><a href="#{anchor}">{text}</a></li>' for anchor, text in sections)
    nav = (
        f'<nav class="inhoud" aria-label="{label}"><p class="inhoud-titel">{label}</p>'
        f"<ol>{items}</ol></nav>"
    )
    return body.replace(TOC_MARKER, nav, 1)


# WeasyPrint's extra stylesheets count as the user's, below the document's own: hence !important
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-right { content: counter(page) " / " counter(pages);
                        font-size: 8pt; color: #555; } }
body.jp-Notebook, main { max-width: none !important; padding: 0 !important; margin: 0 !important; }
.jp-Cell, .jp-OutputArea-output { padding: 0 !important; margin: 0 !important; }
header.rapport-kop h1 { margin-top: 0 !important; font-size: 18pt !important; }
.jp-RenderedHTMLCommon { font-size: 9pt !important; line-height: 1.35 !important; }
.jp-RenderedHTMLCommon h2 { font-size: 13pt !important; margin: 9pt 0 3pt !important; }
.jp-RenderedHTMLCommon p { margin: 2pt 0 4pt !important; }
.jp-RenderedHTMLCommon table.rapport-tabel td,
.jp-RenderedHTMLCommon table.rapport-tabel th { padding: 1.5pt 4pt !important; }
.waarschuwing { padding: 3pt 6pt !important; }
.rapport-tabel { font-size: 8pt !important; width: 100% !important; table-layout: auto !important; }
.rapport-tabel td, .rapport-tabel th { word-break: break-word !important; }
figure, .tabel-blok tr, header.rapport-kop { break-inside: avoid !important; }
img { height: auto; }  /* widths: the template and the figure itself */
h2 { break-after: avoid !important; }
"""


def export_pdf(html_path: Path, pdf_path: Path) -> None:
    """Render the HTML report to PDF with WeasyPrint (A4, page numbers, tables wrapped)."""
    global _FONTS
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if _FONTS is None:
        _FONTS = FontConfiguration()
    page = _without_sibling_links(Path(html_path).read_text(encoding="utf-8"))
    HTML(string=page, base_url=str(html_path)).write_pdf(
        str(pdf_path), stylesheets=[CSS(string=PRINT_CSS, font_config=_FONTS)], font_config=_FONTS
    )


def _without_sibling_links(page: str) -> str:
    """The HTML with links to files beside the report's folder ("../themakiezer.html") made
    plain text: WeasyPrint would turn them into this machine's absolute file:// paths, which
    a mailed PDF must not hold (the sentence around the link names the file)."""
    return re.sub(r'<a\s+([^>]*?)href="\.\./[^"]*"', r"<a \1", page)
