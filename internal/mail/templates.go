package mail

import (
	"bytes"
	"errors"
	"fmt"
	"text/template"
)

// Template names, as stored in system.outbox.template.
const (
	Confirmation = "confirmation"
	Recovery     = "recovery"
	MagicLink    = "magic_link"
	Invite       = "invite"
	EmailChange  = "email_change"
)

// ErrUnknownTemplate is returned for a template name not listed above.
var ErrUnknownTemplate = errors.New("unknown mail template")

// Data fills a template; the names are GoTrue's template variables.
type Data struct {
	SiteURL         string `json:"site_url"`
	ConfirmationURL string `json:"confirmation_url"`
	Token           string `json:"token"`
	TokenHash       string `json:"token_hash"`
	RedirectTo      string `json:"redirect_to"`
	Email           string `json:"email"`
	NewEmail        string `json:"new_email,omitempty"`
}

type tmpl struct {
	subject string
	body    *template.Template
}

var templates = map[string]tmpl{
	Confirmation: {"Confirm Your Signup", must(`Confirm your signup

Follow this link to confirm your account:
{{ .ConfirmationURL }}

Alternatively, enter the code: {{ .Token }}
`)},
	Recovery: {"Reset Your Password", must(`Reset your password

Follow this link to reset the password for {{ .Email }}:
{{ .ConfirmationURL }}

Alternatively, enter the code: {{ .Token }}

If you did not ask for this, you can ignore this mail.
`)},
	MagicLink: {"Your Magic Link", must(`Your magic link

Follow this link to sign in:
{{ .ConfirmationURL }}

Alternatively, enter the code: {{ .Token }}
`)},
	Invite: {"You have been invited", must(`You have been invited

You have been invited to create a user on {{ .SiteURL }}. Follow this link to accept the invite:
{{ .ConfirmationURL }}

Alternatively, enter the code: {{ .Token }}
`)},
	EmailChange: {"Confirm Email Change", must(`Confirm the change of your email address

Follow this link to confirm the change of your email from {{ .Email }} to {{ .NewEmail }}:
{{ .ConfirmationURL }}

Alternatively, enter the code: {{ .Token }}
`)},
}

func must(body string) *template.Template {
	return template.Must(template.New("").Option("missingkey=error").Parse(body))
}

// Subject is a template's default subject.
func Subject(name string) (string, error) {
	t, ok := templates[name]
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrUnknownTemplate, name)
	}
	return t.subject, nil
}

// Render produces a template's text body.
func Render(name string, d Data) (string, error) {
	t, ok := templates[name]
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrUnknownTemplate, name)
	}
	var b bytes.Buffer
	if err := t.body.Execute(&b, d); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return b.String(), nil
}
