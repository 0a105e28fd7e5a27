package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/auth/ratelimit"
)

// authOptions are the rows of the Auth API (/auth/v1).
func authOptions() []Option {
	return []Option{
		{
			Name: "site-url", Env: "CREATORBASE_SITE_URL", Default: "http://127.0.0.1:3000",
			Usage: "the app's URL: where confirmation and recovery links send users by default (GoTrue SITE_URL)",
			apply: func(c *Config, v string) error {
				if err := httpURL(v); err != nil {
					return err
				}
				c.Auth.SiteURL = strings.TrimRight(v, "/")
				return nil
			},
			show: func(c Config) string { return c.Auth.SiteURL },
		},
		{
			Name: "uri-allow-list", Env: "CREATORBASE_URI_ALLOW_LIST", Default: "",
			Usage: "comma-separated further redirect_to URLs allowed, * and ** as globs (GoTrue URI_ALLOW_LIST)",
			apply: func(c *Config, v string) error {
				c.Auth.URIAllowList = nil
				for _, p := range strings.Split(v, ",") {
					if p = strings.TrimSpace(p); p != "" {
						c.Auth.URIAllowList = append(c.Auth.URIAllowList, p)
					}
				}
				return nil
			},
			show: func(c Config) string { return strings.Join(c.Auth.URIAllowList, ",") },
		},
		boolOption("mailer-autoconfirm", "CREATORBASE_MAILER_AUTOCONFIRM", true,
			"sign-ups are confirmed at once; with false they get a confirmation mail and cannot sign in before confirming",
			func(c *Config) *bool { return &c.Auth.MailerAutoconfirm }),
		boolOption("disable-signup", "CREATORBASE_DISABLE_SIGNUP", false,
			"refuse new sign-ups (admins can still create and invite users)",
			func(c *Config) *bool { return &c.Auth.DisableSignup }),
		boolOption("anonymous-sign-ins", "CREATORBASE_ANONYMOUS_SIGN_INS", false,
			"allow signInAnonymously()",
			func(c *Config) *bool { return &c.Auth.AnonymousSignIns }),
		{
			Name: "password-min-length", Env: "CREATORBASE_PASSWORD_MIN_LENGTH", Default: "6",
			Usage: "shortest password accepted, in characters (at least 6)",
			apply: func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 6 || n > 128 {
					return fmt.Errorf("%q is not a number between 6 and 128", v)
				}
				c.Auth.PasswordMinLength = n
				return nil
			},
			show: func(c Config) string { return strconv.Itoa(c.Auth.PasswordMinLength) },
		},
		{
			Name: "password-hash", Env: "CREATORBASE_PASSWORD_HASH", Default: "m=19456,t=2,p=1",
			Usage: "argon2id cost of new password hashes: memory KiB, iterations, lanes; at least OWASP's minimum",
			apply: func(c *Config, v string) error {
				p, err := parseArgon2(v)
				if err != nil {
					return err
				}
				if !p.MeetsOWASP() {
					return errors.New("below OWASP's minimum (m=19456,t=2 or m=47104,t=1, m=12288,t=3, m=9216,t=4, m=7168,t=5)")
				}
				c.Auth.PasswordHash = p
				return nil
			},
			show: func(c Config) string {
				p := c.Auth.PasswordHash
				return fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Iterations, p.Parallelism)
			},
		},
		durationOption("refresh-token-reuse-interval", "CREATORBASE_REFRESH_TOKEN_REUSE_INTERVAL", "10s",
			"how long a rotated refresh token stays usable (concurrent tabs); later reuse revokes the session",
			0, time.Hour, func(c *Config) *time.Duration { return &c.Auth.ReuseInterval }),
		durationOption("mailer-otp-expiry", "CREATORBASE_MAILER_OTP_EXPIRY", "1h",
			"lifetime of mailed codes and links", time.Minute, 24*time.Hour,
			func(c *Config) *time.Duration { return &c.Auth.OTPExpiry }),
		{
			Name: "mailer-otp-length", Env: "CREATORBASE_MAILER_OTP_LENGTH", Default: "6",
			Usage: "digits of mailed codes (6 to 10)",
			apply: func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 6 || n > 10 {
					return fmt.Errorf("%q is not a number between 6 and 10", v)
				}
				c.Auth.OTPLength = n
				return nil
			},
			show: func(c Config) string { return strconv.Itoa(c.Auth.OTPLength) },
		},
		durationOption("mailer-max-frequency", "CREATORBASE_MAILER_MAX_FREQUENCY", "1m",
			"least time between two mails of one kind to one address (later requests send nothing)",
			0, 24*time.Hour, func(c *Config) *time.Duration { return &c.Auth.MailerMaxFrequency }),
		rateOption("rate-limit-token", "CREATORBASE_RATE_LIMIT_TOKEN", "150/5m",
			"POST /token requests per client address (N/duration or off)",
			func(c *Config) *ratelimit.Rate { return &c.Auth.RateToken }),
		rateOption("rate-limit-verify", "CREATORBASE_RATE_LIMIT_VERIFY", "30/5m",
			"/verify requests per client address",
			func(c *Config) *ratelimit.Rate { return &c.Auth.RateVerify }),
		rateOption("rate-limit-otp", "CREATORBASE_RATE_LIMIT_OTP", "30/5m",
			"/signup, /otp, /recover, /resend and email changes per client address",
			func(c *Config) *ratelimit.Rate { return &c.Auth.RateOTP }),
		rateOption("rate-limit-anonymous", "CREATORBASE_RATE_LIMIT_ANONYMOUS", "30/1h",
			"anonymous sign-ins per client address",
			func(c *Config) *ratelimit.Rate { return &c.Auth.RateAnonymous }),
		rateOption("rate-limit-account", "CREATORBASE_RATE_LIMIT_ACCOUNT", "30/5m",
			"sign-in, sign-up, recover, otp and verify requests per email address, from any client",
			func(c *Config) *ratelimit.Rate { return &c.Auth.RateAccount }),
		rateOption("rate-limit-email-sent", "CREATORBASE_RATE_LIMIT_EMAIL_SENT", "30/1h",
			"mails the Auth API may send, project-wide",
			func(c *Config) *ratelimit.Rate { return &c.Auth.RateEmailSent }),
		{
			Name: "rate-limit-header", Env: "CREATORBASE_RATE_LIMIT_HEADER", Default: "",
			Usage: "trusted header holding the client address behind a proxy (such as X-Forwarded-For); empty uses the peer address",
			apply: func(c *Config, v string) error {
				if strings.ContainsAny(v, " :\r\n") {
					return fmt.Errorf("%q is not a header name", v)
				}
				c.Auth.RateLimitHeader = v
				return nil
			},
			show: func(c Config) string { return c.Auth.RateLimitHeader },
		},
	}
}

// smtpOptions configure outgoing mail.
func smtpOptions() []Option {
	return []Option{
		{
			Name: "smtp-host", Env: "CREATORBASE_SMTP_HOST", Default: "",
			Usage: "SMTP server for outgoing mail; empty keeps mail in the dev mailbox (creatorbase mail list)",
			apply: func(c *Config, v string) error {
				if strings.ContainsAny(v, " /:") {
					return fmt.Errorf("%q is not a host name", v)
				}
				c.SMTP.Host = v
				return nil
			},
			show: func(c Config) string { return c.SMTP.Host },
		},
		{
			Name: "smtp-port", Env: "CREATORBASE_SMTP_PORT", Default: "587",
			Usage: "SMTP port (587 with starttls, 465 with tls)",
			apply: func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > 65535 {
					return fmt.Errorf("%q is not a port", v)
				}
				c.SMTP.Port = n
				return nil
			},
			show: func(c Config) string { return strconv.Itoa(c.SMTP.Port) },
		},
		{
			Name: "smtp-user", Env: "CREATORBASE_SMTP_USER", Default: "",
			Usage: "SMTP user name (AUTH PLAIN); empty sends without authenticating",
			apply: func(c *Config, v string) error { c.SMTP.User = v; return nil },
			show:  func(c Config) string { return c.SMTP.User },
		},
		{
			Name: "smtp-password", Env: "CREATORBASE_SMTP_PASSWORD", Default: "", Secret: true,
			Usage: "SMTP password",
			apply: func(c *Config, v string) error { c.SMTP.Password = v; return nil },
			show:  func(c Config) string { return c.SMTP.Password },
		},
		{
			Name: "smtp-tls", Env: "CREATORBASE_SMTP_TLS", Default: "starttls",
			Usage: "starttls (required), tls (implicit, port 465) or none (only for a relay on this host)",
			apply: func(c *Config, v string) error {
				if v != "starttls" && v != "tls" && v != "none" {
					return fmt.Errorf("%q is not starttls, tls or none", v)
				}
				c.SMTP.TLS = v
				return nil
			},
			show: func(c Config) string { return c.SMTP.TLS },
		},
		{
			Name: "smtp-from", Env: "CREATORBASE_SMTP_FROM", Default: "creatorbase <noreply@localhost>",
			Usage: "sender address of outgoing mail",
			apply: func(c *Config, v string) error {
				if _, err := mail.ParseAddress(v); err != nil {
					return fmt.Errorf("%q is not a mail address", v)
				}
				c.SMTP.From = v
				return nil
			},
			show: func(c Config) string { return c.SMTP.From },
		},
	}
}

func boolOption(name, env string, def bool, usage string, field func(*Config) *bool) Option {
	return Option{
		Name: name, Env: env, Default: strconv.FormatBool(def), Bool: true, Usage: usage,
		apply: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			*field(c) = b
			return nil
		},
		show: func(c Config) string { return strconv.FormatBool(*field(&c)) },
	}
}

func durationOption(name, env, def, usage string, lo, hi time.Duration, field func(*Config) *time.Duration) Option {
	return Option{
		Name: name, Env: env, Default: def, Usage: usage + " (Go duration)",
		apply: func(c *Config, v string) error {
			d, err := duration(v, lo, hi)
			*field(c) = d
			return err
		},
		show: func(c Config) string { return field(&c).String() },
	}
}

func rateOption(name, env, def, usage string, field func(*Config) *ratelimit.Rate) Option {
	return Option{
		Name: name, Env: env, Default: def, Usage: usage,
		apply: func(c *Config, v string) error {
			r, err := ratelimit.ParseRate(v)
			*field(c) = r
			return err
		},
		show: func(c Config) string { return field(&c).String() },
	}
}

func httpURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", v)
	}
	return nil
}

// parseArgon2 reads "m=<KiB>,t=<iterations>,p=<lanes>".
func parseArgon2(v string) (password.Params, error) {
	p := password.DefaultParams
	seen := map[string]bool{}
	for _, kv := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(kv), "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil || seen[k] {
			return p, fmt.Errorf("%q is not m=<KiB>,t=<iterations>,p=<lanes>", v)
		}
		seen[k] = true
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Iterations = uint32(n)
		case "p":
			if n > 255 {
				return p, fmt.Errorf("p=%d is too large", n)
			}
			p.Parallelism = uint8(n)
		default:
			return p, fmt.Errorf("%q is not m=<KiB>,t=<iterations>,p=<lanes>", v)
		}
	}
	if len(seen) != 3 {
		return p, fmt.Errorf("%q is not m=<KiB>,t=<iterations>,p=<lanes>", v)
	}
	return p, p.Validate()
}
