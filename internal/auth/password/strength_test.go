package password

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

func TestCheckStrength(t *testing.T) {
	t.Parallel()
	const (
		lower  = "abcdefghijklmnopqrstuvwxyz"
		upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		digits = "0123456789"
	)
	charsMsg := "Password should contain at least one character of each: " + lower + ", " + upper + ", " + digits + "."
	tests := []struct {
		name        string
		plain       string
		minLength   int
		sets        []string
		wantReasons []string
		wantMessage string
	}{
		{"long enough", "abcdef", 6, nil, nil, ""},
		{"too short", "abcde", 6, nil, []string{ReasonLength}, "Password should be at least 6 characters."},
		{"empty", "", 6, nil, []string{ReasonLength}, "Password should be at least 6 characters."},
		{"length disabled", "", 0, nil, nil, ""},
		{"negative length disabled", "", -1, nil, nil, ""},
		{"code points not bytes", "日本語", 3, nil, nil, ""},
		{"multibyte too short", "日本語", 4, nil, []string{ReasonLength}, "Password should be at least 4 characters."},
		{"all classes present", "Abcdef1", 6, []string{lower, upper, digits}, nil, ""},
		{"missing digit", "Abcdefg", 6, []string{lower, upper, digits}, []string{ReasonCharacters}, charsMsg},
		{"missing two classes", "abcdefg", 6, []string{lower, upper, digits}, []string{ReasonCharacters}, charsMsg},
		{"short and missing", "abc", 6, []string{lower, upper, digits}, []string{ReasonLength, ReasonCharacters}, "Password should be at least 6 characters. " + charsMsg},
		{"empty sets ignored", "abcdef", 6, []string{"", lower, ""}, nil, ""},
		{"empty set in message skipped", "ABCDEF", 6, []string{"", lower}, []string{ReasonCharacters}, "Password should contain at least one character of each: " + lower + "."},
		{"unicode set", "passwörd", 1, []string{"äöü"}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := CheckStrength(tc.plain, tc.minLength, tc.sets...)
			if tc.wantReasons == nil {
				if err != nil {
					t.Fatalf("CheckStrength() = %v, want nil", err)
				}
				return
			}
			var weak *WeakPasswordError
			if !errors.As(err, &weak) {
				t.Fatalf("CheckStrength() = %v (%T), want *WeakPasswordError", err, err)
			}
			if !slices.Equal(weak.Reasons, tc.wantReasons) {
				t.Errorf("Reasons = %q, want %q", weak.Reasons, tc.wantReasons)
			}
			if weak.Message != tc.wantMessage || err.Error() != tc.wantMessage {
				t.Errorf("Message = %q, want %q", weak.Message, tc.wantMessage)
			}
		})
	}
}

func TestWeakPasswordErrorJSON(t *testing.T) {
	t.Parallel()
	err := CheckStrength("ab", 6, "0123456789")
	var weak *WeakPasswordError
	if !errors.As(err, &weak) {
		t.Fatalf("CheckStrength() = %v", err)
	}
	got, mErr := json.Marshal(weak)
	if mErr != nil {
		t.Fatal(mErr)
	}
	want := `{"message":"Password should be at least 6 characters. Password should contain at least one character of each: 0123456789.","reasons":["length","characters"]}`
	if string(got) != want {
		t.Fatalf("json = %s\nwant   %s", got, want)
	}
}
