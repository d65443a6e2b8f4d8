// Package importcsv reads the Explorer CSV that csvexport writes (and that
// Viva Goals wrote) back into goalpost's model: Parse reads and checks a
// file, and File.Build turns it into the goalpost.Dataset that
// GoalsStore.ImportOrganization writes. The format is described in
// DOMAIN.md ("The export CSV"); this package is its inverse, so that an
// export of an imported file is the file again, byte for byte, when the
// file is itself an export.
//
// # Reading
//
// A file is UTF-8, with or without a byte order mark, RFC 4180, with lines
// ending CRLF or LF; quoted line breaks read as LF. It has at most MaxRows
// records after the header and no field longer than MaxFieldBytes. Records
// whose cells are all empty are skipped. A record shorter than the header
// reads its missing trailing cells as empty; a longer one is an error,
// unless Checkins (with its overflow columns) ends the header: the extra
// cells are then further check-ins.
//
// Header names match ignoring case. Each may appear once; Id, Title and
// Object Type (or OKR type) are required. Empty header cells are allowed
// only in the run right after Checkins: they are its overflow columns,
// which messages call "Checkins (overflow 1)", "Checkins (overflow 2)", …
//
// The columns, and how they read:
//
//   - Id: a positive whole number, unique in the file. Items keep their Ids.
//   - Title: required, verbatim.
//   - Team: team names joined with "; ". Owner: display names joined with
//     ", ". A team name containing "; " or a display name containing ", "
//     cannot be told apart from two, and reads as two. A name given twice
//     in one Owner cell is two people of that name: the second is the
//     namesake with the id uuid.NewSHA1(OrgID, "user:<name>#2") (and so
//     on), the same on every import; other cells (Creator, check-in User)
//     name the first.
//   - Creator, Period, Description, Metric Name, Unit, Last Check-in Note:
//     verbatim.
//   - Start Date, End Date, Last Check-in: YYYY-MM-DD or empty.
//   - Created At: YYYY-MM-DD HH:MM:SS UTC or empty.
//   - Target, Start, Progress %, Actual Progress, Score: decimal numbers
//     (an empty cell is 0, Score excepted). Progress is 0..100; Score is
//     0..1 and only a Closed item may have one.
//   - Aligned To (weight, Objective ID): parents as
//     Title(weight: 14.29%, Id: 2295776) joined with " / ". A title may
//     hold " / " or parentheses, but not "(weight: n%, Id: n)" followed
//     by " / " or the end of the cell. Weights are 0..100.
//   - Object Type: the organization's word for the kind, ignoring case.
//   - Goal Type: Aspirational Goal or Committed Goal, ignoring case; empty
//     is aspirational.
//   - Status: Not Started, On Track, Behind, At Risk, Closed, Postponed or
//     Reopened, ignoring case; empty is Not Started.
//   - Checkins and its overflow columns: one check-in per cell, newest
//     first, empty cells skipped:
//     "Checkin Date: 2025-03-10; User: Megan Bowen; Note: <text>; Metric Name: Progress; Status: On Track; Current Value: 25%; Activity Date: 2025-03-10 20:57:08 UTC;".
//     A note may hold "; ": the note ends at the LAST "; Metric Name: ",
//     and the fields after it are found from the end of the cell. So a
//     display name may not hold "; Note: ", nor a metric name the labels
//     that follow it. The value's trailing "%" is dropped; the check-in's
//     Metric Name is not kept (it is the item's).
//   - Tag: tags joined with ", " (a tag containing ", " reads as two), or
//     one "Tag: <name>" column per tag, whose non-empty cell ("x" or the
//     tag's name, as csvexport writes it) means the item carries the tag.
//     A file has one kind of tag column or the other.
//
// # Header variants
//
// VariantCurrent is the header of the 2025 exports: goalpost.DefaultColumns,
// or a subset of them in any order, with "Tag" or "Tag: <name>" columns
// (after Title unless placed elsewhere) and the header-less overflow
// columns after Checkins.
//
// VariantOlder is goalpost's reading of the Explorer exports Viva Goals
// produced in 2023–24. They have a "Tag" column after Title and, instead of
// "Object Type", two columns: "OKR type", the kind in English (Objective,
// Key Result, Initiative; Project also reads as Initiative), and
// "Type name", the organization's own word for it. A file with an
// "OKR type" column is of this variant; every other column reads as in the
// current variant. The kind comes from OKR type; a new organization takes
// its terminology from Type name (each kind's word must be the same on
// every row, and the three words must differ; a kind without rows keeps
// the default word). An existing organization keeps its terminology.
//
// # Building
//
// Build works on what the organization holds now (existing). A column the
// file does not have leaves the fields it would set as they are on an
// existing item (new items get the defaults below); so a file with a
// subset of the columns updates just those.
//
//   - Organization: the existing one, renamed only when Options.OrgName is
//     set; or a new one named Options.OrgName (default DefaultOrgName) with
//     Options.Terminology, else the older variant's Type name words, else
//     the default terminology.
//   - Users are found by display name (Creator, Owner, check-in User):
//     Options.Owner if the name is theirs, else an existing member of the
//     organization with that name (the lowest id among several), else a
//     new member whose id is uuid.NewSHA1(OrgID, "user:"+name) and whose
//     UPN is <slug>.<first 8 hex digits of OrgID>@imported.invalid. The
//     slug is the name's ASCII letters and digits, lower-cased, in runs
//     joined with "." (Latin letters with diacritics count as their base
//     letter: "Zoë Ångström" is zoe.angstrom). When no letter is left
//     ("李雷"), or another new user or a member has the same UPN, the first
//     8 hex digits of the user's id follow the slug (user.1a2b3c4d.…).
//     Existing members are kept unchanged; new ones are members.
//     Options.Owner becomes an owner. Without Options.Owner the member
//     owner with the lowest id stands for the import (creator of the view
//     and owner of new teams).
//   - Teams and time periods are found by name, else created with ids
//     uuid.NewSHA1(OrgID, "team:"+name) and "period:"+name. A new team is
//     owned by the importer. A new period's dates follow from its name
//     ("Q1 2025" … "Q4 2025", "H1 2025", "H2 2025", and "2025",
//     "FY 2025", "Annual 2025" for the calendar year), else they span the
//     start and end dates of its items, else they are the date of
//     Options.Now.
//   - Items keep their Ids. The kind is Object Type read through the
//     organization's terminology (an unknown word is an error naming the
//     words expected), or OKR type. A new item is at team level when it
//     has teams, else at organization level when it is an objective
//     without parents, else individual; it has manual progress and is
//     visible to everyone, and CreatedAt and UpdatedAt are Created At (or
//     Options.Now). An existing item keeps what the file cannot express:
//     level, visibility, progress mode, numbers and times beyond the
//     file's precision (a number that the file rounds to the same two
//     decimals, a time in the same second), text that differs only in its
//     line breaks, the order of its tags when only that differs; its
//     UpdatedAt stays unless the item changes, when it becomes Options.Now.
//   - Metric: Progress, %, 100, 0 is the percent metric; anything else is
//     a named metric that increases from Start when Target is above it,
//     decreases when below, and stays above when equal. A metric that
//     reads as the existing one is kept whole, with its direction.
//   - A Score is kept for a Closed item only.
//   - Last Check-in and Last Check-in Note set the item's last check-in;
//     without those columns the newest check-in of the Checkins cells does.
//   - Alignments: the parents of Aligned To in cell order, with the cell's
//     weight, not fixed. A parent must be in the file or in the
//     organization, and the cell must give its title. An existing
//     alignment whose weight reads the same is kept as it is. Alignments
//     may not form a cycle, with each other or with the organization's
//     alignments of items the file does not have.
//   - Check-ins: an existing check-in of the item with the same date,
//     activity time, user, status, value and note keeps its ID and
//     Version; the others are new (ID 0: the store assigns it). Check-in
//     ids are not in the file. The dataset lists an item's check-ins
//     oldest first, so that ids assigned in order keep the file's order
//     among check-ins of the same date and time.
//   - The view ViewName: public, selecting every item, created by the
//     importer, exporting with the file's columns (Columns nil when they
//     are exactly the default columns) and tag mode. Its id is
//     Options.ViewID, else uuid.NewSHA1(OrgID, "view:All items"); an
//     existing view with that id keeps its CreatedAt and Version.
//
// The dataset holds the organization, the users and memberships its
// records name, their teams and periods, the file's items in file order
// with their alignments and check-ins, and the view. Records that exist
// keep their Version and CreatedAt. For the items of the dataset, the store
// is expected to make their alignments and check-ins exactly those of the
// dataset.
package importcsv
