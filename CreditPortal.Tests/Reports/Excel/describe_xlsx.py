"""Describes an .xlsx as JSON, read with openpyxl: independent of the C# code that wrote it.

Usage: /usr/bin/python3 describe_xlsx.py FILE [MAX_ROWS_PER_SHEET]
Prints: sheets (name, frozen pane, auto-filter, column widths, cells) as openpyxl loads them, and
from the raw XML the workbook's defined names and each worksheet's number of <f> (formula) elements.
"""
import datetime
import json
import sys
import warnings
import zipfile
import xml.etree.ElementTree as ET

import openpyxl

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def cell_value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return value


def describe(path, max_rows):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(max_row=min(ws.max_row, max_rows)):
            rows.append([
                {
                    "ref": c.coordinate,
                    "python_type": type(c.value).__name__,
                    "data_type": c.data_type,
                    "number_format": c.number_format,
                    "value": cell_value(c.value),
                    "bold": bool(c.font.b),
                    "quote_prefix": bool(c.quotePrefix),
                }
                for c in row
            ])
        sheets.append({
            "name": ws.title,
            "freeze_panes": ws.freeze_panes,
            "auto_filter": ws.auto_filter.ref,
            "max_row": ws.max_row,
            "max_column": ws.max_column,
            "column_widths": {key: dim.width for key, dim in sorted(ws.column_dimensions.items()) if dim.customWidth},
            "rows": rows,
        })
    formulas = {}
    with zipfile.ZipFile(path) as z:
        bad_entry = z.testzip()
        # openpyxl drops _xlnm._FilterDatabase on load, so the names come from the raw workbook.xml.
        with z.open("xl/workbook.xml") as f:
            defined_names = [
                {
                    "name": d.get("name"),
                    "local_sheet_id": int(d.get("localSheetId")) if d.get("localSheetId") is not None else None,
                    "hidden": d.get("hidden") in ("1", "true"),
                    "value": d.text,
                }
                for d in ET.parse(f).getroot().iter(MAIN_NS + "definedName")
            ]
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with z.open(name) as f:
                    formulas[name] = sum(1 for _ in ET.parse(f).getroot().iter(MAIN_NS + "f"))
    return {
        "sheets": sheets,
        "defined_names": defined_names,
        "formula_elements": formulas,
        "zip_crc_error": bad_entry,
        "warnings": [str(w.message) for w in caught],
    }


if __name__ == "__main__":
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(json.dumps(describe(sys.argv[1], limit)))
