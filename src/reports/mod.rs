//! Reports: values built from scored data, ready for any renderer. They never print.

pub mod annual;
pub mod diff_rules;
pub mod duty;
pub mod explain;
pub mod obligations;
pub mod petitions;
pub mod quarter;
pub mod records;
pub mod rules_table;
pub mod studios;

use crate::domain::Roster;
use rust_decimal::Decimal;

/// Standard competition ranks (1, 2, 2, 4) of `totals`, given as (delegate index, total):
/// returns the entries sorted by total (highest first), then delegate id, with their rank.
pub fn competition_rank(
    roster: &Roster,
    mut totals: Vec<(usize, Decimal)>,
) -> Vec<(usize, Decimal, usize)> {
    totals.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| roster.delegates[a.0].id.cmp(&roster.delegates[b.0].id))
    });
    let mut out = Vec::with_capacity(totals.len());
    let mut rank = 0;
    for (i, (d, t)) in totals.iter().enumerate() {
        if i == 0 || totals[i - 1].1 != *t {
            rank = i + 1;
        }
        out.push((*d, *t, rank));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Delegate;

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let roster = Roster::new(
            ["D1", "D2", "D3", "D4"]
                .iter()
                .map(|id| Delegate {
                    id: (*id).into(),
                    name: (*id).into(),
                    studio: "S".into(),
                    sector: None,
                    joined: None,
                    left: None,
                })
                .collect(),
        );
        let t = |n: i64| Decimal::from(n);
        let ranked = competition_rank(&roster, vec![(3, t(5)), (1, t(10)), (0, t(10)), (2, t(20))]);
        let got: Vec<(usize, usize)> = ranked.iter().map(|(d, _, r)| (*d, *r)).collect();
        assert_eq!(got, vec![(2, 1), (0, 2), (1, 2), (3, 4)]);
    }
}
