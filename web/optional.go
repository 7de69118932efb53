package web

import (
	"bytes"
	"encoding/json"
	"time"

	"gatehouse/app"
)

// optional is a request field that remembers whether the client sent it and
// whether it sent null. Partial updates (PUT) keep stored values for absent
// fields and clear nullable ones sent as null.
type optional[T any] struct {
	set   bool
	null  bool
	value T
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.null = true
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // nested objects are as strict as the body
	return dec.Decode(&o.value)
}

// apply stores the sent value in dst; null stores the zero value. An absent
// field leaves dst alone.
func (o optional[T]) apply(dst *T) {
	if !o.set {
		return
	}
	var zero T
	if o.null {
		*dst = zero
		return
	}
	*dst = o.value
}

// timeString formats t as RFC 3339 in UTC, the contract's date-time form.
func timeString(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// timePtr is timeString for nullable times.
func timePtr(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := timeString(*t)
	return &s
}

// stringPtr returns nil for "" so that empty nullable strings encode as null.
func stringPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// given reports whether the client sent a non-null value.
func (o optional[T]) given() bool { return o.set && !o.null }

// field pairs a request field's name with whether it was given.
type field struct {
	name  string
	given bool
}

// requireFields returns the parameter_missing error of the first field that
// was not given, or nil.
func requireFields(fields ...field) error {
	for _, f := range fields {
		if !f.given {
			return app.Missing(f.name)
		}
	}
	return nil
}
