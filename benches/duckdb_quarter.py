#!/usr/bin/env python3
"""DuckDB on the query `tally quarter` answers, for the benchmark table: per delegate,
points in the quarter and cumulative points from the cycle's start to the quarter's end,
ranked within studios. Usage:

    python3 benches/duckdb_quarter.py WORKSPACE 2025Q3 > duckdb.csv

Reads `data/delegates.csv` and `data/ledger/<year>.csv` (the ledger as `tally import`
writes it), finding columns by header name, and scores with the built-in Yantian 2013
point table, exactly as the floor program does (benches/floor/src/main.rs). Co-signing
is capped at 9 points a cycle: with every unit worth 3 points, the capped cumulative sum
is LEAST(9, sum) at any date, which is what capping in date order gives. Writes CSV
`studio,rank,delegate,points_quarter,points_total`; `floor --check` compares it.
Fails (exit 2) on an item the point table does not know, as the floor does.
"""
import csv
import sys

import duckdb

POINTS = {
    "duty": 5, "petition_agent": 5, "community": 5, "inquiry": 5, "volunteer": 5,
    "mentoring": 5, "outreach": 3, "proposal": 3, "inspection": 10, "motion_lead": 10,
    "written_advice": 10, "emergency": 20, "motion_cosign": 3,
}
OUTCOMES = {"very_satisfied": 6, "satisfied": 5, "dissatisfied": 0}
LAST_DAY = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}


def column(con, path, names):
    """The header of `path` whose trimmed lower-case form is one of `names`."""
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv(?, header = true, "
        "all_varchar = true))", [path]).fetchall()]
    for c in cols:
        if c.strip().lower().lstrip("\ufeff") in names:
            return '"' + c.replace('"', '""') + '"'
    sys.exit(f"duckdb_quarter: {path}: no column {names[0]}")


def main():
    if len(sys.argv) != 3 or "Q" not in sys.argv[2].upper():
        sys.exit("usage: duckdb_quarter.py WORKSPACE 2025Q3")
    ws, period = sys.argv[1], sys.argv[2].upper()
    year, q = period.split("Q")
    q = int(q)
    start, end = f"{year}-{3 * q - 2:02d}-01", f"{year}-{LAST_DAY[q]}"
    roster, ledger = f"{ws}/data/delegates.csv", f"{ws}/data/ledger/{year}.csv"
    con = duckdb.connect()
    r_id, r_studio = column(con, roster, ["id", "编号"]), column(con, roster, ["studio", "工作室"])
    date, who, item, n, outcome = (column(con, ledger, [c]) for c in
                                   ("date", "delegate", "activity", "count", "outcome"))
    unit = ("CASE " + " ".join(f"WHEN {item} = '{k}' THEN {v}" for k, v in POINTS.items())
            + f" WHEN {item} = 'petition_resolved' THEN CASE {outcome} "
            + " ".join(f"WHEN '{k}' THEN {v}" for k, v in OUTCOMES.items()) + " END END")
    opts = "header = true, all_varchar = true, quote = '\"', escape = '\"'"
    sql = f"""
    WITH roster AS (
        SELECT row_number() OVER () AS pos, trim({r_id}) AS id, trim({r_studio}) AS studio
        FROM read_csv(?, {opts})),
    scored AS (
        SELECT {who} AS delegate, {date} AS day, {item} = 'motion_cosign' AS cosign,
               CAST({n} AS BIGINT) * ({unit}) AS points
        FROM read_csv(?, {opts})
        WHERE {date} BETWEEN ? AND ?),
    per AS (
        SELECT delegate,
            count(*) FILTER (WHERE points IS NULL) AS unknown,
            coalesce(sum(points) FILTER (WHERE NOT cosign), 0) AS other_total,
            coalesce(sum(points) FILTER (WHERE NOT cosign AND day >= ?), 0) AS other_quarter,
            least(9, coalesce(sum(points) FILTER (WHERE cosign), 0)) AS cosign_total,
            least(9, coalesce(sum(points) FILTER (WHERE cosign AND day < ?), 0)) AS cosign_before
        FROM scored GROUP BY delegate),
    totals AS (
        SELECT r.pos, r.id, r.studio,
            coalesce(p.other_quarter + p.cosign_total - p.cosign_before, 0) AS points_quarter,
            coalesce(p.other_total + p.cosign_total, 0) AS points_total
        FROM roster r LEFT JOIN per p ON p.delegate = r.id)
    SELECT studio,
        rank() OVER (PARTITION BY studio ORDER BY points_total DESC) AS rank,
        id AS delegate, points_quarter, points_total,
        (SELECT sum(unknown) FROM per) AS unknown,
        (SELECT count(*) FROM per WHERE delegate NOT IN (SELECT id FROM roster)) AS strangers
    FROM totals ORDER BY pos
    """
    rows = con.execute(sql, [roster, ledger, f"{year}-01-01", end, start, start]).fetchall()
    if rows and (rows[0][5] or rows[0][6]):
        sys.exit(f"duckdb_quarter: {ledger}: {rows[0][5]} rows of an unknown item, "
                 f"{rows[0][6]} unknown delegates")
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["studio", "rank", "delegate", "points_quarter", "points_total"])
    w.writerows(row[:5] for row in rows)


main()
