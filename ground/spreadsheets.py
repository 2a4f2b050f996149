"""Admin import/export formats that never write a live formula and read back what they wrote.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice (``=HYPERLINK(...)``, ``-2+3+cmd|...``), so such text is
exported with a leading apostrophe, as the API's CSV does (``ground.renderers.neutralise``,
OWASP's advice), and in XLSX it is a text cell. Importing strips that apostrophe again,
so an export edited and re-imported round-trips exactly.

Not django-import-export's ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``: it deletes the
``=`` (changing the data), ignores the other prefixes and writes empty cells as "None".
"""

from __future__ import annotations

from import_export.formats.base_formats import CSV, XLSX

from .renderers import FORMULA_PREFIXES, neutralise


def _escape(dataset):
    for index, row in enumerate(dataset):
        dataset[index] = [neutralise(cell) if isinstance(cell, str) else cell for cell in row]
    return dataset


def _unescape_cell(cell):
    if isinstance(cell, str) and cell.startswith("'") and cell[1:2] and cell[1].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def _unescape(dataset):
    for index, row in enumerate(dataset):
        dataset[index] = [_unescape_cell(cell) for cell in row]
    return dataset


class FormulaSafeCSV(CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_escape(dataset), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _unescape(super().create_dataset(in_stream, **kwargs))


class FormulaSafeXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_escape(dataset), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _unescape(super().create_dataset(in_stream, **kwargs))
