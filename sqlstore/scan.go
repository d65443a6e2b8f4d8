package sqlstore

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// Scanners for the columns whose Go value differs between the databases.
// database/sql hands a Scanner SQLite's stored values (TEXT GUIDs and
// dates, INTEGER milliseconds and booleans); pgx hands it the database/sql
// value of PostgreSQL's types (a GUID's text, time.Time for timestamptz and
// date, bool). NULL scans as the zero value.

// uuidCol scans a GUID column.
type uuidCol struct{ p *uuid.UUID }

func (c uuidCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = uuid.Nil
	case string:
		u, err := uuid.Parse(v)
		if err != nil {
			return err
		}
		*c.p = u
	case []byte:
		if len(v) == 16 {
			copy(c.p[:], v)
			return nil
		}
		u, err := uuid.ParseBytes(v)
		if err != nil {
			return err
		}
		*c.p = u
	case [16]byte:
		*c.p = v
	default:
		return fmt.Errorf("scan GUID: unexpected %T", src)
	}
	return nil
}

// timeCol scans a timestamp column.
type timeCol struct{ p *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = time.Time{}
	case int64:
		*c.p = time.UnixMilli(v).UTC()
	case time.Time:
		*c.p = v.UTC()
	default:
		return fmt.Errorf("scan timestamp: unexpected %T", src)
	}
	return nil
}

// dateCol scans a date column.
type dateCol struct{ p *goalpost.Date }

func (c dateCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = goalpost.Date{}
	case string:
		d, err := goalpost.ParseDate(v)
		if err != nil {
			return err
		}
		*c.p = d
	case []byte:
		return c.Scan(string(v))
	case time.Time:
		*c.p = goalpost.DateOf(v)
	default:
		return fmt.Errorf("scan date: unexpected %T", src)
	}
	return nil
}

// boolCol scans a boolean column.
type boolCol struct{ p *bool }

func (c boolCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = false
	case bool:
		*c.p = v
	case int64:
		*c.p = v != 0
	default:
		return fmt.Errorf("scan boolean: unexpected %T", src)
	}
	return nil
}
