package query

import "strings"

// Arrow is the JSON operator in front of one step of a JSON path.
type Arrow uint8

const (
	// ArrowJSON is "->": the step yields json/jsonb.
	ArrowJSON Arrow = iota + 1
	// ArrowText is "->>": the step yields text.
	ArrowText
)

// String returns "->" or "->>".
func (a Arrow) String() string {
	if a == ArrowText {
		return "->>"
	}
	return "->"
}

// JSONStep is one step of a JSON path: "->key", "->>key" or "->0".
type JSONStep struct {
	Arrow Arrow
	// Key is the object key, or the array index as written ("0", "-1") when Index is set.
	Key   string
	Index bool
}

// Field is a column, optionally followed by a JSON path: data->a->>b.
type Field struct {
	Name     string
	JSONPath []JSONStep
}

// String writes the field as it appears in a query string.
func (f Field) String() string {
	var b strings.Builder
	b.WriteString(quoteName(f.Name))
	for _, st := range f.JSONPath {
		b.WriteString(st.Arrow.String())
		if st.Index {
			b.WriteString(st.Key)
		} else {
			b.WriteString(quoteJSONKey(st.Key))
		}
	}
	return b.String()
}

// OutputName is the name PostgREST gives the field in a response when no alias is
// given: the last key of the JSON path, or the column name when the path is empty
// or holds only array indexes.
func (f Field) OutputName() string {
	for i := len(f.JSONPath) - 1; i >= 0; i-- {
		if !f.JSONPath[i].Index {
			return f.JSONPath[i].Key
		}
	}
	return f.Name
}

// quoteJSONKey quotes a key unless it is a plain name that cannot be mistaken for
// an array index.
func quoteJSONKey(k string) string {
	if isPlainName(k) && strings.Trim(k, "0123456789") != "" {
		return k
	}
	return quoteString(k)
}
