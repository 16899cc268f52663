//! Fits a table to a terminal's width. Numbers and short text (names, ids, dates, periods)
//! stay whole on one line; long text (a summary, a department, a file path) wraps, and past
//! a few lines is cut with `…`; when even the whole columns do not fit, the columns a report
//! marked as foldable are left out, group by group, and the table says which.
//!
//! Widths are display columns: a Chinese character takes two, as on the screen.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Text this wide or narrower is kept whole: a name of seven Chinese characters, a date,
/// a period, an id.
const WHOLE_TEXT: usize = 14;
/// The least a wrapping text column gets: five Chinese characters a line.
const TEXT_FLOOR: usize = 10;
/// Wrapping text gets room for words up to this wide, so that `dissatisfied` stays whole.
const WORD_FLOOR: usize = 16;
/// The least a heading gets when its words allow: two Chinese characters a line.
const HEADER_FLOOR: usize = 4;
/// A wrapped cell past this many lines is cut with `…`.
pub const MAX_LINES: usize = 10;
/// What comfy-table's `UTF8_FULL_CONDENSED` draws around a column's text: one border line
/// and a space each side; the table closes with one more border.
const FRAME: usize = 3;

/// Display width of `s`, a Chinese character counting two.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// What the planner needs of one column.
#[derive(Debug, Clone)]
pub struct Measure {
    pub header: String,
    /// Left out, lowest first, when the table does not fit; `None` never folds.
    pub fold: Option<u8>,
    pub cells: Vec<Size>,
}

/// A cell as the planner sees it.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Display width on one line.
    pub width: usize,
    /// The widest piece no line break falls inside (a word, a number), for long text.
    pub word: usize,
    pub number: bool,
}

impl Size {
    pub fn of(text: &str, number: bool) -> Size {
        let width = width(text);
        // Only text long enough to wrap needs its words measured.
        let word = if number || width <= WHOLE_TEXT {
            width
        } else {
            widest_unit(text)
        };
        Size {
            width,
            word,
            number,
        }
    }
}

/// How a column is laid out: its text width and whether its text wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// The column's index among those measured.
    pub column: usize,
    pub width: usize,
    pub wraps: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The columns kept, left to right.
    pub slots: Vec<Slot>,
    /// The columns left out, by index among those measured.
    pub folded: Vec<usize>,
    /// The width at which nothing would be left out.
    pub needed: usize,
}

struct Bounds {
    /// Least width with nothing split: whole cells whole, heading words whole.
    floor: usize,
    /// One line for everything.
    natural: usize,
    wraps: bool,
}

fn bounds(m: &Measure) -> Bounds {
    let header_natural = width(&m.header);
    let header_floor = widest_unit(&m.header).max(HEADER_FLOOR.min(header_natural));
    let widest = |number: bool, of: fn(&Size) -> usize| {
        m.cells
            .iter()
            .filter(|c| c.number == number)
            .map(of)
            .max()
            .unwrap_or(0)
    };
    let widest_number = widest(true, |c| c.width);
    let widest_text = widest(false, |c| c.width);
    let wraps = widest_text > WHOLE_TEXT;
    // Wrapping text gets room for its longest word, up to a limit (a path is cut anyway).
    let cells_floor = if wraps {
        let words = widest(false, |c| c.word).min(WORD_FLOOR);
        widest_number.max(TEXT_FLOOR).max(words)
    } else {
        widest_number.max(widest_text)
    };
    Bounds {
        floor: header_floor.max(cells_floor),
        natural: header_natural.max(widest_number).max(widest_text),
        wraps,
    }
}

/// The width a table of these text widths takes on the screen, borders and padding included.
fn drawn(widths: impl Iterator<Item = usize>) -> usize {
    widths.map(|w| w + FRAME).sum::<usize>() + 1
}

/// Lays `columns` out in `limit` display columns (`None`: no limit, everything on one line).
pub fn plan(columns: &[Measure], limit: Option<usize>) -> Plan {
    let bounds: Vec<Bounds> = columns.iter().map(bounds).collect();
    let needed = drawn(bounds.iter().map(|b| b.floor));
    let all = |w: &dyn Fn(&Bounds) -> usize| -> Vec<Slot> {
        bounds
            .iter()
            .enumerate()
            .map(|(column, b)| Slot {
                column,
                width: w(b),
                wraps: b.wraps,
            })
            .collect()
    };
    let Some(limit) = limit else {
        return Plan {
            slots: all(&|b| b.natural),
            folded: Vec::new(),
            needed,
        };
    };
    if drawn(bounds.iter().map(|b| b.natural)) <= limit {
        return Plan {
            slots: all(&|b| b.natural),
            folded: Vec::new(),
            needed,
        };
    }

    // Fold the groups the report marked, lowest first; then, as a last resort, columns from
    // the right, so that no number is ever split.
    let mut kept: Vec<usize> = (0..columns.len()).collect();
    let mut folded = Vec::new();
    while drawn(kept.iter().map(|&i| bounds[i].floor)) > limit && kept.len() > 1 {
        let next = kept.iter().filter_map(|&i| columns[i].fold).min();
        let out: Vec<usize> = match next {
            Some(order) => kept
                .iter()
                .copied()
                .filter(|&i| columns[i].fold == Some(order))
                .collect(),
            None => kept.last().copied().into_iter().collect(),
        };
        kept.retain(|i| !out.contains(i));
        folded.extend(out);
    }
    folded.sort_unstable();

    let mut widths: Vec<usize> = kept.iter().map(|&i| bounds[i].floor).collect();
    let mut spare = limit.saturating_sub(drawn(widths.iter().copied()));
    // Wrapping text first, toward one line, the one furthest from it first.
    while spare > 0 {
        let wanting = (0..kept.len())
            .filter(|&k| bounds[kept[k]].wraps && widths[k] < bounds[kept[k]].natural)
            .max_by_key(|&k| (bounds[kept[k]].natural - widths[k], usize::MAX - k));
        let Some(k) = wanting else { break };
        widths[k] += 1;
        spare -= 1;
    }
    // Then headings, a line at a time for the whole heading row.
    let header_lines = |k: usize, w: usize| wrap(&columns[kept[k]].header, w).len();
    let mut height = (0..kept.len())
        .map(|k| header_lines(k, widths[k]))
        .max()
        .unwrap_or(1);
    while height > 1 {
        let target = height - 1;
        let grown: Vec<usize> = (0..kept.len())
            .map(|k| {
                let most = bounds[kept[k]].natural.max(widths[k]);
                (widths[k]..=most)
                    .find(|&w| header_lines(k, w) <= target)
                    .unwrap_or(most)
            })
            .collect();
        let cost: usize = grown.iter().zip(&widths).map(|(g, w)| g - w).sum();
        if cost > spare {
            break;
        }
        spare -= cost;
        widths = grown;
        height = target;
    }
    // With what is left, a heading breaks at its spaces rather than inside a word
    // (`复核调整 adj.`, not `复核调/整 adj.`).
    for k in 0..kept.len() {
        let header = &columns[kept[k]].header;
        let words = header.split_whitespace().map(width).max().unwrap_or(0);
        let cost = words.saturating_sub(widths[k]);
        if cost > 0 && cost <= spare && header_lines(k, words) <= height {
            widths[k] = words;
            spare -= cost;
        }
    }

    Plan {
        slots: kept
            .iter()
            .zip(widths)
            .map(|(&column, width)| Slot {
                column,
                width,
                wraps: bounds[column].wraps,
            })
            .collect(),
        folded,
        needed,
    }
}

/// A piece of text no line break may fall inside, and whether a space came before it.
struct Unit {
    text: String,
    spaced: bool,
}

/// Closing punctuation stays with what it closes; opening punctuation with what it opens.
fn closes(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '】'
            | '》'
            | '”'
            | '’'
            | '…'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '%'
    )
}

fn opens(c: char) -> bool {
    matches!(c, '（' | '「' | '『' | '【' | '《' | '“' | '‘' | '(' | '[')
}

/// Splits text where a line may break: at spaces, around each Chinese character, after `/`
/// or `_` (a path, a key) unless a digit follows.
fn units(text: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut cur = String::new();
    let mut spaced = false;
    let mut chars = text.chars().peekable();
    let flush = |cur: &mut String, spaced: &mut bool, out: &mut Vec<Unit>| {
        if !cur.is_empty() {
            out.push(Unit {
                text: std::mem::take(cur),
                spaced: *spaced,
            });
            *spaced = false;
        }
    };
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            flush(&mut cur, &mut spaced, &mut out);
            spaced = !out.is_empty();
            continue;
        }
        let wide = c.width().unwrap_or(0) > 1;
        if closes(c) {
            cur.push(c);
            continue;
        }
        let opened = !cur.is_empty() && cur.chars().all(opens);
        if wide {
            if !opened {
                flush(&mut cur, &mut spaced, &mut out);
            }
            cur.push(c);
            if !opens(c) && !chars.peek().is_some_and(|&n| closes(n)) {
                flush(&mut cur, &mut spaced, &mut out);
            }
            continue;
        }
        // A narrow character right after a Chinese one starts a new unit.
        if !opened
            && cur
                .chars()
                .last()
                .is_some_and(|l| l.width().unwrap_or(0) > 1)
        {
            flush(&mut cur, &mut spaced, &mut out);
        }
        cur.push(c);
        if matches!(c, '/' | '_') && !chars.peek().is_some_and(char::is_ascii_digit) {
            flush(&mut cur, &mut spaced, &mut out);
        }
    }
    flush(&mut cur, &mut spaced, &mut out);
    out
}

fn widest_unit(text: &str) -> usize {
    units(text)
        .iter()
        .map(|u| width(&u.text))
        .max()
        .unwrap_or(0)
}

/// Cuts a unit wider than a line into pieces, never inside a run of digits when a piece
/// can end before it.
fn chop(text: &str, line: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest: Vec<char> = text.chars().collect();
    while width(&rest.iter().collect::<String>()) > line {
        let mut end = 0;
        let mut w = 0;
        while end < rest.len() {
            let cw = rest[end].width().unwrap_or(0);
            if w + cw > line {
                break;
            }
            w += cw;
            end += 1;
        }
        let mut cut = end;
        while cut > 0 && rest[cut - 1].is_ascii_digit() && rest[cut].is_ascii_digit() {
            cut -= 1;
        }
        if cut == 0 {
            cut = end.max(1);
        }
        pieces.push(rest[..cut].iter().collect());
        rest.drain(..cut);
    }
    pieces.push(rest.into_iter().collect());
    pieces
}

/// `text` in lines at most `line` columns wide, broken where [`units`] allows; a unit wider
/// than the line is cut ([`chop`]).
pub fn wrap(text: &str, line: usize) -> Vec<String> {
    let line = line.max(2);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for unit in units(text) {
        let gap = usize::from(unit.spaced && !cur.is_empty());
        if width(&cur) + gap + width(&unit.text) <= line {
            if gap == 1 {
                cur.push(' ');
            }
            cur.push_str(&unit.text);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        let mut pieces = chop(&unit.text, line);
        cur = pieces.pop().unwrap_or_default();
        lines.extend(pieces);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// [`wrap`], at most `most` lines; what is left out is marked by `…` at the end of the last.
pub fn wrap_cut(text: &str, line: usize, most: usize) -> (Vec<String>, bool) {
    let mut lines = wrap(text, line);
    if lines.len() <= most {
        return (lines, false);
    }
    lines.truncate(most.max(1));
    if let Some(last) = lines.last_mut() {
        while width(last) + 1 > line.max(2) {
            last.pop();
        }
        last.push('…');
    }
    (lines, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(units: Vec<Unit>) -> Vec<String> {
        units.into_iter().map(|u| u.text).collect()
    }

    #[test]
    fn chinese_breaks_between_characters_latin_at_spaces() {
        assert_eq!(texts(units("服务联系群众")).len(), 6);
        assert_eq!(texts(units("本季 2025Q4")), ["本", "季", "2025Q4"]);
        assert_eq!(
            texts(units("复核:补记，社区")),
            ["复", "核:", "补", "记，", "社", "区"]
        );
        assert_eq!(texts(units("a/b_c 11/12")), ["a/", "b_", "c", "11/12"]);
        assert_eq!(texts(units("（注）2025年")), ["（注）", "2025", "年"]);
    }

    #[test]
    fn wrapping_keeps_names_and_numbers_whole() {
        assert_eq!(wrap("服务联系群众", 4), ["服务", "联系", "群众"]);
        assert_eq!(wrap("本季 2025Q4", 6), ["本季", "2025Q4"]);
        assert_eq!(
            wrap("duty: 12 more month(s)", 10),
            ["duty: 12", "more", "month(s)"]
        );
        // A unit wider than the line is cut, but not inside its digits.
        assert_eq!(wrap("district.csv:176", 11), ["district.cs", "v:176"]);
        assert_eq!(wrap("x:12345", 4), ["x:", "1234", "5"]);
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let (lines, cut) = wrap_cut("一二三四五六七八九十", 4, 2);
        assert!(cut);
        assert_eq!(lines, ["一二", "三…"]);
        assert_eq!(wrap_cut("一二", 4, 2), (vec!["一二".to_owned()], false));
    }

    fn column(header: &str, fold: Option<u8>, cells: &[&str]) -> Measure {
        Measure {
            header: header.to_owned(),
            fold,
            cells: cells
                .iter()
                .map(|c| Size::of(c, c.parse::<f64>().is_ok()))
                .collect(),
        }
    }

    #[test]
    fn a_narrow_table_folds_the_marked_columns_and_wraps_text() {
        let columns = [
            column("name", None, &["何俊杰"]),
            column("total", None, &["98.25"]),
            column("服务联系群众", Some(1), &["113"]),
            column("议党议政", Some(1), &["42"]),
            column(
                "summary",
                None,
                &["暴雨后小区地下车库积水严重，请求加装排水泵"],
            ),
        ];
        let wide = plan(&columns, None);
        assert!(wide.folded.is_empty());
        assert_eq!(wide.slots[4].width, 42);
        let narrow = plan(&columns, Some(40));
        assert_eq!(narrow.folded, [2, 3]);
        let widths: Vec<usize> = narrow.slots.iter().map(|s| s.width).collect();
        assert_eq!(widths, [6, 5, 19]);
        assert!(narrow.slots[2].wraps);
        assert_eq!(drawn(widths.into_iter()), 40);
        assert_eq!(narrow.needed, drawn([6, 5, 4, 4, 10].into_iter()));
    }

    #[test]
    fn past_the_marked_columns_the_rightmost_go() {
        let columns = [
            column("name", None, &["何俊杰"]),
            column("total", None, &["98.25"]),
            column("rank", None, &["12"]),
        ];
        let p = plan(&columns, Some(20));
        assert_eq!(p.folded, [2]);
        assert_eq!(p.slots.len(), 2);
    }
}
