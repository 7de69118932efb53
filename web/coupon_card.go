package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// couponCards is a placeholder until its implementation lands.
func (s *Server) couponCards(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	s.writeError(w, r, &app.Error{Code: app.EUnavailable, Message: "not built yet"})
}
