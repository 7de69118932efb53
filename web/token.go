package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// tokenJSON describes an API token (extension). The bearer string itself
// is only in the response to its creation.
type tokenJSON struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Role      string  `json:"role"`
	CreatedAt string  `json:"created_at"`
	ExpiresAt string  `json:"expires_at"`
	RevokedAt *string `json:"revoked_at"`
	Token     string  `json:"token,omitempty"`
}

type tokenRequest struct {
	Name optional[string] `json:"name"`
	Role optional[string] `json:"role"`
	TTL  optional[string] `json:"ttl"`
}

func tokenToJSON(t app.Token) tokenJSON {
	return tokenJSON{
		ID:        t.ID,
		Name:      t.Name,
		Role:      string(t.Role),
		CreatedAt: timeString(t.CreatedAt),
		ExpiresAt: timeString(t.ExpiresAt),
		RevokedAt: timePtr(t.RevokedAt),
	}
}

// listTokens serves GET /captive/tokens: every API token record (never the
// bearer tokens themselves).
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	list, err := s.store.ListTokens(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]tokenJSON, 0, len(list))
	for _, t := range list {
		out = append(out, tokenToJSON(t))
	}
	writeJSON(w, http.StatusOK, out)
}

// createToken serves POST /captive/tokens: a new API token of name, role and
// ttl; the 201 is the only answer that holds the bearer token.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	var req tokenRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := requireFields(field{"name", req.Name.given()}, field{"role", req.Role.given()}); err != nil {
		s.writeError(w, r, err)
		return
	}
	ttl, err := parseTTL(req.TTL.value)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.store.CreateToken(r.Context(), req.Name.value, app.Role(req.Role.value), ttl)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := tokenToJSON(t)
	if out.Token, err = SignToken(s.tokenKey, t); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCreated(w, resourcePath("/captive/tokens", t.ID), out)
}

// revokeToken serves DELETE /captive/tokens/:tokenId: the token stops working; 204.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := s.store.RevokeToken(r.Context(), p.ByName("tokenId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
