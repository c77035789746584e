"""Writes a Polyglot (.NET Interactive, C#) .ipynb from a simple cell list; used to author notebooks/.

Usage: python3 tools/make_notebook.py SPEC.py OUT.ipynb, where SPEC.py defines CELLS = [("md"|"cs", text), ...].
"""
import json, runpy, sys

def cell(kind, text):
    lines = text.strip("\n").splitlines(keepends=True)
    if kind == "md":
        return {"cell_type": "markdown", "metadata": {}, "source": lines}
    return {"cell_type": "code", "execution_count": None,
            "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}},
            "outputs": [], "source": lines}

def notebook(cells):
    return {"cells": [cell(k, t) for k, t in cells],
            "metadata": {
                "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
                "language_info": {"file_extension": ".cs", "mimetype": "text/x-csharp", "name": "C#", "pygments_lexer": "csharp", "version": "13.0"},
                "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}}},
            "nbformat": 4, "nbformat_minor": 5}

if __name__ == "__main__":
    spec = runpy.run_path(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(notebook(spec["CELLS"]), f, indent=1, ensure_ascii=False)
        f.write("\n")
