package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/notify/webpush"
)

func TestKeysVAPID(t *testing.T) {
	t.Parallel()

	t.Run("PrintsAUsablePair", func(t *testing.T) {
		t.Parallel()
		out, stderr, code := run(t, nil, "keys", "vapid", "--json")
		var k struct {
			Public  string `json:"public_key"`
			Private string `json:"private_key"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &k) != nil {
			t.Fatalf("exit %d: %s %s", code, out, stderr)
		}
		if _, err := webpush.ParseVAPIDKeys(k.Public, k.Private); err != nil {
			t.Fatal(err)
		}
		env, _, code := run(t, nil, "keys", "vapid")
		if code != 0 || !strings.Contains(env, "CREATORBASE_VAPID_PUBLIC_KEY=") || !strings.Contains(env, "CREATORBASE_VAPID_PRIVATE_KEY=") {
			t.Fatalf("exit %d: %s", code, env)
		}
	})
	t.Run("ServeRefusesHalfAConfiguration", func(t *testing.T) {
		t.Parallel()
		for _, env := range [][]string{
			{"CREATORBASE_VAPID_PUBLIC_KEY=BGDx"},
			{"CREATORBASE_WHATSAPP_TOKEN=EAAx"},
		} {
			_, stderr, code := run(t, env, "serve", "--data-dir", t.TempDir(), "--listen", freeAddr(t))
			if code == 0 || !strings.Contains(stderr, "or neither") {
				t.Fatalf("%v: exit %d: %s", env, code, stderr)
			}
		}
	})
}
