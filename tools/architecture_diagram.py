#!/usr/bin/env python3
"""Print the package diagram of ARCHITECTURE.md (Mermaid), computed from the real imports.

    .venv/bin/python tools/architecture_diagram.py            # print it
    .venv/bin/python tools/architecture_diagram.py --write    # replace it in ARCHITECTURE.md

Nodes are the top-level packages (layers); an arrow A --> B means some module of A imports
some module of B. Below it, the feature folders of services/, ui/ and office/.
tests/test_architecture.py fails when ARCHITECTURE.md shows another diagram than this prints,
so the picture stays true.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "ARCHITECTURE.md"
BEGIN, END = "<!-- diagram:begin -->", "<!-- diagram:end -->"
PACKAGE = "ietp_desktop"
SPLIT = ("services", "ui", "office")  # layers shown by feature folder
HIDDEN = {"__main__"}


def node_of(module: str) -> str | None:
    parts = module.split(".")[1:]
    return parts[0] if parts and parts[0] not in HIDDEN else None


def edges(graph: grimp.ImportGraph) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for module in graph.modules:
        source = node_of(module)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = node_of(imported) if imported.startswith(f"{PACKAGE}.") else None
            if target and target != source:
                found.add((source, target))
    return found


def features(graph: grimp.ImportGraph) -> list[str]:
    """One line per layer split by feature: its feature folders and their modules."""
    lines = []
    for layer in SPLIT:
        folders: dict[str, list[str]] = {}
        for module in sorted(graph.modules):
            parts = module.split(".")
            if len(parts) == 4 and parts[1] == layer and parts[3] != "__init__":
                folders.setdefault(parts[2], []).append(parts[3])
        lines.append(f"- `{layer}/`")
        lines += [f"  - `{name}/`: {', '.join(mods)}" for name, mods in sorted(folders.items())]
    return lines


def diagram() -> str:
    graph = grimp.build_graph(PACKAGE)
    found = edges(graph)
    lines = ["```mermaid", "flowchart TD"]
    lines += [f"  {source} --> {target}" for source, target in sorted(found)]
    lines += ["```", "", "Feature folders (module names without .py):", "", *features(graph)]
    return "\n".join(lines)


def main() -> int:
    text = diagram()
    if "--write" in sys.argv:
        doc = DOC.read_text(encoding="utf-8")
        start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        DOC.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
