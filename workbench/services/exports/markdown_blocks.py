"""Markdown (a policy's text) as document blocks, parsed by markdown-it-py (CommonMark plus tables).

Inline markup is dropped and its text kept; raw HTML and character references are not interpreted, so what the
author typed (`<b>`, `&amp;`, `=HYPERLINK(...)`) reaches the document literally, as the writers' plain text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from workbench.domain.documents import Block, BulletList, Heading, Paragraph, Table

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table").disable("entity")
_NESTED = "– "  # how an item of a list inside a list item is set apart in the flat lists a document holds


def _inline(node: SyntaxTreeNode) -> str:
    """Return the plain text of an inline node: the text of its children, breaks as spaces or new lines."""
    parts: list[str] = []
    for child in node.children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)  # its alternative text
        else:
            parts.append(_inline(child))
    return "".join(parts)


def _text(node: SyntaxTreeNode) -> str:
    """Return the plain text of a block node (its inline children joined; nested lists left out)."""
    if node.type == "inline":
        return _inline(node)
    if node.type in ("code_block", "fence"):
        return node.content.rstrip("\n")
    return " ".join(_text(child) for child in node.children if child.type not in ("bullet_list", "ordered_list"))


def _items(node: SyntaxTreeNode, depth: int = 0) -> list[str]:
    """Return a list's items as lines, the items of lists inside an item following it, set apart."""
    lines: list[str] = []
    for item in node.children:
        lines.append(_NESTED * depth + _text(item).strip())
        for child in item.children:
            if child.type in ("bullet_list", "ordered_list"):
                lines += _items(child, depth + 1)
    return lines


def _list(node: SyntaxTreeNode) -> list[Block]:
    """Return a list as a BulletList; a numbered list continuing an earlier one keeps its numbers in its text."""
    items = _items(node)
    start = int(str(node.attrs.get("start", 1)))
    if node.type == "ordered_list" and start != 1:
        return [Paragraph(f"{start + n}. {text}") if not text.startswith(_NESTED) else Paragraph(text)
                for n, text in enumerate(items)]
    return [BulletList(tuple(items), node.type == "ordered_list")]


def _table(node: SyntaxTreeNode) -> Table:
    """Return a Markdown table as a Table (its first row the header)."""
    rows = [tuple(_text(cell) for cell in row.children) for section in node.children for row in section.children]
    header, body = rows[0], rows[1:]
    return Table(header, tuple(row + ("",) * (len(header) - len(row)) for row in body))


def _blocks(nodes: list[SyntaxTreeNode]) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        if node.type == "heading":
            blocks.append(Heading(_text(node), min(int(node.tag[1:]), 3)))
        elif node.type in ("bullet_list", "ordered_list"):
            blocks += _list(node)
        elif node.type == "table":
            blocks.append(_table(node))
        elif node.type == "blockquote":
            blocks += _blocks(node.children)
        elif node.type in ("paragraph", "code_block", "fence", "html_block"):
            text = _text(node) if node.type != "html_block" else node.content.rstrip("\n")
            if text.strip():
                blocks.append(Paragraph(text))
    return blocks


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """Return Markdown text as headings (levels 1-3), paragraphs, bulleted and numbered lists and tables."""
    return tuple(_blocks(SyntaxTreeNode(_PARSER.parse(text)).children))
