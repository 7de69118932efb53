package web

import (
	"fmt"

	"gatehouse/app"
)

// ReasonBaseURLLoopback is the Error code of a request refused because
// the base URL guests are sent to is a loopback address.
const ReasonBaseURLLoopback = "base_url_loopback"

// baseURLSetting names where the base URL is set, for messages.
const baseURLSetting = "[server] base_url in the config file (or the environment variable GATEHOUSE_SERVER_BASE_URL)"

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

// baseURLText explains a loopback base URL and what to set instead.
func (s *Server) baseURLText() string {
	return fmt.Sprintf("Guests would be sent to %s, an address only the computer gatehouse runs on can open. "+
		"Set %s to the address guests' devices reach gatehouse at, for example http://192.168.88.10:8080, and restart gatehouse.",
		s.links.BaseURL, baseURLSetting)
}

// requireGuestBaseURL refuses (EConflict base_url_loopback) to hand out
// what guests would open when the base URL is loopback; what names it.
func (s *Server) requireGuestBaseURL(what string) error {
	if !s.loopbackBase {
		return nil
	}
	return &app.Error{Code: app.EConflict, Reason: ReasonBaseURLLoopback,
		Message: what + " is refused: " + s.baseURLText()}
}

// setupWarnings are the problems GET /auth/me reports for the admin
// page's banner.
func (s *Server) setupWarnings() []warningJSON {
	out := []warningJSON{}
	if s.loopbackBase {
		text := app.T("warning."+ReasonBaseURLLoopback, "base_url", s.links.BaseURL,
			"setting", "[server] base_url", "env", "GATEHOUSE_SERVER_BASE_URL")
		out = append(out, warningJSON{Code: ReasonBaseURLLoopback, Setting: "[server] base_url",
			Message: text.English(), Text: text})
	}
	return out
}
