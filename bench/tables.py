"""Tables printed (rich) and kept to be written as markdown (results.md), and the formats of
their figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.table import Table

from bench.common import console


@dataclass
class Results:
    """Every table printed, kept to be written as markdown."""

    sections: list[tuple[str, list[str], list[list[str]], str]] = field(default_factory=list)

    def table(self, title: str, columns: list[str], rows: list[list[str]], note: str = "") -> None:
        table = Table(*columns, title=title, title_justify="left")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        if note:
            console.print(f"[dim]{note}[/dim]")
        self.sections.append((title, columns, rows, note))

    def markdown(self) -> str:
        out = []
        for title, columns, rows, note in self.sections:
            out += [
                f"### {title}",
                "",
                "| " + " | ".join(columns) + " |",
                "|" + "---|" * len(columns),
            ]
            out += ["| " + " | ".join(row) + " |" for row in rows]
            out += ["", note, ""] if note else [""]
        return "\n".join(out)


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline else "-"


def rate(value: float) -> str:
    return f"{value:,.0f}/s"


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"
