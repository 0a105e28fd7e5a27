package config_test

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/config"
)

func load(t *testing.T, given map[string]string) (config.Config, error) {
	t.Helper()
	return config.Load(func(name string) (string, bool) {
		v, ok := given[name]
		return v, ok
	})
}

func TestLoad(t *testing.T) {
	t.Parallel()

	t.Run("Defaults", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.DataDir != "./data" || c.Listen != "127.0.0.1:54321" || !c.Migrate || c.JWTExpiry != time.Hour ||
			!c.Embedded() || c.APIURL() != "http://127.0.0.1:54321" || c.PostgresOSUser != "postgres" {
			t.Fatalf("unexpected defaults: %+v", c)
		}
	})
	t.Run("Overrides", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, map[string]string{"listen": "0.0.0.0:8000", "migrate": "false", "jwt-expiry": "30m",
			"database-url": "postgres://u:p@db:5432/app"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Migrate || c.JWTExpiry != 30*time.Minute || c.Embedded() || c.APIURL() != "http://127.0.0.1:8000" {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("PoolFollowsCPUs", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, nil)
		if want := int32(max(4, 2*runtime.NumCPU())); err != nil || c.DBMaxConns != want || c.DBPoolTimeout != 10*time.Second {
			t.Fatalf("%v: pool %d (want %d), acquisition timeout %s", err, c.DBMaxConns, want, c.DBPoolTimeout)
		}
		c, err = load(t, map[string]string{"db-max-conns": "32", "db-pool-acquisition-timeout": "2s"})
		if err != nil || c.DBMaxConns != 32 || c.DBPoolTimeout != 2*time.Second {
			t.Fatalf("%v: pool %d, acquisition timeout %s", err, c.DBMaxConns, c.DBPoolTimeout)
		}
	})
	t.Run("PublicURLWins", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, map[string]string{"public-url": "https://api.example.com/"})
		if err != nil || c.APIURL() != "https://api.example.com" {
			t.Fatalf("%v %s", err, c.APIURL())
		}
	})

	bad := []struct {
		name, flag, value, want string
	}{
		{"ListenWithoutPort", "listen", "localhost", "not host:port"},
		{"ListenBadPort", "listen", "127.0.0.1:99999", "no valid port"},
		{"ShortSecret", "jwt-secret", "short", "at least 32"},
		{"BadDuration", "jwt-expiry", "forever", "not a duration"},
		{"DurationOutOfRange", "jwt-expiry", "1s", "outside"},
		{"BadBool", "migrate", "perhaps", "not true or false"},
		{"BadLogLevel", "log-level", "loud", "log-level"},
		{"BadDatabaseURL", "database-url", "postgres://u:p@host:notaport/db", "not a valid PostgreSQL connection string"},
		{"TinyBody", "max-body-bytes", "10", "at least 1024"},
		{"TinyPool", "db-max-conns", "1", "between 2 and 1000"},
		{"InstantPoolTimeout", "db-pool-acquisition-timeout", "1ms", "outside"},
		{"EmptyDataDir", "data-dir", "", "must not be empty"},
		{"BadPublicURL", "public-url", "ftp://x", "not an http(s) URL"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := load(t, map[string]string{tt.flag: tt.value})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "--"+tt.flag) {
				t.Fatalf("got %v, want an error naming --%s and saying %q", err, tt.flag, tt.want)
			}
		})
	}
}

func TestDumpRedactsSecrets(t *testing.T) {
	t.Parallel()
	c, err := load(t, map[string]string{
		"jwt-secret":   "super-secret-jwt-value-0123456789abcdef",
		"database-url": "postgres://owner:hunter2@db.internal:5432/app",
	})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, s := range c.Dump() {
		all.WriteString(s.Name + "=" + s.Value + "\n")
	}
	out := all.String()
	if strings.Contains(out, "super-secret") || strings.Contains(out, "hunter2") {
		t.Fatalf("secret in dump:\n%s", out)
	}
	if !strings.Contains(out, "db.internal") {
		t.Fatalf("redaction hid the host too:\n%s", out)
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"postgres://u:pw@h/db":               "postgres://u:xxxxx@h/db",
		"postgres://u@h/db":                  "postgres://u@h/db",
		"postgres://u@h/db?password=pw":      "postgres://u@h/db?password=xxxxx",
		"host=h user=u password=pw dbname=d": "host=h user=u password=xxxxx dbname=d",
		"host=h password='p w' dbname=d":     "host=h password=xxxxx dbname=d",
		"host=h password = pw":               "host=h password = xxxxx",
	} {
		if got := config.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{"postgres://u:pw@h/db", "host=h password=pw", "postgresql://a:b@c:1/d?password=e", "password='x y'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := config.RedactURL(in)
		// A password that was recognised never survives redaction.
		if strings.Contains(in, "password=hunter2") && strings.Contains(out, "hunter2") {
			t.Fatalf("password survived: %q -> %q", in, out)
		}
	})
}

func TestMarkdownListsEveryOption(t *testing.T) {
	t.Parallel()
	md := config.Markdown()
	for _, o := range config.Options() {
		if !strings.Contains(md, "`"+o.Env+"`") {
			t.Errorf("%s missing from the Markdown table", o.Env)
		}
	}
}

func TestREADMEConfigTableIsCurrent(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), config.Markdown()) {
		t.Fatal("README's configuration table is stale: paste the output of `creatorbase config --markdown`")
	}
}
