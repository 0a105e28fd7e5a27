package auth

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/auth/ratelimit"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/jwtauth"
)

// Options configure the Auth API. Zero values take GoTrue's defaults
// where one exists.
type Options struct {
	Runner   *database.Runner  // pool as authenticator; statements run as supabase_auth_admin
	Verifier *jwtauth.Verifier // the project's tokens and keys
	Secret   []byte            // signs access tokens (HS256)
	Logger   *slog.Logger
	Version  string

	APIURL       string // the API's external URL, without /auth/v1
	SiteURL      string
	URIAllowList []string

	JWTExpiry          time.Duration // default 1h
	MailerAutoconfirm  bool
	DisableSignup      bool
	AnonymousSignIns   bool
	PasswordMinLength  int             // default 6
	PasswordHash       password.Params // default password.DefaultParams
	ReuseInterval      time.Duration   // refresh token reuse interval
	OTPExpiry          time.Duration   // default 1h
	OTPLength          int             // default 6
	MailerMaxFrequency time.Duration
	Rates              Rates
	RateLimitHeader    string // trusted client-address header; empty: the peer

	// MailEnqueued is called after a commit that put mail in the outbox
	// (the dispatcher's Notify).
	MailEnqueued func()
	// Now replaces time.Now for token lifetimes, for tests.
	Now func() time.Time
}

// Rates are the rate limits; the zero Rate is no limit.
type Rates struct {
	Token, Verify, OTP, Anonymous, Account, EmailSent ratelimit.Rate
}

// MaxBodyBytes is GoTrue's request body limit.
const MaxBodyBytes = 1 << 20

// API serves /auth/v1 (mounted with the prefix stripped).
type API struct {
	opts      Options
	issuer    string
	verifyURL string
	dummyHash string // verified against for unknown users, to even out timing

	limitToken, limitVerify, limitOTP, limitAnon, limitAccount, limitMail *ratelimit.Limiter
}

// New builds the Auth API handler.
func New(opts Options) (http.Handler, error) {
	if opts.Runner == nil || opts.Verifier == nil || len(opts.Secret) == 0 {
		return nil, errors.New("auth: Runner, Verifier and Secret are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.JWTExpiry <= 0 {
		opts.JWTExpiry = time.Hour
	}
	if opts.PasswordMinLength <= 0 {
		opts.PasswordMinLength = 6
	}
	if opts.PasswordHash == (password.Params{}) {
		opts.PasswordHash = password.DefaultParams
	}
	if opts.OTPExpiry <= 0 {
		opts.OTPExpiry = time.Hour
	}
	if opts.OTPLength <= 0 {
		opts.OTPLength = 6
	}
	if opts.SiteURL == "" {
		opts.SiteURL = opts.APIURL
	}
	if opts.MailEnqueued == nil {
		opts.MailEnqueued = func() {}
	}
	dummy, err := password.Hash(opts.PasswordHash, "creatorbase-timing-equaliser")
	if err != nil {
		return nil, err
	}
	a := &API{
		opts:         opts,
		issuer:       opts.APIURL + "/auth/v1",
		verifyURL:    opts.APIURL + "/auth/v1/verify",
		dummyHash:    dummy,
		limitToken:   ratelimit.New(opts.Rates.Token, nil),
		limitVerify:  ratelimit.New(opts.Rates.Verify, nil),
		limitOTP:     ratelimit.New(opts.Rates.OTP, nil),
		limitAnon:    ratelimit.New(opts.Rates.Anonymous, nil),
		limitAccount: ratelimit.New(opts.Rates.Account, nil),
		limitMail:    ratelimit.New(opts.Rates.EmailSent, nil),
	}
	return a.routes(), nil
}

// routes is the route table; every handler returns an error that
// a.handle renders.
func (a *API) routes() http.Handler {
	mux := http.NewServeMux()
	h := a.handle
	mux.Handle("POST /signup", h(a.signup))
	mux.Handle("POST /token", h(a.token))
	mux.Handle("GET /user", h(a.getUser))
	mux.Handle("PUT /user", h(a.updateUser))
	mux.Handle("POST /logout", h(a.logout))
	mux.Handle("POST /recover", h(a.recover))
	mux.Handle("POST /otp", h(a.otp))
	mux.Handle("POST /magiclink", h(a.otp))
	mux.Handle("POST /resend", h(a.resend))
	mux.Handle("POST /verify", h(a.verifyPost))
	mux.Handle("GET /verify", h(a.verifyGet))
	mux.Handle("POST /invite", h(a.invite))
	mux.Handle("GET /admin/users", h(a.adminListUsers))
	mux.Handle("POST /admin/users", h(a.adminCreateUser))
	mux.Handle("GET /admin/users/{id}", h(a.adminGetUser))
	mux.Handle("PUT /admin/users/{id}", h(a.adminUpdateUser))
	mux.Handle("DELETE /admin/users/{id}", h(a.adminDeleteUser))
	mux.Handle("POST /admin/generate_link", h(a.generateLink))
	mux.Handle("GET /settings", h(a.settings))
	mux.Handle("GET /health", h(a.health))
	mux.Handle("GET /.well-known/jwks.json", h(a.jwks))
	mux.Handle("/", h(func(http.ResponseWriter, *http.Request) error {
		return newError(http.StatusNotFound, "not_found", "Not found")
	}))
	return apiVersion(limitBody(mux))
}
