package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// payload is a JSON request body: one object, or an array of objects.
type payload struct {
	array bool
	rows  []json.RawMessage
	keys  [][]string // each row's keys, in order
}

// parsePayload reads a write body. Anything but an object or an array of
// objects is PGRST102, as is an empty body.
func parsePayload(body []byte) (*payload, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, invalidBody("Empty or invalid json")
	}
	var p payload
	switch body[0] {
	case '{':
		keys, err := objectKeys(body)
		if err != nil {
			return nil, invalidBody("Empty or invalid json")
		}
		p.rows, p.keys = []json.RawMessage{body}, [][]string{keys}
	case '[':
		p.array = true
		var rows []json.RawMessage
		if err := json.Unmarshal(body, &rows); err != nil {
			return nil, invalidBody("Empty or invalid json")
		}
		for _, r := range rows {
			keys, err := objectKeys(r)
			if err != nil {
				return nil, invalidBody("All object keys must match")
			}
			p.rows = append(p.rows, r)
			p.keys = append(p.keys, keys)
		}
	default:
		return nil, invalidBody("Empty or invalid json")
	}
	return &p, nil
}

var errNotObject = errors.New("not a JSON object")

// objectKeys returns the keys of a JSON object in order, validating it.
func objectKeys(raw []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errNotObject
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := tok.(string)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errNotObject
	}
	return keys, nil
}

// sameKeys reports whether two key lists hold the same set.
func sameKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	set := make(map[string]bool, len(a))
	for _, k := range a {
		set[k] = true
	}
	for _, k := range b {
		if !set[k] {
			return false
		}
	}
	return true
}

// rowsJSON joins rows into one JSON array.
func rowsJSON(rows []json.RawMessage) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(r)
	}
	b.WriteByte(']')
	return b.String()
}
