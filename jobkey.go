package goalpost

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
)

// JobKey identifies an export job on the wire: "j!" followed by the unpadded
// base64url encoding of 32 bytes, the job GUID then the organization GUID, each
// in .NET byte order (Guid.ToByteArray, Python's uuid.bytes_le). The job GUID
// is a version-1 UUID whose timestamp is the job's creation time.
type JobKey struct {
	JobID uuid.UUID
	OrgID uuid.UUID
}

// jobKeyPrefix starts every job key; 43 base64url characters follow it.
const (
	jobKeyPrefix  = "j!"
	jobKeyBodyLen = 43
)

// ErrInvalidJobKey is the error for a string that is not of the job-key form.
var ErrInvalidJobKey = &Error{Code: EINVALID, Inner: "unknown", Message: "Invalid JobKey specified"}

// String returns the wire form of the key.
func (k JobKey) String() string {
	var b [32]byte
	putBytesLE(b[:16], k.JobID)
	putBytesLE(b[16:], k.OrgID)
	return jobKeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// CreatedAt returns the creation time carried by a version-1 job GUID,
// truncated to the millisecond as Graph reports it. It is the zero time for a
// GUID of another version.
func (k JobKey) CreatedAt() time.Time {
	if k.JobID.Version() != 1 {
		return time.Time{}
	}
	sec, nsec := k.JobID.Time().UnixTime()
	return time.Unix(sec, nsec).UTC().Truncate(time.Millisecond)
}

// ParseJobKey parses the wire form of a job key. Anything else is
// ErrInvalidJobKey.
func ParseJobKey(s string) (JobKey, error) {
	if len(s) != len(jobKeyPrefix)+jobKeyBodyLen || s[:2] != jobKeyPrefix {
		return JobKey{}, ErrInvalidJobKey
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s[2:])
	if err != nil || len(b) != 32 {
		return JobKey{}, ErrInvalidJobKey
	}
	return JobKey{JobID: fromBytesLE(b[:16]), OrgID: fromBytesLE(b[16:])}, nil
}

// NewJobID returns a version-1 UUID whose timestamp is t (to 100 ns) and whose
// clock sequence and node are random (the node with its multicast bit set, as
// RFC 9562 asks when no MAC address is used). Randomness comes from r, or
// crypto/rand when r is nil.
func NewJobID(t time.Time, r io.Reader) (uuid.UUID, error) {
	if r == nil {
		r = rand.Reader
	}
	var rnd [8]byte
	if _, err := io.ReadFull(r, rnd[:]); err != nil {
		return uuid.Nil, fmt.Errorf("new job id: %w", err)
	}
	// 100-nanosecond intervals since 1582-10-15 00:00:00 UTC.
	const gregorianToUnix = 122192928000000000
	ts := uint64(t.UnixNano()/100) + gregorianToUnix
	var u uuid.UUID
	binary.BigEndian.PutUint32(u[0:4], uint32(ts))
	binary.BigEndian.PutUint16(u[4:6], uint16(ts>>32))
	binary.BigEndian.PutUint16(u[6:8], uint16(ts>>48)&0x0fff|0x1000)
	u[8] = rnd[0]&0x3f | 0x80 // RFC 4122 variant
	u[9] = rnd[1]
	copy(u[10:], rnd[2:8])
	u[10] |= 0x01 // multicast bit: a random node, not a MAC address
	return u, nil
}

// putBytesLE writes u in .NET byte order: the first three fields little-endian.
func putBytesLE(dst []byte, u uuid.UUID) {
	dst[0], dst[1], dst[2], dst[3] = u[3], u[2], u[1], u[0]
	dst[4], dst[5] = u[5], u[4]
	dst[6], dst[7] = u[7], u[6]
	copy(dst[8:16], u[8:16])
}

// fromBytesLE reads a GUID written in .NET byte order.
func fromBytesLE(b []byte) uuid.UUID {
	var u uuid.UUID
	u[0], u[1], u[2], u[3] = b[3], b[2], b[1], b[0]
	u[4], u[5] = b[5], b[4]
	u[6], u[7] = b[7], b[6]
	copy(u[8:], b[8:16])
	return u
}
