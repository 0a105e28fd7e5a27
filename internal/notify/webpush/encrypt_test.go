package webpush

import (
	"bytes"
	"crypto/ecdh"
	"errors"
	"testing"
)

func mustB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := decode64(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEncryptRFC8291Vector holds encrypt to RFC 8291 Appendix A: the same
// keys and salt must give the same body, byte for byte.
func TestEncryptRFC8291Vector(t *testing.T) {
	t.Parallel()
	as, err := ecdh.P256().NewPrivateKey(mustB64(t, "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(as.PublicKey().Bytes(), mustB64(t, "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8")) {
		t.Fatal("as_public differs from the RFC")
	}
	got, err := encrypt([]byte("When I grow up, I want to be a watermelon"),
		mustB64(t, "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
		mustB64(t, "BTBZMqHH6r4Tts7J_aSIgg"), as, mustB64(t, "DGv6ra1nlYgDCS1FRnbzlw"))
	if err != nil {
		t.Fatal(err)
	}
	want := mustB64(t, "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN")
	if !bytes.Equal(got, want) {
		t.Fatalf("body differs from RFC 8291 Appendix A\n got %x\nwant %x", got, want)
	}
}

func TestEncryptRefuses(t *testing.T) {
	t.Parallel()
	as, err := ecdh.P256().NewPrivateKey(mustB64(t, "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
	if err != nil {
		t.Fatal(err)
	}
	ua := mustB64(t, "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4")
	salt := make([]byte, 16)
	tests := []struct {
		name      string
		plaintext []byte
		ua, auth  []byte
		want      error
	}{
		{"TooLarge", make([]byte, MaxPayload+1), ua, make([]byte, 16), ErrPayloadTooLarge},
		{"ShortAuth", nil, ua, make([]byte, 8), ErrBadSubscription},
		{"NotAPoint", nil, append([]byte{4}, make([]byte, 64)...), make([]byte, 16), ErrBadSubscription},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := encrypt(tt.plaintext, tt.ua, tt.auth, as, salt); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("MaxPayloadFitsIn4096", func(t *testing.T) {
		t.Parallel()
		body, err := encrypt(make([]byte, MaxPayload), ua, make([]byte, 16), as, salt)
		if err != nil || len(body) != 4096 {
			t.Fatalf("%d %v", len(body), err)
		}
	})
}
