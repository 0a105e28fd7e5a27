package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/notify/webpush"
	"github.com/creatorbase/creatorbase/internal/notify/whatsapp"
)

// Option is one row of the option table.
type Option struct {
	Name    string // flag name, without dashes
	Env     string // environment variable
	Default string // default, as text
	Usage   string // one line for --help and the README
	Secret  bool   // redacted in every dump
	Bool    bool   // a switch (--name, --name=false)

	apply func(c *Config, v string) error
	show  func(c Config) string
}

// Options returns the option table. The README's configuration table is
// generated from it (creatorbase config --markdown).
func Options() []Option {
	return append(append([]Option{
		{
			Name: "data-dir", Env: "CREATORBASE_DATA_DIR", Default: "./data",
			Usage: "directory for the embedded PostgreSQL cluster, the JWT secret and other local state",
			apply: func(c *Config, v string) error {
				if v == "" {
					return errors.New("must not be empty")
				}
				c.DataDir = v
				return nil
			},
			show: func(c Config) string { return c.DataDir },
		},
		{
			Name: "listen", Env: "CREATORBASE_LISTEN", Default: "127.0.0.1:54321",
			Usage: "host:port the HTTP API listens on (54321 is the Supabase local default)",
			apply: func(c *Config, v string) error {
				if err := validListen(v); err != nil {
					return err
				}
				c.Listen = v
				return nil
			},
			show: func(c Config) string { return c.Listen },
		},
		{
			Name: "public-url", Env: "CREATORBASE_PUBLIC_URL", Default: "",
			Usage: "URL clients reach the API at (default: derived from --listen)",
			apply: func(c *Config, v string) error {
				if v != "" {
					u, err := url.Parse(v)
					if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
						return fmt.Errorf("%q is not an http(s) URL", v)
					}
				}
				c.PublicURL = v
				return nil
			},
			show: func(c Config) string { return c.APIURL() },
		},
		{
			Name: "database-url", Env: "DATABASE_URL", Default: "", Secret: true,
			Usage: "PostgreSQL connection string of the database owner; empty runs the embedded cluster in the data dir",
			apply: func(c *Config, v string) error {
				if v != "" {
					if _, err := pgx.ParseConfig(v); err != nil {
						return errors.New("not a valid PostgreSQL connection string (expected postgres://user:password@host:port/dbname)")
					}
				}
				c.DatabaseURL = v
				return nil
			},
			show: func(c Config) string { return c.DatabaseURL },
		},
		{
			Name: "jwt-secret", Env: "CREATORBASE_JWT_SECRET", Default: "", Secret: true,
			Usage: "HS256 secret for all JWTs, at least 32 characters (default: generated into the data dir)",
			apply: func(c *Config, v string) error {
				if v != "" && len(v) < 32 {
					return fmt.Errorf("must be at least 32 characters, got %d", len(v))
				}
				c.JWTSecret = v
				return nil
			},
			show: func(c Config) string { return c.JWTSecret },
		},
		{
			Name: "vault-key", Env: "CREATORBASE_VAULT_KEY", Default: "", Secret: true,
			Usage: "key that encrypts system.vault_secrets (OAuth tokens, API credentials), at least 16 characters (default: derived from the JWT secret)",
			apply: func(c *Config, v string) error {
				if v != "" && len(v) < 16 {
					return fmt.Errorf("must be at least 16 characters, got %d", len(v))
				}
				c.VaultKey = v
				return nil
			},
			show: func(c Config) string { return c.VaultKey },
		},
		{
			Name: "jwt-expiry", Env: "CREATORBASE_JWT_EXPIRY", Default: "1h",
			Usage: "lifetime of access tokens (Go duration)",
			apply: func(c *Config, v string) error {
				d, err := duration(v, time.Minute, 7*24*time.Hour)
				c.JWTExpiry = d
				return err
			},
			show: func(c Config) string { return c.JWTExpiry.String() },
		},
		{
			Name: "jwt-cache-entries", Env: "CREATORBASE_JWT_CACHE_ENTRIES", Default: "10000",
			Usage: "verified tokens the Data API remembers until they expire (up to twice this many are held; 0 turns the cache off)",
			apply: func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 || n > 1_000_000 {
					return fmt.Errorf("%q is not a number between 0 and 1000000", v)
				}
				c.JWTCacheEntries = n
				return nil
			},
			show: func(c Config) string { return strconv.Itoa(c.JWTCacheEntries) },
		},
		{
			Name: "migrate", Env: "CREATORBASE_MIGRATE", Default: "true", Bool: true,
			Usage: "apply pending migrations when serve starts; with false, serve refuses an outdated schema",
			apply: func(c *Config, v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return fmt.Errorf("%q is not true or false", v)
				}
				c.Migrate = b
				return nil
			},
			show: func(c Config) string { return strconv.FormatBool(c.Migrate) },
		},
		{
			Name: "log-level", Env: "CREATORBASE_LOG_LEVEL", Default: "info",
			Usage: "debug, info, warn or error",
			apply: func(c *Config, v string) error {
				return c.LogLevel.UnmarshalText([]byte(v))
			},
			show: func(c Config) string { return strings.ToLower(c.LogLevel.String()) },
		},
		{
			Name: "log-format", Env: "CREATORBASE_LOG_FORMAT", Default: "json",
			Usage: "json or text",
			apply: func(c *Config, v string) error {
				if v != "json" && v != "text" {
					return fmt.Errorf("%q is not json or text", v)
				}
				c.LogFormat = v
				return nil
			},
			show: func(c Config) string { return c.LogFormat },
		},
		{
			Name: "shutdown-timeout", Env: "CREATORBASE_SHUTDOWN_TIMEOUT", Default: "15s",
			Usage: "how long a shutdown waits for in-flight requests",
			apply: func(c *Config, v string) error {
				d, err := duration(v, time.Second, 10*time.Minute)
				c.ShutdownTimeout = d
				return err
			},
			show: func(c Config) string { return c.ShutdownTimeout.String() },
		},
		{
			Name: "max-body-bytes", Env: "CREATORBASE_MAX_BODY_BYTES", Default: "5242880",
			Usage: "largest request body accepted, in bytes (413 above it)",
			apply: func(c *Config, v string) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n < 1024 {
					return fmt.Errorf("%q is not a number of bytes of at least 1024", v)
				}
				c.MaxBodyBytes = n
				return nil
			},
			show: func(c Config) string { return strconv.FormatInt(c.MaxBodyBytes, 10) },
		},
		{
			Name: "db-max-conns", Env: "CREATORBASE_DB_MAX_CONNS", Default: "",
			Usage: "size of the request connection pool (default: twice the CPUs, at least 4; see docs/operations.md)",
			apply: func(c *Config, v string) error {
				if v == "" {
					c.DBMaxConns = DefaultDBMaxConns()
					return nil
				}
				n, err := strconv.ParseInt(v, 10, 32)
				if err != nil || n < 2 || n > 1000 {
					return fmt.Errorf("%q is not a number between 2 and 1000", v)
				}
				c.DBMaxConns = int32(n)
				return nil
			},
			show: func(c Config) string { return strconv.Itoa(int(c.DBMaxConns)) },
		},
		durationOption("db-pool-acquisition-timeout", "CREATORBASE_DB_POOL_ACQUISITION_TIMEOUT", "10s",
			"how long a request waits for a free pool connection before it is answered 504 (PGRST003)",
			100*time.Millisecond, 10*time.Minute, func(c *Config) *time.Duration { return &c.DBPoolTimeout }),
		{
			Name: "postgres-os-user", Env: "CREATORBASE_POSTGRES_OS_USER", Default: "postgres",
			Usage: "when running as root: the unprivileged OS user that runs the embedded cluster",
			apply: func(c *Config, v string) error {
				if v == "" {
					return errors.New("must not be empty")
				}
				c.PostgresOSUser = v
				return nil
			},
			show: func(c Config) string { return c.PostgresOSUser },
		},
	}, authOptions()...), append(smtpOptions(), notifyOptions()...)...)
}

// notifyOptions configure the outbox's WhatsApp and Web Push channels;
// each stays offline (messages recorded, nothing sent) until configured.
func notifyOptions() []Option {
	return []Option{
		{
			Name: "whatsapp-token", Env: "CREATORBASE_WHATSAPP_TOKEN", Default: "", Secret: true,
			Usage: "WhatsApp Cloud API access token (system user, whatsapp_business_messaging); empty keeps WhatsApp offline",
			apply: func(c *Config, v string) error { c.WhatsApp.Token = v; return nil },
			show:  func(c Config) string { return c.WhatsApp.Token },
		},
		{
			Name: "whatsapp-phone-number-id", Env: "CREATORBASE_WHATSAPP_PHONE_NUMBER_ID", Default: "",
			Usage: "id of the sending phone number in WhatsApp Manager (required with --whatsapp-token)",
			apply: func(c *Config, v string) error {
				if strings.Trim(v, "0123456789") != "" {
					return fmt.Errorf("%q is not a numeric id", v)
				}
				if (v == "") != (c.WhatsApp.Token == "") {
					return errors.New("set both --whatsapp-token and --whatsapp-phone-number-id, or neither")
				}
				c.WhatsApp.PhoneNumberID = v
				return nil
			},
			show: func(c Config) string { return c.WhatsApp.PhoneNumberID },
		},
		{
			Name: "whatsapp-api-url", Env: "CREATORBASE_WHATSAPP_API_URL", Default: whatsapp.DefaultBaseURL,
			Usage: "base URL of the Graph API",
			apply: func(c *Config, v string) error {
				if err := httpURL(v); err != nil {
					return err
				}
				c.WhatsApp.APIURL = v
				return nil
			},
			show: func(c Config) string { return c.WhatsApp.APIURL },
		},
		{
			Name: "whatsapp-api-version", Env: "CREATORBASE_WHATSAPP_API_VERSION", Default: whatsapp.DefaultAPIVersion,
			Usage: "Graph API version in the request path",
			apply: func(c *Config, v string) error {
				if !graphVersion.MatchString(v) {
					return fmt.Errorf("%q is not a version such as v23.0", v)
				}
				c.WhatsApp.APIVersion = v
				return nil
			},
			show: func(c Config) string { return c.WhatsApp.APIVersion },
		},
		{
			Name: "vapid-public-key", Env: "CREATORBASE_VAPID_PUBLIC_KEY", Default: "",
			Usage: "VAPID public key for Web Push, base64url (creatorbase keys vapid); browsers subscribe with it; empty keeps push offline",
			apply: func(c *Config, v string) error { c.WebPush.PublicKey = v; return nil },
			show:  func(c Config) string { return c.WebPush.PublicKey },
		},
		{
			Name: "vapid-private-key", Env: "CREATORBASE_VAPID_PRIVATE_KEY", Default: "", Secret: true,
			Usage: "VAPID private key, base64url (creatorbase keys vapid)",
			apply: func(c *Config, v string) error { c.WebPush.PrivateKey = v; return nil },
			show:  func(c Config) string { return c.WebPush.PrivateKey },
		},
		{
			Name: "vapid-subject", Env: "CREATORBASE_VAPID_SUBJECT", Default: "",
			Usage: "mailto: or https: contact sent to push services (required with the VAPID keys)",
			apply: func(c *Config, v string) error {
				w := c.WebPush
				if (w.PublicKey == "") != (w.PrivateKey == "") {
					return errors.New("set both --vapid-public-key and --vapid-private-key, or neither")
				}
				if w.PublicKey != "" {
					if _, err := webpush.ParseVAPIDKeys(w.PublicKey, w.PrivateKey); err != nil {
						return err
					}
					if err := webpush.ValidSubject(v); err != nil {
						return err
					}
				} else if v != "" {
					if err := webpush.ValidSubject(v); err != nil {
						return err
					}
				}
				c.WebPush.Subject = v
				return nil
			},
			show: func(c Config) string { return c.WebPush.Subject },
		},
	}
}

var graphVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+$`)

func validListen(v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("%q is not host:port", v)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port", v)
	}
	return nil
}

// DefaultDBMaxConns is the request pool's default size: twice the CPUs,
// at least 4. PostgreSQL does the most work per second with few busy
// backends per core (docs/operations.md, "Connection pool").
func DefaultDBMaxConns() int32 { return int32(max(4, 2*runtime.NumCPU())) }

func duration(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 30s or 1h", v)
	}
	if d < lo || d > hi {
		return 0, fmt.Errorf("%s is outside %s..%s", d, lo, hi)
	}
	return d, nil
}

var dsnPassword = regexp.MustCompile(`(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// RedactURL hides the password of a PostgreSQL connection string, in URL
// or keyword/value form.
func RedactURL(v string) string {
	if u, err := url.Parse(v); err == nil && u.Scheme != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return dsnPassword.ReplaceAllString(v, "${1}xxxxx")
}

// Markdown renders the option table for the README.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| flag | environment | default | meaning |\n|---|---|---|---|\n")
	for _, o := range Options() {
		def := o.Default
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "| `--%s` | `%s` | `%s` | %s |\n", o.Name, o.Env, def, o.Usage)
	}
	return b.String()
}
