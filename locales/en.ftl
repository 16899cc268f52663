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

msg-under-the-draft = {" "}— under the draft { $draft }

test-problems = { $n ->
    [one] { $n } problem
   *[other] { $n } problems
}

## Messages on stderr: errors, warnings and notes. A problem's file:line, column and
## (value) are written around the message by the code, in every language.

line-error = error: { $message }
line-warning = warning: { $message }
line-found = found: { $message }

date-expected = expected a date like 2025-03-01, 2025/3/1, 2025.3.1 or 2025年3月1日
msg-bad-date = not a date, { date-expected }
msg-not-a-date = not a date
msg-required = required, found empty
msg-not-in-roster = not in the roster (by id or name)
msg-ambiguous-name = two delegates share this name; use the id
msg-unknown-activity = unknown activity, expected an item code or alias of the rules (see `tally rules`)
msg-bad-count = not a whole number from 1 to { $max }
msg-date-out-of-range = outside the sensible range { $earliest } to today ({ $today })
msg-not-in-office = { $delegate } { $name } was not in office on { $date } ({ $term })
term-in-office-from-to = in office { $from } to { $to }
term-joined = joined { $date }
term-left = left { $date }
term-in-office = in office
msg-ref-required = required for { $item } (the petition or motion id)
msg-outcome-required = required for { $item }, expected one of { $expected }
msg-outcome-unknown = not an outcome of { $item }, expected one of { $expected }
msg-reserved-column = a column the ledger keeps for itself; rename it, for example office_{ $column }
msg-ledger-row-width = has { $found } fields where the header has { $width } (a row cut short or edited by hand)
msg-before = before { $column } ({ $date })
msg-duplicate-delegate-id = duplicate delegate id
msg-duplicate-adjustment-id = duplicate adjustment id
msg-duplicate-petition-id = duplicate petition id
msg-bad-points = not a number of points (like 10 or -5, at most { $max })
msg-bad-year = not a year (like 2025)
msg-unknown-group = unknown evaluator group, expected one of { $expected }
msg-bad-score = not a score from 0 to 100
msg-second-mark = a second mark for the same year, delegate and group
msg-bad-mark = not a mark from 0 to 100
msg-second-rating = a second rating for the same year, department and delegate
msg-unknown-kind = unknown kind, expected petition, proposal or motion
msg-unknown-satisfaction = unknown satisfaction, expected very_satisfied, satisfied or dissatisfied (非常满意、基本满意、不满意)
msg-unknown-channel = unknown channel, expected visit, phone, online or card (来访、电话、网络、服务卡)
msg-reply-not-forwarded = a reply without a forwarding date
msg-no-department = forwarded but no department named
msg-extension-no-reason = an extension needs its reason (延期理由)
msg-extended-not-forwarded = extended but never forwarded to a department
msg-reason-no-extension = a reason but no extended_to date

msg-column-twice = column { $column } appears twice
msg-missing-column = missing column { $column } ({ $alias }); the header is
msg-inner-bom = a byte-order mark (U+FEFF) inside the file, as when two files are pasted together; remove it
msg-nul-byte = a NUL byte: this is not a CSV text file (a UTF-16 "Unicode text" export?); save it as CSV UTF-8
msg-open-quote = a quote opened here is never closed; the rows after it would be swallowed
msg-file-no-header = the file has no header row
msg-sheet-no-header = the sheet has no header row
msg-too-many-columns = the header names { $named } columns; at most { $max } are read
msg-row-width = expected { $expected } cells as in the header, found { $found }
msg-cell-too-big = a cell of { $size } bytes; at most { $max } (1 MiB) are read
msg-not-utf8-text = not valid UTF-8 text
msg-is-a-folder = is a folder, not a file
msg-cannot-read = cannot read: { $why }
msg-malformed-csv = malformed CSV: { $why }
msg-path-is-a-folder = { $path }: is a folder, not a file
msg-path-cannot-read = { $path }: cannot read: { $why }
why-no-such-file = no such file
why-permission-denied = permission denied
skipped = skipped { $parts }
skipped-title = { $n } title { $n ->
    [one] row
   *[other] rows
}
skipped-total = { $n } total { $n ->
    [one] row
   *[other] rows
}
skipped-empty = { $n } empty { $n ->
    [one] row
   *[other] rows
}

msg-utf16 = a UTF-16 file (Excel's "Unicode text"); save it as CSV UTF-8
msg-neither-utf8-nor-gbk = the file is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8
msg-utf8-cut-short = not valid UTF-8, though the text before it on this line is: a character is cut short or the line mixes encodings; save the file again as CSV UTF-8 (or force one encoding with --encoding)
msg-mixed-encodings = not valid UTF-8, though line { $line } is: the file mixes encodings (UTF-8 and GBK?); save it again as CSV UTF-8 (or force one encoding with --encoding)
msg-not-utf8 = not valid UTF-8 (try --encoding gbk for files saved by Excel on Chinese Windows)
msg-not-gbk = not valid GBK/GB18030 text
msg-too-large-to-decode = the file is too large to decode
msg-bytes = bytes { $bytes }

msg-ledger-is-a-file = { $path }: is a file, not a folder (the ledger is a folder of year files)
msg-no-ledger = { $path }: no ledger folder; no records have been imported (see `tally import`)
msg-ledger-out-of-order = { $path }:{ $line }: the ledger is not in date order (edited by hand?); sorting it in memory
msg-repeated-record = { $path }:{ $line }: the same record as line { $first } (a row copied by hand?); counted once
msg-more-repeated-records = { $path }: and { $n } more repeated records, each counted once; `tally check` lists them
msg-xlsx-to-terminal = --format xlsx writes a binary workbook: give -o FILE.xlsx or redirect stdout
msg-output-is-input = { $path }: is the workspace's { $what }; a report never replaces an input, choose another file
msg-period-not-begun = { $period } has not begun: today is { $today } (it starts on { $first })
msg-bad-date-arg = { $flag }: not a date ({ $value }), { date-expected }
input-config = tally.toml
input-rules = rules file
input-roster = roster
input-petitions = petitions register
input-evaluations = evaluations file
input-adjustments = adjustments file
input-ratings = ratings file
input-published = record of published periods
input-ledger = ledger

msg-no-config-here = { $path }: no { $config } here (create a workspace with `tally init { $path }`)
msg-no-config-above = no { $config } in this folder or any above it; give one with -w DIR or TALLY_WORKSPACE, or create one with `tally init`
msg-named-by-rules = {" "}(named by `rules` in { $config })
msg-path-not-utf8 = { $path }: not valid UTF-8 text
msg-bad-period = bad period "{ $period }": expected a quarter like 2025Q3 or a year like 2025
msg-bad-quarter = bad period "{ $period }": expected a quarter like 2025Q3
msg-bad-year-arg = bad year "{ $year }": expected a year like 2025
msg-unknown-studio = --studio: no studio "{ $studio }" in the roster; studios: { $studios }
msg-no-marks = { $n } delegate(s) have no evaluation marks for { $year }, so no composite or grade: { $names }
msg-wrote-annual = wrote annual-{ $year }.csv, .json and .html to { $dir }
msg-restated = { $period } was published ({ $path }, version { $version }); the figures of { $n } delegate(s) here differ from the published notice — `tally check` lists the restatements
msg-late-period = { $period } ({ $n } { $n ->
    [one] record
   *[other] records
})
msg-late-refused = import refused: records dated inside published periods: { $periods }; the rules say [publishing] late_records = "refuse" (nothing was added to the ledger)
msg-late-records = records dated inside published periods: { $periods }; their published figures will no longer reproduce (`tally check` lists them; `tally publish PERIOD --restate --reason TEXT`)

msg-void-no-reason = --reason: say why (it is kept with the record)
msg-voided-record = voided { $record }
msg-restored-record = restored { $record }
msg-voided-summary = { $n } { $n ->
    [one] record voided; the ledger keeps it
   *[other] records voided; the ledger keeps them
} and its trail is in { $trail }
msg-restored-summary = { $n } { $n ->
    [one] record restored; the ledger keeps it
   *[other] records restored; the ledger keeps them
} and its trail is in { $trail }
msg-void-source-none-voided = --source { $source }: no voided record of the ledger came from this file
msg-void-source-none-live = --source { $source }: no live record of the ledger came from this file
msg-void-key-short = { $key }: too short to name a record; give at least 6 characters of the key `tally records` shows
msg-void-key-unknown = { $key }: no record of the ledger has this key (see `tally records`)
msg-void-already = { $key }: already void since { $on } ({ $reason })
msg-void-not-void = { $key }: is not void
msg-void-key-ambiguous = { $key }: names { $n } records; give more of the key
msg-nothing-changed = nothing was changed
msg-void-trail-unreadable = { $path }: cannot read: { $why }; nothing was changed

msg-rules-no-review = missing table [review]
msg-rules-no-category = the rules define no [[category]]
msg-rules-no-item = the rules define no [[item]]
msg-rules-item-twice = item "{ $item }" is defined twice
msg-rules-unknown-category = item "{ $item }": category "{ $category }" does not exist, expected one of { $expected }
msg-rules-no-points = item "{ $item }" needs points or outcomes
msg-rules-unknown-cap-period = item "{ $item }": unknown cap period "{ $per }", expected cycle, quarter or month
msg-rules-bad-number = expected a number from -{ $limit } to { $limit }
msg-rules-alias-twice = alias "{ $alias }" is used by two items, { $a } and { $b }
msg-rules-obligation-unknown-item = obligation names unknown item "{ $item }"

msg-cannot-write = { $path }: cannot write: { $why }
why-no-folder = the folder does not exist
why-part-is-a-file = a part of the path is a file, not a folder
why-disk-full = no space left on the disk
why-read-only = the disk is read-only
why-is-a-folder = is a folder; give a file name
why-file-too-large = the file is larger than this system allows (ulimit -f)
why-quota = the disk quota is exceeded
why-pipe-closed = the reader closed the pipe
and-more = and { $n } more
and-more-inline = {" "}and { $n } more

line-note = note: { $message }

## check

check-count-separator = {"; "}
check-count-delegates = { $n } delegates
check-count-rows = { $path }: { $n } rows
check-count-ledger-records = { $n } ledger records
check-count-published = { $n } published period(s)
msg-check-ok = ok: { $counts }
msg-check-found = check found { $n } { $n ->
    [one] problem
   *[other] problems
}
msg-check-found-stopped = check found { $n } { $n ->
    [one] problem
   *[other] problems
}; { $why }
msg-check-stopped-no-roster = the other files are checked once the roster can be read
msg-ledger-format-1 = { $path }: written in ledger format 1 (with a key column); it reads as it is, and `tally import --upgrade-ledger` rewrites it in the current format
msg-check-not-in-year = not in { $year }, the year of this file
msg-check-not-in-order = { $path }:{ $line }: not in date order (edited by hand?); reports still sort it
msg-check-not-in-roster = not in the roster
msg-check-unknown-item = not an item code of the rules
msg-check-same-record-twice = the same record twice (first at line { $first })
msg-check-ledger-is-a-file = is a file, not a folder: the ledger is a folder of <year>.csv files (see `ledger` in tally.toml)
msg-check-not-a-year-file = not a ledger year file (named like 2025.csv); its records count nowhere: move it out of the ledger folder, or import it
msg-check-unmarked = { $year }: { $delegate } { $name } has no evaluation marks, so no composite or grade

## Petitions reconciled with the ledger

msg-rec-not-in-register = not in the petitions register { $register }
msg-rec-not-agent = { $item } by a delegate who is not the agent of { $id }: { $entry } names { $delegate }
msg-rec-resolved-twice = { $id } claimed as resolved twice (first at { $file }:{ $line })
msg-rec-unclaimed = { $register }:{ $line }: { $id } resolved on { $day }, and no ledger record claims its resolution
msg-rec-not-resolved = { $item } for { $id }, which { $entry } does not show resolved
msg-rec-before-resolved = before { $id } was resolved ({ $day } by { $entry })
msg-rec-no-satisfaction = { $entry } records no satisfaction for { $id }
msg-rec-satisfaction = { $entry } records satisfaction { $satisfaction } for { $id }

## import and the ledger

msg-import-check-failed = checking a file failed unexpectedly
msg-import-refused = import refused: { $n } { $n ->
    [one] problem
   *[other] problems
} found; nothing was added to the ledger
msg-import-id-reused = id already used with other content at { $file }:{ $line }
msg-import-id-in-ledger = id already in the ledger with other content ({ $file }:{ $line }); correct it there or use a new id
msg-import-voided-note = {" "}({ $n } voided, not counted)
msg-import-file = { $path }: { $rows } rows, { $added } added, { $already } already in the ledger{ $voided }
msg-import-file-dry = { $path }: { $rows } rows, { $added } to add, { $already } already in the ledger{ $voided }
msg-import-total = { $added } added, { $already } already in the ledger{ $voided }
msg-import-total-dry = { $added } would be added, { $already } already in the ledger{ $voided } (dry run: the ledger is unchanged)
msg-upgrade-nothing = the ledger is already in the current format; nothing was changed
msg-upgrade-rewrote = rewrote in the current format: { $files }
msg-ledger-folder-is-a-file = { $path }: the ledger folder above it is a file, not a folder
msg-cannot-create = { $path }: cannot create: { $why }
msg-lock-wait-import = waiting for an import to finish ({ $dir }/.lock)
msg-lock-wait-other = waiting for another import to finish ({ $dir }/.lock)
msg-lock-cannot-open = { $dir }/.lock: cannot open: { $why }
msg-lock-cannot-lock = { $dir }/.lock: cannot lock: { $why }
msg-finishing-interrupted = { $path }: finishing an interrupted import

## Workbooks, writes and options

msg-sheet-empty = the sheet is empty
msg-sheet-empty-others = the sheet is empty; the other sheets: { $others } (choose one with --sheet)
msg-workbook-password = { $path }: the workbook is protected by a password; save a copy without one and import that
msg-workbook-unreadable = { $path }: not a readable workbook ({ $why }); open it in a spreadsheet and save it again
msg-workbook-no-sheets = { $path }: the workbook has no sheets
msg-workbook-no-such-sheet = { $path }: no sheet named { $sheet }; the sheets are: { $sheets }
why-ends-with-slash = names a folder (it ends with /); give a file name
why-too-many-links = too many levels of symbolic links
why-folder-missing = the folder { $folder } does not exist
why-no-system-file = does not exist, and tally creates no file under /dev, /proc or /sys
msg-no-report-options = { $given }: `tally { $command }` writes no report; { $given } applies to quarter, annual, report, studios, petitions, explain, obligations, diff-rules and rules

## Published periods

msg-restatement-line = { $delegate } { $name }: published { $published }, now { $now } — { $why }
why-not-listed = not listed
why-rules-changed = rules changed
why-records-voided = records voided
why-records-added = records added after publication
why-records-removed = records removed from the ledger
why-adjustments-changed = review-team adjustments changed
why-roster-changed = roster changed
why-marks-changed = evaluation marks changed
why-rank-moved = rank moved as other delegates' figures changed
why-changed-otherwise = figures changed otherwise
msg-not-a-publication = { $path }: not a record of published figures ({ $why }); it is written by `tally publish`
msg-no-longer-reproduces = { $period } no longer reproduces: { $line }
msg-cannot-be-reproduced = { $period } cannot be reproduced: { $line }
msg-already-published = { $period } is already published ({ $path }, version { $version }, { $at }); to publish corrected figures: tally publish { $period } --restate --reason TEXT
msg-nothing-to-restate = { $period } has not been published, so there is nothing to restate; publish it first: tally publish { $period }
msg-published = published { $period }: { $n } delegates; { $files }
msg-restated-as = restated { $period } as version { $version }: { $n } delegate(s) with changed figures; { $files }

## petitions

msg-split-by-needs-dir = --split-by writes one file per group: give the folder with -o DIR/
msg-no-standards = --fail-on-below-standard: { $rules } sets no [petitions] standards (like standards = {"{"} on_time_rate = 0.9, satisfaction_rate = 0.85, min_items = 3 {"}"})
msg-no-petitions-register = { $path }: no petitions register (create it with the header of `tally init`)
msg-found-overdue = { $n } item(s) overdue as of { $as_of }
msg-found-due-soon = { $n } item(s) due within { $within } as of { $as_of } (by { $by })
msg-found-below-standard = { $n } department(s) below standard as of { $as_of }: { $departments }
msg-wrote-digests = wrote { $n } { $group } digest(s) ({ $ext }) to { $dir }
msg-calendar-uncovered = { $rules }: [calendar] lists no holidays for { $year }, so working days in { $year } are counted Monday to Friday only ({ $what }: { $day }); add { $year }'s holidays and make-up working days (see rules/README.md)

## Other commands

msg-explain-no-csv = explain has three tables (records, adjustments, totals): use --format table, json, md, html or xlsx
msg-lookup-ambiguous = two delegates share this name; give the id
msg-lookup-unknown = not in the roster (give an id, or a name only one delegate has)
msg-lookup-failed = { $path }: { $why } ({ $delegate })
msg-report-all-no-delegate = report --all takes no delegate: `tally report --all [YEAR] -o DIR/`
msg-report-all-needs-dir = report --all writes one file per delegate: give the folder with -o DIR/
msg-report-no-csv = a duty report has several tables: use --format html, md, json, table or xlsx
msg-not-in-office-in-year = { $delegate } { $name } was not in office in { $year }
msg-wrote-duty-reports = wrote { $n } duty reports for { $year } to { $dir }
msg-delegate-arg = --delegate { $delegate }: { $why }
msg-studio-arg = --studio { $studio }: no such studio in the roster (studios: { $studios })
msg-item-arg = --item { $item }: not an item code or alias of the rules (see `tally rules`)
msg-from-after-to = --from { $from } is after --to { $to }: no day to list
msg-template-format = a template is an .xlsx workbook or a .csv header, not { $format }
msg-wrote = wrote { $path }
msg-already-a-workspace = { $path }: already a workspace ({ $config } exists); nothing was changed
msg-already-exists = { $path }: already exists; nothing was changed
msg-created-workspace = created workspace { $path }: edit data/delegates.csv, then `tally import` the records offices send (inbox/activities-template.xlsx is a sheet for them to fill)
msg-rules-unknown-late-records = unknown late_records "{ $value }", expected "warn" or "refuse"
msg-rules-unknown-petition-role = item "{ $item }": unknown petition "{ $value }", expected "agent" or "resolved"
msg-rules-petition-needs-ref = item "{ $item }": a petition item needs requires_ref = true
msg-rules-unknown-cycle = unknown cycle "{ $value }", expected "year"
msg-rules-unknown-rank-within = unknown rank_within "{ $value }", expected "studio", "sector" or "all"
msg-rules-category-twice = category "{ $category }" is defined twice
msg-rules-code-one-word = item code must be one word ("{ $item }")
msg-rules-outcome-points = item "{ $item }": outcome { $outcome } must be a number of points
msg-rules-outcome-alias-unknown = item "{ $item }": outcome alias "{ $alias }" names unknown outcome "{ $outcome }"
msg-rules-points-and-outcomes = item "{ $item }" has both points and outcomes; give one
msg-rules-cap-negative = item "{ $item }": a cap cannot be negative
msg-rules-unknown-obligation-period = unknown obligation period "{ $value }", expected month or year
msg-rules-at-least = at_least must be a whole number of 1 or more
msg-rules-reply-within-both = give reply_within_days or reply_within, not both
msg-rules-reply-within-days = reply_within_days must be a positive whole number
msg-rules-reply-within = reply_within "{ $value }" is not understood, expected like "15 days" or "15 working days"
msg-rules-forward-within = forward_within_days must be a whole number of days, 0 or more
msg-rules-share = { $name } must be a share from 0 to 1 (like 0.9)
msg-rules-standards-empty = standards need on_time_rate or satisfaction_rate (or both)
msg-rules-min-items = min_items must be a positive whole number
msg-rules-not-a-date = not a date ({ $text })
msg-rules-weights = points_weight + evaluation_weight must be 1, found { $found }
msg-rules-unknown-cap-grade = unmet_obligation_caps_grade "{ $grade }" is not one of the grades
msg-rules-group-weight = group { $group }: weight must be a number of 0 or more
msg-rules-no-groups = review groups must name at least one evaluator group
msg-rules-group-weights = review group weights must sum to 1, found { $found }
msg-rules-group-alias-unknown = group alias "{ $alias }" names unknown group "{ $group }"
msg-rules-grade-min = grade { $grade }: min must be a number
msg-rules-no-grades = grades must list at least one band
msg-rules-grades-order = grades must be listed from the highest min down, each min lower than the one before
progress-checking = checking
msg-temporary-folder = a temporary folder
