package config_test

import (
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/notify/webpush"
)

func TestNotifyOptions(t *testing.T) {
	t.Parallel()
	keys, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	other, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OfflineByDefault", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.WhatsApp.Token != "" || c.WhatsApp.APIURL != "https://graph.facebook.com" || c.WhatsApp.APIVersion != "v23.0" ||
			c.WebPush.PublicKey != "" || c.WebPush.Subject != "" {
			t.Fatalf("%+v %+v", c.WhatsApp, c.WebPush)
		}
	})
	t.Run("Configured", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, map[string]string{"whatsapp-token": "EAAx", "whatsapp-phone-number-id": "1065",
			"whatsapp-api-url": "http://127.0.0.1:9/graph", "vapid-public-key": keys.Public, "vapid-private-key": keys.Private,
			"vapid-subject": "mailto:ops@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if c.WhatsApp.PhoneNumberID != "1065" || c.WebPush.Subject != "mailto:ops@example.com" {
			t.Fatalf("%+v %+v", c.WhatsApp, c.WebPush)
		}
		for _, s := range c.Dump() {
			if (s.Name == "whatsapp-token" || s.Name == "vapid-private-key") && s.Value != "[redacted]" {
				t.Fatalf("%s not redacted: %q", s.Name, s.Value)
			}
		}
	})

	bad := []struct {
		name  string
		given map[string]string
		flag  string
		want  string
	}{
		{"TokenWithoutNumber", map[string]string{"whatsapp-token": "EAAx"}, "whatsapp-phone-number-id", "or neither"},
		{"NumberWithoutToken", map[string]string{"whatsapp-phone-number-id": "1065"}, "whatsapp-phone-number-id", "or neither"},
		{"NumberNotNumeric", map[string]string{"whatsapp-token": "EAAx", "whatsapp-phone-number-id": "10/65"}, "whatsapp-phone-number-id", "not a numeric id"},
		{"BadAPIURL", map[string]string{"whatsapp-api-url": "graph"}, "whatsapp-api-url", "not an http(s) URL"},
		{"BadAPIVersion", map[string]string{"whatsapp-api-version": "23"}, "whatsapp-api-version", "not a version"},
		{"OnlyPublicKey", map[string]string{"vapid-public-key": keys.Public}, "vapid-subject", "or neither"},
		{"MismatchedKeys", map[string]string{"vapid-public-key": keys.Public, "vapid-private-key": other.Private,
			"vapid-subject": "mailto:ops@example.com"}, "vapid-subject", "does not match"},
		{"KeysWithoutSubject", map[string]string{"vapid-public-key": keys.Public, "vapid-private-key": keys.Private}, "vapid-subject", "not a mailto: or https: URI"},
		{"BadSubject", map[string]string{"vapid-subject": "ops@example.com"}, "vapid-subject", "not a mailto: or https: URI"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := load(t, tt.given)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "--"+tt.flag) {
				t.Fatalf("got %v, want an error naming --%s and saying %q", err, tt.flag, tt.want)
			}
		})
	}
}
