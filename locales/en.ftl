# tally's words in English. Every id here is in zh.ftl too (a test checks).
# col-*: column headings (csv and json keep the keys); key-*: meta and summary labels;
# term-*: statuses and codes; title-*, table-*, section-*: headings; the rest: phrases.

## Titles

title-in-workspace = { $workspace } — { $title }
title-with-note = { $title } ({ $note })
title-quarter = Quarterly ranking { $period }
title-annual = Annual review { $year }
title-studios = Studios { $period }
title-duty = Duty report { $year } — { $delegate } { $name }
title-explain = Points of { $delegate } { $name } ({ $studio }), { $period }
title-records = Ledger records, { $label }
title-void-preview = What voiding { $n } { $n ->
    [one] record
   *[other] records
} would change ({ $period }, dry run: the ledger is unchanged)
title-diff-rules = Draft rules { $draft } against the rules in force, { $period }
title-open-petitions = Open petitions as of { $as_of }
title-due-soon = Petitions due within { $within } as of { $as_of } (by { $by })
title-digest = Petitions for { $group } as of { $as_of }
title-scorecard = Petitions by { $by } as of { $as_of }
title-obligations = Obligations as of { $as_of }

table-points-by-quarter = Points by quarter
table-petitions-taken-up = Petitions taken up
table-adjustments = Adjustments
table-annual-review = Annual review
table-records = Records
table-totals = Totals
table-obligations = Obligations
table-months = Obligations by month

section-no-sector = no sector
section-all-studios = all studios
section-overdue = Overdue
section-due-within = Due within { $within } (by { $by })
section-other-open = Other open items

label-value-separator = {": "}
heading-summary = Summary

## Periods and phrases

period-quarter = { $year }Q{ $q }
period-year = { $year }
note-in-progress = in progress, data up to { $newest }
note-in-progress-empty = in progress, no records yet
label-cycle-to-date = cycle to date ({ $from } to { $to })
label-date-range = { $from } to { $to }
term-span = { $from } – { $to }
n-days = { $n } { $n ->
    [one] day
   *[other] days
}
n-working-days = { $n } working { $n ->
    [one] day
   *[other] days
}
rule-per-unit = { $points }/unit
rule-outcome-per-unit = { $outcome }: { $points }/unit
cap-reached = cap { $cap } per { $per } reached: { $before } → { $after }
cap-cut = cap { $cap } per { $per }: { $before } → { $after }
cap-per = { $cap } per { $per }
void-line = VOID { $on } by { $by }: { $reason }
largest-move = { $delegate } { $name }: rank { $from } → { $to } ({ $places } places), points { $before } → { $after }
largest-move-none = none
possible-months = { $item }: { $n } more month(s)
possible-open = { $item }: still open until { $until }
found-behind = { $n } delegate(s) behind on their duties as of { $as_of }: { $names }

## Column headings

col-period = period
col-year = year
col-quarter = quarter
col-month = month
col-studio = studio
col-sector = sector
col-rank = rank
col-delegate = delegate
col-delegates = delegates
col-name = name
col-points = points
col-points-quarter = points { $period }
col-points-in-quarter = points in quarter
col-points-total = total
col-points-mean = mean
col-adjustments = adjustments
col-rank-change = ± rank
col-obligation = { $item }/{ $per }
col-obligations-met = obligations_met
col-missed = { $obligation } missed
col-count = count
col-marks = { $group }
col-evaluation = evaluation
col-composite = composite
col-grade = grade
col-petitions-received = petitions
col-petitions-overdue = overdue
col-key = key
col-date = date
col-item = item
col-outcome = outcome
col-ref = ref
col-cap = cap
col-source = source
col-voided = voided
col-voided-by = voided_by
col-void-reason = void_reason
col-rule = rule
col-part = part
col-cumulative = cumulative
col-cycle-to = cycle to { $to }
col-id = id
col-reason = reason
col-approved-by = approved_by
col-kind = kind
col-received = received
col-category = category
col-summary = summary
col-department = department
col-status = status
col-due = due
col-days = days
col-days-open = days_open
col-days-overdue = days_overdue
col-days-left = days_left
col-stalled = stalled
col-original-due = original_due
col-extension-reason = extension_reason
col-reopened = reopened
col-replied = replied
col-replied-on-time = on time
col-reply-rate-on-time = on-time rate
col-median-days-to-reply = median days to reply
col-resolved = resolved
col-resolved-share = resolved %
col-median-days-to-resolve = median days to resolve
col-rated = rated
col-satisfaction-rate = satisfied %
col-overdue = overdue
col-extended = extended
col-replied-on-time-original = on time (original deadline)
col-reply-rate-on-time-original = on-time rate (original)
col-below-standard = below standard
col-ratings = ratings { $year }
col-rating-attitude = attitude
col-rating-efficiency = efficiency
col-rating-conduct = conduct
col-rating-satisfaction = rated satisfaction
col-behind = behind
col-still-possible = still_possible
col-total-now = total_now
col-total-after = total_after
col-total-draft = total_draft
col-change = change
col-rank-now = rank_now
col-rank-after = rank_after
col-rank-draft = rank_draft
col-rank-move = rank_move
col-code = code
col-requires-ref = requires_ref
col-aliases = aliases
col-at-least = at_least
col-per = per
col-value = value
col-published = published
col-now = now
col-why = why

col-received-count = received
col-item-name = name

## Meta and summary labels

key-title = title
key-period = period
key-year = year
key-as-of = as of
key-newest-record = data up to
key-generated-at = made
key-workspace = workspace
key-rules = rules
key-rules-file = rules file
key-rules-hash = rules hash
key-ledger-hash = data hash
key-rank-within = ranked within
key-by = by
key-delegate = delegate
key-name = name
key-studio = studio
key-sector = sector
key-term = term
key-from = from
key-to = to
key-draft = draft
key-draft-rules-hash = draft rules hash
key-due-by = due by
key-due-soon = due soon
key-open = open
key-overdue = overdue
key-other-open = other open
key-stalled = stalled
key-records = records
key-voided = voided
key-points = points
key-no-grade = no grade
key-delegates-changing-rank = delegates changing rank
key-largest-move = largest move
key-delegates-behind = delegates behind
key-below-standard = below standard
key-standard-on-time-rate = standard: on-time rate
key-standard-satisfaction-rate = standard: satisfaction rate
key-standard-min-items = standard: minimum items
key-kind = kind
key-department = department
key-group = group
key-activity = activity
key-outcome = outcome
key-reason = reason
key-version = version

## Statuses and codes

term-yes = yes
term-no = no
term-registered = registered
term-forwarded = forwarded
term-replied = replied
term-resolved = resolved
term-reopened = reopened
term-petition = petition
term-proposal = proposal
term-motion = motion
term-done = done
term-missed = missed
term-not-in-office = not in office
term-month = month
term-quarter = quarter
term-year = year
term-cycle = cycle
term-studio = studio
term-sector = sector
term-all = all

## Workbooks

sheet-summary = Summary
sheet-about = About
about-item = Item
about-value = Value
about-summary = Summary
xlsx-footer = &L&A&RPage &P of &N

## Terminal tables

fold-note = Left out to fit { $limit } columns: { $names }. To see them: a terminal { $needed } columns wide (or COLUMNS={ $needed }), or --format csv or md.
fold-cut = Text cut short ends in …; --format csv or md shows it whole.
list-separator = {", "}

test-problems = { $n ->
    [one] { $n } problem
   *[other] { $n } problems
}
