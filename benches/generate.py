#!/usr/bin/env python3
"""Makes a benchmark workspace: DELEGATES delegates in 20 studios and RECORDS activity
records of 2025 split into inbox files of 100k rows. Deterministic (seeded). Usage:
    benches/generate.py DIR DELEGATES RECORDS
The data is generated, never committed (benches/data/ is ignored)."""
import os, random, sys

def main():
    out, delegates, records = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(2025)
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    os.makedirs(os.path.join(out, "inbox"), exist_ok=True)
    with open(os.path.join(out, "tally.toml"), "w") as f:
        f.write('[workspace]\nname = "benchmark"\n')
    with open(os.path.join(out, "data/delegates.csv"), "w") as f:
        f.write("id,name,studio,sector,joined,left\n")
        for i in range(delegates):
            f.write(f"D{i:06d},代表{i:06d},工作室{i % 20:02d},,,\n")
    items = ["duty", "outreach", "community", "inspection", "proposal", "motion_cosign",
             "inquiry", "volunteer", "mentoring", "petition_agent"]
    per_file = 100_000
    for start in range(0, records, per_file):
        with open(os.path.join(out, f"inbox/batch-{start // per_file:04d}.csv"), "w") as f:
            f.write("id,date,delegate,activity,count,ref,note\n")
            for n in range(start, min(records, start + per_file)):
                m, d = rng.randint(1, 12), rng.randint(1, 28)
                item = rng.choice(items)
                ref = f"P{n}" if item == "petition_agent" else ""
                f.write(f"R{n:09d},2025-{m:02d}-{d:02d},D{rng.randrange(delegates):06d},{item},"
                        f"{rng.randint(1, 2)},{ref},\n")

main()
