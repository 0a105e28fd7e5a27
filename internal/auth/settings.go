package auth

import "net/http"

// settings is GET /settings: the public part of the configuration.
func (a *API) settings(w http.ResponseWriter, _ *http.Request) error {
	external := map[string]bool{"email": true, "phone": false, "anonymous_users": a.opts.AnonymousSignIns}
	for _, p := range []string{"apple", "azure", "bitbucket", "discord", "facebook", "figma", "fly", "github",
		"gitlab", "google", "keycloak", "kakao", "linkedin", "linkedin_oidc", "notion", "spotify", "slack",
		"slack_oidc", "workos", "twitch", "twitter", "x", "zoom", "saml"} {
		external[p] = false
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"external":           external,
		"disable_signup":     a.opts.DisableSignup,
		"mailer_autoconfirm": a.opts.MailerAutoconfirm,
		"phone_autoconfirm":  false,
		"sms_provider":       "",
		"saml_enabled":       false,
	})
	return nil
}

// health is GET /health, in GoTrue's shape.
func (a *API) health(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{
		"version": a.opts.Version, "name": "GoTrue",
		"description": "GoTrue is a user registration and authentication API (creatorbase)",
	})
	return nil
}

// jwks is GET /.well-known/jwks.json. Access tokens are HS256 with the
// project secret, which is never published, so the set is empty and
// clients verify through GET /user, as with GoTrue's symmetric keys.
func (a *API) jwks(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=600")
	writeJSON(w, http.StatusOK, map[string]any{"keys": []any{}})
	return nil
}
