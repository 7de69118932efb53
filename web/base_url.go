package web

import (
	"gatehouse/app"
)

// ReasonBaseURLLoopback is the Error code of a request refused because
// the base URL guests are sent to is a loopback address.
const ReasonBaseURLLoopback = "base_url_loopback"

// Where the base URL is set, for messages: the config key and the
// environment variable.
const (
	baseURLSetting = "[server] base_url"
	baseURLEnv     = "GATEHOUSE_SERVER_BASE_URL"
)

// warningJSON is one problem of the setup the admin page shows as a
// banner until it is fixed.
type warningJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Setting string `json:"setting"`
	// Text is Message as a catalogue key (warning.<code>) and params, for
	// the admin page to word in its reader's language.
	Text app.Text `json:"text"`
}

// baseURLText is key (a warning or refusal about a loopback base URL)
// with the base URL and where to set it.
func (s *Server) baseURLText(key string) app.Text {
	return app.T(key, "base_url", s.links.BaseURL, "setting", baseURLSetting, "env", baseURLEnv)
}

// requireGuestBaseURL refuses (EConflict base_url_loopback) to hand out
// what guests would open when the base URL is loopback; key is the
// refusal's text (refusal.cards_base_url, refusal.login_page_base_url).
func (s *Server) requireGuestBaseURL(key string) error {
	if !s.loopbackBase {
		return nil
	}
	return app.Refusal(app.EConflict, ReasonBaseURLLoopback, s.baseURLText(key))
}

// setupWarnings are the problems GET /auth/me reports for the admin
// page's banner.
func (s *Server) setupWarnings() []warningJSON {
	out := []warningJSON{}
	if s.loopbackBase {
		text := s.baseURLText("warning." + ReasonBaseURLLoopback)
		out = append(out, warningJSON{Code: ReasonBaseURLLoopback, Setting: baseURLSetting, Message: text.English(), Text: text})
	}
	return out
}
