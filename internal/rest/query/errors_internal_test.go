package query

import "testing"

func TestHaskellShow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"plain", `"plain"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"tab\tnl\n", `"tab\tnl\n"`},
		{"\x00\x1b\x7f", `"\NUL\ESC\DEL"`},
		{"\x0eH", `"\SO\&H"`},
		{"é", `"\233"`},
		{"é1", `"\233\&1"`},
		{"日本", `"\26085\26412"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := haskellShow(tt.in); got != tt.want {
				t.Errorf("haskellShow(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		src       string
		pos       int
		line, col int
	}{
		{"start", "abc", 0, 1, 1},
		{"end", "abc", 3, 1, 4},
		{"multibyte counts once", "éa", 2, 1, 2},
		{"tab", "\ta", 1, 1, 9},
		{"tab mid-stop", "ab\tc", 3, 1, 9},
		{"newline", "a\nb", 2, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			line, col := position(tt.src, tt.pos)
			if line != tt.line || col != tt.col {
				t.Errorf("position(%q, %d) = %d:%d, want %d:%d", tt.src, tt.pos, line, col, tt.line, tt.col)
			}
		})
	}
}

func TestCommasOr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a or b"},
		{[]string{"a", "b", "a", "", "c"}, "a, b or c"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := commasOr(tt.in); got != tt.want {
				t.Errorf("commasOr(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
