package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/goalpost/goalpost"
)

// This file reads the bodies of /api/v1: JSON objects decoded strictly
// (unknown and read-only properties are errors naming them, a value of the
// wrong type is an error naming its property), and PATCH bodies as JSON
// merge patches (RFC 7396) applied to the stored record inside the store's
// transaction.

// invalidBody is a 400 about the request body; target names the property.
func invalidBody(target, format string, args ...any) error {
	return &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidRequestBody", Target: target, Message: fmt.Sprintf(format, args...)}
}

// bodyObject is a JSON object read from a request, its members still raw.
type bodyObject map[string]json.RawMessage

// has reports whether the object holds the property name.
func (o bodyObject) has(name string) bool { _, ok := o[name]; return ok }

// readObject reads a request body that must be one JSON object. mediaTypes
// are the Content-Types it accepts (parameters such as charset aside).
func (s *Server) readObject(r *http.Request, mediaTypes ...string) (bodyObject, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !slicesContainsFold(mediaTypes, mt) {
		return nil, &goalpost.Error{Code: goalpost.EUNSUPPORTEDMEDIA, Inner: "invalidRequestBody",
			Message: "The request body must be JSON (Content-Type: " + strings.Join(mediaTypes, " or ") + ")."}
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, s.bodyReadError(r, err)
	}
	var obj bodyObject
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, invalidBody("", "The request body must be a JSON object.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalidBody("", "The request body must hold one JSON object and nothing after it.")
	}
	return obj, nil
}

// bodyReadError is the error of a body that could not be read: 413 when it
// is over the bound.
func (s *Server) bodyReadError(r *http.Request, err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &goalpost.Error{Code: goalpost.ETOOLARGE, Inner: "invalidRequestBody",
			Message: fmt.Sprintf("The request body is larger than %d bytes.", mbe.Limit)}
	}
	return invalidBody("", "The request body could not be read.")
}

func slicesContainsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// jsonField is a property of a Go type as encoding/json sees it.
type jsonField struct {
	index []int
	typ   reflect.Type
}

// jsonFields returns the JSON properties of struct type t, embedded
// structs flattened.
func jsonFields(t reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), prefix...), i)
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, idx)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			out[name] = jsonField{index: idx, typ: f.Type}
		}
	}
	walk(t, nil)
	return out
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// structType returns the struct type a property of type t holds as a JSON
// object that this file walks into, or nil (a type that decodes itself, a
// list, a scalar).
func structType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	return t
}

// bodyShape says which properties a body may hold: those of the resource's
// JSON (and of the objects inside them) but the read-only ones.
type bodyShape struct {
	typeName string       // the resource, for messages ("item")
	full     reflect.Type // the resource's JSON, which the body decodes into
	readOnly []string     // the properties of full that this request may not set
}

// writable returns the properties a body of the shape may set.
func (sh bodyShape) writable() map[string]jsonField {
	fields := jsonFields(sh.full)
	for _, name := range sh.readOnly {
		delete(fields, name)
	}
	return fields
}

// check refuses unknown and read-only properties, naming them with their
// path ("metric.unit").
func (sh bodyShape) check(obj bodyObject) error {
	fields := jsonFields(sh.full)
	for name, raw := range obj {
		f, ok := fields[name]
		if !ok {
			return unknownProperty(name, sh.typeName)
		}
		if contains(sh.readOnly, name) {
			return readOnlyError(name)
		}
		if err := checkNested(name, raw, f.typ); err != nil {
			return err
		}
	}
	return nil
}

// checkNested refuses unknown properties inside a property that is an
// object of a struct type.
func checkNested(path string, raw json.RawMessage, t reflect.Type) error {
	st := structType(t)
	if st == nil {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		return nil // null, or not an object: decoding names the type error
	}
	fields := jsonFields(st)
	for name, v := range obj {
		f, ok := fields[name]
		if !ok {
			return unknownProperty(path+"."+name, path)
		}
		if err := checkNested(path+"."+name, v, f.typ); err != nil {
			return err
		}
	}
	return nil
}

func readOnlyError(name string) error {
	return invalidBody(name, "The property %s is read-only and cannot be set.", strconv.Quote(truncate(name, 64)))
}

func unknownProperty(name, typeName string) error {
	return invalidBody(truncate(name, 64), "The property %s does not exist on %s.", strconv.Quote(truncate(name, 64)), typeName)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// decodeInto decodes the properties of obj into the fields of *dst (a
// struct), each strictly and on its own so that an error names its
// property. Properties dst does not have are errors; call check first for
// the better message.
func decodeInto(obj bodyObject, dst any, typeName string) error {
	v := reflect.ValueOf(dst).Elem()
	fields := jsonFields(v.Type())
	for name, raw := range obj {
		f, ok := fields[name]
		if !ok {
			return unknownProperty(name, typeName)
		}
		fv := v.FieldByIndex(f.index)
		ptr := reflect.New(fv.Type())
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(ptr.Interface()); err != nil {
			return valueError(name, f.typ, err)
		}
		fv.Set(ptr.Elem())
	}
	return nil
}

// valueError turns a decoding error of property name into a 400 naming it.
func valueError(name string, t reflect.Type, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		target := name
		if te.Field != "" {
			target = name + "." + te.Field
		}
		return invalidBody(target, "The property %s must be %s, not a JSON %s.", strconv.Quote(target), jsonKind(te.Type), te.Value)
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return invalidBody(name, "The property %s is not valid: %s.", strconv.Quote(name), strings.TrimSuffix(truncate(msg, 200), "."))
}

// jsonKind names what a Go type reads from JSON.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "of another type"
}

// decodeBody reads a POST body of shape sh into dst (a pointer to a
// sh.full), returning the object for the properties' presence.
func (s *Server) decodeBody(r *http.Request, sh bodyShape, dst any) (bodyObject, error) {
	obj, err := s.readObject(r, "application/json")
	if err != nil {
		return nil, err
	}
	if err := sh.check(obj); err != nil {
		return nil, err
	}
	if err := decodeInto(obj, dst, sh.typeName); err != nil {
		return nil, err
	}
	return obj, nil
}

// readPatch reads a PATCH body: a JSON merge patch of the shape sh.
func (s *Server) readPatch(r *http.Request, sh bodyShape) (bodyObject, error) {
	obj, err := s.readObject(r, "application/json", "application/merge-patch+json")
	if err != nil {
		return nil, err
	}
	if err := sh.check(obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// applyPatch applies the merge patch to cur (the JSON of the stored
// record) and decodes the result into *cur.
func applyPatch[T any](patch bodyObject, cur *T, typeName string) error {
	b, err := json.Marshal(cur)
	if err != nil {
		return fmt.Errorf("encode for patch: %w", err)
	}
	merged, err := mergePatch(b, patch)
	if err != nil {
		return err
	}
	var next T
	if err := decodeInto(merged, &next, typeName); err != nil {
		return err
	}
	*cur = next
	return nil
}

// mergePatch applies patch to the JSON object doc as RFC 7396 says: null
// removes a member, an object merges into an object, anything else
// replaces.
func mergePatch(doc json.RawMessage, patch bodyObject) (bodyObject, error) {
	var target bodyObject
	if err := json.Unmarshal(doc, &target); err != nil || target == nil {
		target = bodyObject{}
	}
	for name, pv := range patch {
		if isNull(pv) {
			delete(target, name)
			continue
		}
		var sub bodyObject
		if json.Unmarshal(pv, &sub) == nil && sub != nil {
			merged, err := mergePatch(target[name], sub)
			if err != nil {
				return nil, err
			}
			b, err := json.Marshal(merged)
			if err != nil {
				return nil, err
			}
			target[name] = b
			continue
		}
		target[name] = pv
	}
	return target, nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }
