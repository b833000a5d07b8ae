"""import-linter contract types of our own (pyproject.toml names them): an area's public face, and no cycles.

`public_face`: code outside an area package (say services.rotation) may import the package itself and the modules
its `__init__` lists in `__all__`, nothing else of it. `acyclic_modules`: no module under the given packages takes
part in an import cycle, however long (lazy imports inside functions count too: grimp sees them)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import grimp
from importlinter import Contract, ContractCheck, fields, output


class PublicFaceContract(Contract):
    """Other code reaches into an area only through what the area's `__init__` declares public."""

    type_name = 'public_face'
    areas = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        broken: list[str] = []
        for area in self.areas:  # type: ignore[attr-defined]
            public = {area} | {f'{area}.{name}' for name in _declared(area)}
            for module in graph.find_descendants(area):
                if module in public:
                    continue
                for importer in graph.find_modules_that_directly_import(module):
                    if importer != area and not importer.startswith(area + '.'):
                        broken.append(f'{importer} imports {module}, which {area}/__init__.py does not list in __all__')
        return ContractCheck(kept=not broken, metadata={'broken': sorted(broken)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata['broken']:
            output.print_error(line, bold=False)
            output.new_line()


class AcyclicModulesContract(Contract):
    """No import cycle among the modules of these packages."""

    type_name = 'acyclic_modules'
    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        modules = set().union(*({p} | graph.find_descendants(p) for p in self.packages))  # type: ignore[attr-defined]
        cycles: list[str] = []
        for importer in sorted(modules):
            for imported in sorted(graph.find_modules_directly_imported_by(importer) & modules):
                back = graph.find_shortest_chain(importer=imported, imported=importer)
                if back:
                    cycles.append(' -> '.join((importer, *back)))
        return ContractCheck(kept=not cycles, metadata={'cycles': cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata['cycles']:
            output.print_error(line, bold=False)
            output.new_line()


def _declared(package: str) -> list[str]:
    """The names in a package's `__all__`, read from its source (nothing is imported)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return []
    for node in ast.parse(Path(spec.origin).read_text(encoding='utf-8')).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == '__all__' for t in node.targets):
            return [e.value for e in getattr(node.value, 'elts', []) if isinstance(e, ast.Constant)]
    return []
