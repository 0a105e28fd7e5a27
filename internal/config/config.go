// Package config holds creatorbase's configuration: one table of options,
// each read from a flag or an environment variable, with a documented
// default, a validator and a secret marker that keeps it out of every dump.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/auth/ratelimit"
)

// Config is the effective configuration. It is passed by value; nothing
// reads configuration from globals.
type Config struct {
	DataDir         string
	Listen          string
	PublicURL       string
	DatabaseURL     string
	JWTSecret       string
	JWTExpiry       time.Duration
	JWTCacheEntries int
	VaultKey        string
	Migrate         bool
	LogLevel        slog.Level
	LogFormat       string
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	DBMaxConns      int32
	DBPoolTimeout   time.Duration // longest wait for a pool connection
	PostgresOSUser  string
	Auth            Auth
	SMTP            SMTP
	WhatsApp        WhatsApp
	WebPush         WebPush
}

// Auth configures the Auth API (/auth/v1).
type Auth struct {
	SiteURL            string   // where links in mails lead by default
	URIAllowList       []string // further redirect_to targets (globs)
	MailerAutoconfirm  bool     // sign up without confirming the address
	DisableSignup      bool
	AnonymousSignIns   bool
	PasswordMinLength  int
	PasswordHash       password.Params
	ReuseInterval      time.Duration // refresh token reuse interval
	OTPExpiry          time.Duration
	OTPLength          int
	MailerMaxFrequency time.Duration // between two mails of one kind to one address
	RateToken          ratelimit.Rate
	RateVerify         ratelimit.Rate
	RateOTP            ratelimit.Rate
	RateAnonymous      ratelimit.Rate
	RateAccount        ratelimit.Rate
	RateEmailSent      ratelimit.Rate
	RateLimitHeader    string // trusted header naming the client address
}

// SMTP configures outgoing mail; with no host, mail goes to the dev
// mailbox (creatorbase mail list).
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string
	TLS      string // starttls, tls or none
	From     string
}

// WhatsApp configures the outbox's whatsapp channel (Cloud API); with no
// token, messages go to an offline recorder.
type WhatsApp struct {
	Token         string
	PhoneNumberID string
	APIURL        string
	APIVersion    string
}

// WebPush configures the outbox's push channel (VAPID); with no keys,
// messages go to an offline recorder.
type WebPush struct {
	PublicKey  string
	PrivateKey string
	Subject    string
}

// Embedded reports whether creatorbase runs its own PostgreSQL cluster in
// the data directory (no DATABASE_URL given).
func (c Config) Embedded() bool { return c.DatabaseURL == "" }

// APIURL is the URL clients use: the public URL when set, otherwise one
// derived from the listen address.
func (c Config) APIURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return "http://" + c.Listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Getter returns the raw value given for the option with the given flag
// name, and whether one was given at all (flag or environment).
type Getter func(name string) (value string, ok bool)

// Load builds a Config from the option table: each option takes the value
// that get returns, or its default. The first invalid value stops loading
// with an error that names the flag and the environment variable.
func Load(get Getter) (Config, error) {
	var c Config
	for _, o := range Options() {
		v, ok := get(o.Name)
		if !ok {
			v = o.Default
		}
		if err := o.apply(&c, strings.TrimSpace(v)); err != nil {
			return Config{}, fmt.Errorf("invalid --%s (%s): %w", o.Name, o.Env, err)
		}
	}
	return c, nil
}

// Setting is one line of a configuration dump.
type Setting struct {
	Name   string `json:"name"`
	Env    string `json:"env"`
	Value  string `json:"value"`
	Secret bool   `json:"secret"`
}

// Dump lists every option with its effective value; secrets are redacted.
func (c Config) Dump() []Setting {
	opts := Options()
	out := make([]Setting, 0, len(opts))
	for _, o := range opts {
		v := o.show(c)
		if o.Secret {
			v = redact(o.Name, v)
		}
		out = append(out, Setting{Name: o.Name, Env: o.Env, Value: v, Secret: o.Secret})
	}
	return out
}

// redact hides a secret value. For connection strings only the password
// is hidden, so that the host and database stay visible.
func redact(name, v string) string {
	if v == "" {
		return ""
	}
	if name == "database-url" {
		return RedactURL(v)
	}
	return "[redacted]"
}
