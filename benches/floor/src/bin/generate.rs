//! Writes a benchmark workspace for tally: a roster, a petitions register, evaluation
//! marks and ROWS activity records of 2025 in inbox files, with the mix of SPEC §3, plus
//! `extra/`, a further 100,000 records to import into a ledger that is already full.
//!
//!     generate OUT_DIR --rows N [--seed S] [--delegates 2000] [--studios 60]
//!
//! Deterministic: the same arguments write the same bytes (own SplitMix64, no crate
//! whose stream could change between versions). The records come in two kinds of file:
//! - `inbox/district-NNNN.csv`: the district office's export, 100,000 rows a file, with
//!   ids, English headers, item codes, delegates by id, ISO dates, every petition agent
//!   and resolution (`ref`, `outcome` as code or Chinese alias);
//! - `inbox/office-SS-2025-MM.csv`: one per community office (studio) and month, 40% of
//!   the rows, without ids (fingerprint keys), Chinese headers and aliases (`值班接访`),
//!   `2025/3/1` or `2025年3月1日` dates, delegates by unique name, an extra column.
//!
//! An office file holds only its studio's delegates and its month's dates, so two such
//! files never hold the same id-less row (which import would rightly take as re-sent):
//! the ledger ends up with exactly ROWS records. Every 100th delegate has no record at
//! all (listed with 0), and a few share a name with another (so they are named by id).

use std::collections::{HashSet, VecDeque};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Rows a district file holds, and rows of the `extra/` batch.
const PER_DISTRICT_FILE: u64 = 100_000;
const EXTRA_ROWS: u64 = 100_000;
const YEAR: i32 = 2025;

struct Rng(u64);

impl Rng {
    /// SplitMix64: tiny, well mixed, and fixed forever, so a seed names one workspace.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
    "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "红", "玉", "兰", "志", "海", "文",
    "春", "东", "晓", "辉", "鹏", "斌", "婷", "雪", "宇", "浩", "凯", "琳", "晨", "欣", "颖", "波",
];
const PLACES: &[&str] = &[
    "中英街",
    "桥东",
    "沙头角",
    "海山",
    "田东",
    "梧桐",
    "东和",
    "海涛",
    "盐田",
    "永安",
    "明珠",
    "沿港",
    "北山",
    "东海",
    "大梅沙",
    "小梅沙",
    "海景",
    "洪安",
    "上坪",
    "三村",
];
const SECTORS: &[&str] = &[
    "教育行业党代表工作室",
    "港口物流行业党代表工作室",
    "医疗卫生行业党代表工作室",
];
const DEPARTMENTS: &[&str] = &[
    "区城市管理和综合执法局",
    "区交通运输局",
    "区住房和建设局",
    "区生态环境分局",
    "区教育局",
    "区卫生健康局",
    "区民政局",
    "区水务局",
    "区市场监督管理局",
    "区公安分局",
    "区文化广电旅游体育局",
    "沙头角街道办事处",
];
const CATEGORIES: &[&str] = &[
    "城市管理",
    "交通",
    "住房",
    "环境",
    "教育",
    "医疗",
    "民生",
    "治安",
];
const CHANNELS: &[&str] = &[
    "visit",
    "phone",
    "online",
    "card",
    "来访",
    "电话",
    "网络",
    "服务卡",
];
/// Notes as offices type them: Chinese and ASCII commas, quotes (doubled when written),
/// the odd line break inside the cell.
const NOTES: &[&str] = &[
    "接待党员群众3人次",
    "接待居民，反映\"停车难\"问题",
    "走访辖区企业, 宣讲减税降费政策",
    "协调\"加装电梯\"事宜，已回复居民",
    "社区党员大会宣讲，约60人参加",
    "参加海滨栈道清洁志愿活动",
    "调研老旧小区改造\n附照片5张",
    "\"党建带团建\"座谈，青年团员12人",
    "夜间巡查, 发现占道经营2处，已转城管",
    "值班时间：9:00-12:00",
];

/// An item as the district writes it (code) and as offices write it (alias), with the
/// relative frequency of each in generated rows.
struct Item {
    code: &'static str,
    alias: &'static str,
    weight: u64,
}

const ITEMS: &[Item] = &[
    Item {
        code: "duty",
        alias: "值班接访",
        weight: 30,
    },
    Item {
        code: "outreach",
        alias: "宣传政策",
        weight: 12,
    },
    Item {
        code: "community",
        alias: "社区活动",
        weight: 10,
    },
    Item {
        code: "inspection",
        alias: "视察调研",
        weight: 4,
    },
    Item {
        code: "proposal",
        alias: "提议",
        weight: 5,
    },
    Item {
        code: "motion_lead",
        alias: "领衔提案",
        weight: 1,
    },
    // Frequent enough that most delegates reach the 9-point cap of 附件2 within the year.
    Item {
        code: "motion_cosign",
        alias: "联署提案",
        weight: 6,
    },
    Item {
        code: "inquiry",
        alias: "询问质询",
        weight: 4,
    },
    Item {
        code: "written_advice",
        alias: "书面建议",
        weight: 2,
    },
    Item {
        code: "volunteer",
        alias: "志愿服务",
        weight: 12,
    },
    Item {
        code: "mentoring",
        alias: "传帮带",
        weight: 5,
    },
    Item {
        code: "emergency",
        alias: "急难险重",
        weight: 1,
    },
    // District files only: they need a ref, and the resolution an outcome.
    Item {
        code: "petition_agent",
        alias: "代理诉求",
        weight: 5,
    },
    Item {
        code: "petition_resolved",
        alias: "解决诉求",
        weight: 4,
    },
];
const OFFICE_ITEMS: usize = 12;

struct Delegate {
    id: String,
    name: String,
    studio: usize,
    /// Shares its name with another delegate: records must name it by id.
    shared_name: bool,
    /// Never has a record (the ranking must still list it, with 0).
    idle: bool,
}

struct Petition {
    id: String,
    received: u32,
    delegate: usize,
    forwarded: u32,
    replied: Option<u32>,
    resolved: Option<u32>,
    satisfaction: Option<&'static str>,
    department: &'static str,
    category: &'static str,
    channel: &'static str,
}

struct Args {
    out: PathBuf,
    rows: u64,
    seed: u64,
    delegates: usize,
    studios: usize,
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("generate: {e}");
            eprintln!(
                "usage: generate OUT_DIR --rows N [--seed S] [--delegates 2000] [--studios 60]"
            );
            return ExitCode::from(2);
        }
    };
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate: {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut out = None;
    let (mut rows, mut seed, mut delegates, mut studios) = (None, 1, 2000, 60);
    while let Some(a) = it.next() {
        let mut num = |name: &str| -> Result<u64, String> {
            let v = it.next().ok_or(format!("{name} needs a value"))?;
            v.replace('_', "")
                .parse()
                .map_err(|_| format!("{name}: not a number ({v})"))
        };
        match a.as_str() {
            "--rows" => rows = Some(num("--rows")?),
            "--seed" => seed = num("--seed")?,
            "--delegates" => delegates = num("--delegates")? as usize,
            "--studios" => studios = num("--studios")? as usize,
            _ if a.starts_with('-') => return Err(format!("unknown option {a}")),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    let out = out.ok_or("no OUT_DIR")?;
    let rows = rows.ok_or("no --rows")?;
    if studios == 0 || delegates < studios * 2 {
        return Err("need at least one studio and two delegates per studio".into());
    }
    Ok(Args {
        out,
        rows,
        seed,
        delegates,
        studios,
    })
}

fn generate(a: &Args) -> io::Result<()> {
    let mut rng = Rng(a.seed ^ 0x7a11_7a11);
    for dir in ["data", "inbox", "extra"] {
        fs::create_dir_all(a.out.join(dir))?;
    }
    fs::write(
        a.out.join("tally.toml"),
        format!(
            "# Benchmark workspace written by benches/floor generate (seed {}); default rules.\n\
             [workspace]\nname = \"benchmark {} rows\"\n",
            a.seed, a.rows
        ),
    )?;
    let delegates = roster(a, &mut rng)?;
    evaluations(&a.out, &delegates, &mut rng)?;
    let mut petitions = Vec::new();
    let office_rows = a.rows * 2 / 5;
    let district_rows = a.rows - office_rows;
    let mut w = District {
        rng: &mut rng,
        delegates: &delegates,
        petitions: &mut petitions,
        resolutions: VecDeque::new(),
    };
    let mut written = 0;
    let mut file = 0;
    while written < district_rows {
        let n = PER_DISTRICT_FILE.min(district_rows - written);
        let path = a.out.join(format!("inbox/district-{file:04}.csv"));
        w.file(&path, "R", written, n, true)?;
        written += n;
        file += 1;
    }
    w.file(
        &a.out.join("extra/district-extra.csv"),
        "X",
        0,
        EXTRA_ROWS,
        false,
    )?;
    offices(a, &delegates, office_rows, &mut rng)?;
    register(&a.out, &petitions)?;
    Ok(())
}

fn create(path: &Path) -> io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(1 << 20, File::create(path)?))
}

/// A CSV cell: quoted (quotes doubled) when it holds a comma, quote or line break.
fn cell(w: &mut impl Write, s: &str) -> io::Result<()> {
    if s.contains([',', '"', '\n', '\r']) {
        w.write_all(b"\"")?;
        w.write_all(s.replace('"', "\"\"").as_bytes())?;
        w.write_all(b"\"")
    } else {
        w.write_all(s.as_bytes())
    }
}

fn roster(a: &Args, rng: &mut Rng) -> io::Result<Vec<Delegate>> {
    let mut taken = HashSet::new();
    let mut out: Vec<Delegate> = Vec::with_capacity(a.delegates);
    for i in 0..a.delegates {
        // Every 400th delegate takes the name of the one before: both are named by id.
        let shared = i % 400 == 399;
        let name = if shared {
            out[i - 1].shared_name = true;
            out[i - 1].name.clone()
        } else {
            loop {
                let mut n = rng.pick(SURNAMES).to_string();
                n.push_str(rng.pick(GIVEN));
                if rng.chance(70) {
                    n.push_str(rng.pick(GIVEN));
                }
                if taken.insert(n.clone()) {
                    break n;
                }
            }
        };
        // The first delegates open every studio in order; the rest land anywhere.
        let studio = if i < a.studios {
            i
        } else {
            rng.below(a.studios as u64) as usize
        };
        out.push(Delegate {
            id: format!("D{:05}", i + 1),
            name,
            studio,
            shared_name: shared,
            idle: i % 100 == 99,
        });
    }
    let mut f = create(&a.out.join("data/delegates.csv"))?;
    writeln!(f, "id,name,studio,sector,joined,left")?;
    for d in &out {
        let sector = if rng.chance(15) {
            rng.pick(SECTORS)
        } else {
            ""
        };
        writeln!(
            f,
            "{},{},{},{},,",
            d.id,
            d.name,
            studio_name(d.studio),
            sector
        )?;
    }
    f.flush()?;
    Ok(out)
}

fn studio_name(s: usize) -> String {
    let part = ["", "东", "西", "南", "北"][(s / PLACES.len()) % 5];
    format!("{}{}社区党代表工作室", PLACES[s % PLACES.len()], part)
}

fn evaluations(out: &Path, delegates: &[Delegate], rng: &mut Rng) -> io::Result<()> {
    let mut f = create(&out.join("data/evaluations.csv"))?;
    writeln!(f, "year,delegate,group,score")?;
    for d in delegates {
        for group in ["members", "residents", "organisation"] {
            let tenths = 600 + rng.below(401);
            writeln!(f, "{YEAR},{},{group},{}.{}", d.id, tenths / 10, tenths % 10)?;
        }
    }
    f.flush()
}

/// Day of the year (0-based, 2025 has 365 days) as month and day.
fn month_day(doy: u32) -> (u32, u32) {
    const LEN: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = doy;
    for (m, len) in LEN.iter().enumerate() {
        if d < *len {
            return (m as u32 + 1, d + 1);
        }
        d -= len;
    }
    unreachable!("day of year {doy} beyond 2025")
}

fn first_doy(month: u32) -> u32 {
    (1..month).map(month_day_len).sum()
}

fn month_day_len(month: u32) -> u32 {
    [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1]
}

fn iso(doy: u32) -> String {
    let (m, d) = month_day(doy);
    format!("{YEAR}-{m:02}-{d:02}")
}

fn pick_item(rng: &mut Rng, items: &[Item]) -> usize {
    let total: u64 = items.iter().map(|i| i.weight).sum();
    let mut x = rng.below(total);
    for (k, it) in items.iter().enumerate() {
        if x < it.weight {
            return k;
        }
        x -= it.weight;
    }
    items.len() - 1
}

fn count(rng: &mut Rng) -> u64 {
    match rng.below(20) {
        0 => 3,
        1..=3 => 2,
        _ => 1,
    }
}

fn active(rng: &mut Rng, delegates: &[Delegate]) -> usize {
    loop {
        let i = rng.below(delegates.len() as u64) as usize;
        if !delegates[i].idle {
            return i;
        }
    }
}

struct District<'a> {
    rng: &'a mut Rng,
    delegates: &'a [Delegate],
    petitions: &'a mut Vec<Petition>,
    /// Petitions resolved but whose resolution record is not written yet.
    resolutions: VecDeque<usize>,
}

impl District<'_> {
    /// Writes `n` rows with ids `{prefix}2025-{start+k}`; petitions only when asked.
    fn file(
        &mut self,
        path: &Path,
        prefix: &str,
        start: u64,
        n: u64,
        petitions: bool,
    ) -> io::Result<()> {
        let mut f = create(path)?;
        writeln!(f, "id,date,delegate,activity,count,outcome,ref,note")?;
        let items = if petitions {
            ITEMS
        } else {
            &ITEMS[..OFFICE_ITEMS]
        };
        for k in start..start + n {
            let mut item = pick_item(self.rng, items);
            let mut doy = self.rng.below(365) as u32;
            let mut del = active(self.rng, self.delegates);
            let (mut outcome, mut reference, mut cnt) =
                (String::new(), String::new(), count(self.rng));
            match ITEMS[item].code {
                "petition_agent" => {
                    // Late in the year there is no time to resolve: keep agents before December.
                    doy %= 334;
                    reference = self.petition(doy, del);
                    cnt = 1;
                }
                "petition_resolved" => match self.resolutions.pop_front() {
                    Some(p) => {
                        let p = &self.petitions[p];
                        (doy, del, cnt) = (
                            p.resolved.expect("queued only when resolved"),
                            p.delegate,
                            1,
                        );
                        outcome = p.satisfaction.expect("resolved ones are rated").to_owned();
                        reference = p.id.clone();
                    }
                    None => item = 0,
                },
                "motion_cosign" | "motion_lead" if self.rng.chance(50) => {
                    reference = format!("M{YEAR}-{:03}", 1 + self.rng.below(400));
                }
                _ => {}
            }
            let note = if self.rng.chance(40) {
                self.rng.pick(NOTES)
            } else {
                ""
            };
            write!(
                f,
                "{prefix}{YEAR}-{k:08},{},{},{},{cnt},{outcome},{reference},",
                iso(doy),
                self.delegates[del].id,
                ITEMS[item].code
            )?;
            cell(&mut f, note)?;
            f.write_all(b"\n")?;
        }
        f.flush()
    }

    /// A new petition taken up on `doy` by `del`: its life in the register, and its
    /// resolution queued for a later row when it is resolved within the year.
    fn petition(&mut self, doy: u32, del: usize) -> String {
        let rng = &mut *self.rng;
        let id = format!("P{YEAR}-{:06}", self.petitions.len() + 1);
        let forwarded = doy + rng.below(4) as u32;
        let replied = (!rng.chance(10)).then(|| forwarded + 3 + rng.below(23) as u32);
        let resolved = replied
            .filter(|_| rng.chance(80))
            .map(|r| r + rng.below(21) as u32)
            .filter(|r| *r < 365);
        // As code or as the Chinese alias, half and half.
        let satisfaction = resolved.map(|_| {
            let [code, alias] = match rng.below(10) {
                0..=4 => ["very_satisfied", "非常满意"],
                5..=8 => ["satisfied", "基本满意"],
                _ => ["dissatisfied", "不满意"],
            };
            if rng.chance(50) { code } else { alias }
        });
        let p = Petition {
            id: id.clone(),
            received: doy,
            delegate: del,
            forwarded,
            replied: replied.filter(|r| *r < 365),
            resolved,
            satisfaction,
            department: rng.pick(DEPARTMENTS),
            category: rng.pick(CATEGORIES),
            channel: rng.pick(CHANNELS),
        };
        if p.resolved.is_some() {
            self.resolutions.push_back(self.petitions.len());
        }
        self.petitions.push(p);
        id
    }
}

/// The petitions register, resolution records or not: `check` finds every ref in it.
fn register(out: &Path, petitions: &[Petition]) -> io::Result<()> {
    let mut f = create(&out.join("data/petitions.csv"))?;
    writeln!(
        f,
        "id,received,delegate,channel,category,summary,department,forwarded,due,replied,resolved,satisfaction,kind"
    )?;
    let opt = |d: Option<u32>| d.map(iso).unwrap_or_default();
    for p in petitions {
        write!(
            f,
            "{},{},D{:05},{},{},",
            p.id,
            iso(p.received),
            p.delegate + 1,
            p.channel,
            p.category
        )?;
        cell(
            &mut f,
            &format!(
                "{}片区居民反映\"{}\"问题，请协调",
                PLACES[p.delegate % PLACES.len()],
                p.category
            ),
        )?;
        writeln!(
            f,
            ",{},{},,{},{},{},petition",
            p.department,
            iso(p.forwarded.min(364)),
            opt(p.replied),
            opt(p.resolved),
            p.satisfaction.unwrap_or("")
        )?;
    }
    // The motions that co-signing and lead records name (`M2025-001`…): registered too, so
    // that `check` finds every ref.
    for m in 1..=400 {
        writeln!(
            f,
            "M{YEAR}-{m:03},{},D00001,,,,,,,,,,motion",
            iso(0)
        )?;
    }
    f.flush()
}

/// One file per studio and month, as a community office sends them, without ids.
fn offices(a: &Args, delegates: &[Delegate], rows: u64, rng: &mut Rng) -> io::Result<()> {
    let files = a.studios as u64 * 12;
    let members: Vec<Vec<usize>> = (0..a.studios)
        .map(|s| {
            (0..delegates.len())
                .filter(|&i| delegates[i].studio == s && !delegates[i].idle)
                .collect()
        })
        .collect();
    for s in 0..a.studios {
        // Three ways offices write: Chinese headers with 2025/3/1 or 2025年3月1日 and
        // aliases, or English headers with ISO dates and codes; some add a column of their own.
        let style = s % 3;
        for month in 1..=12u32 {
            let k = s as u64 * 12 + u64::from(month) - 1;
            let n = rows / files + u64::from(k < rows % files);
            let path = a
                .out
                .join(format!("inbox/office-{s:02}-{YEAR}-{month:02}.csv"));
            let mut f = create(&path)?;
            match style {
                0 => writeln!(f, "日期,代表,项目,次数,备注,登记人")?,
                1 => writeln!(f, "日期,代表,项目,次数,备注")?,
                _ => writeln!(f, "date,delegate,activity,count,note")?,
            }
            for _ in 0..n {
                let d = &delegates[rng.pick(&members[s])];
                let day = 1 + rng.below(u64::from(month_day_len(month))) as u32;
                let item = &ITEMS[pick_item(rng, &ITEMS[..OFFICE_ITEMS])];
                let cnt = count(rng);
                let cnt = if cnt == 1 && rng.chance(50) {
                    String::new()
                } else {
                    cnt.to_string()
                };
                let note = if rng.chance(50) { rng.pick(NOTES) } else { "" };
                match style {
                    0 | 1 => {
                        let date = if style == 0 {
                            format!("{YEAR}/{month}/{day}")
                        } else {
                            format!("{YEAR}年{month}月{day}日")
                        };
                        let who = if d.shared_name { &d.id } else { &d.name };
                        write!(f, "{date},{who},{},{cnt},", item.alias)?;
                        cell(&mut f, note)?;
                        if style == 0 {
                            write!(
                                f,
                                ",{}",
                                ["张干事", "李干事", "王主任"][(month % 3) as usize]
                            )?;
                        }
                    }
                    _ => {
                        let doy = first_doy(month) + day - 1;
                        write!(f, "{},{},{},{cnt},", iso(doy), d.id, item.code)?;
                        cell(&mut f, note)?;
                    }
                }
                f.write_all(b"\n")?;
            }
            f.flush()?;
        }
    }
    Ok(())
}
