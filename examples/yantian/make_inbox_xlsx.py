"""Regenerates inbox/2025-07-社区工作室.xlsx: the first July records of
inbox/2025-H2-district.csv as a community office sends them in Excel — a merged title row,
Chinese headers, delegates by name, items by alias, date cells, a 合计 row — written with
openpyxl and saved again by LibreOffice headless (an independent writer that stores every
formula's value). Every row is already in the ledger: importing it adds nothing.

Run from this folder: python3 make_inbox_xlsx.py (needs openpyxl and soffice).
"""
import csv
import datetime as dt
import os
import subprocess
import tempfile
import tomllib

import openpyxl

NAME = "2025-07-社区工作室.xlsx"
roster = {r["id"]: r["name"] for r in csv.DictReader(open("data/delegates.csv", encoding="utf-8"))}
rules = tomllib.load(open("../../rules/yantian-2013.toml", "rb"))
alias = {i["code"]: (i.get("aliases") or [i["code"]])[0] for i in rules["item"]}
rows = list(csv.DictReader(open("inbox/2025-H2-district.csv", encoding="utf-8")))[:8]

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "7月"
head = ["记录编号", "日期", "代表", "项目", "次数", "评价", "关联编号", "备注"]
ws.cell(1, 1, "社区党代表工作室履职记录（2025年7月）")
ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
for c, h in enumerate(head, 1):
    ws.cell(2, c, h)
for i, r in enumerate(rows):
    y, m, d = map(int, r["date"].split("-"))
    values = [r["id"], dt.date(y, m, d), roster[r["delegate"]], alias[r["activity"]],
              int(r["count"]), r["outcome"] or None, r["ref"] or None, r["note"] or None]
    for c, v in enumerate(values, 1):
        if v is not None:
            cell = ws.cell(3 + i, c, v)
            if c == 2:
                cell.number_format = 'yyyy"年"m"月"d"日"'
last = 2 + len(rows)
ws.cell(last + 1, 1, "合计")
ws.cell(last + 1, 5, f"=SUM(E3:E{last})")
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, NAME)
    wb.save(src)
    out = os.path.join(tmp, "out")
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", out, src],
                   check=True, capture_output=True)
    os.replace(os.path.join(out, NAME), os.path.join("inbox", NAME))
