package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// listScheduleRuns is a placeholder until its implementation lands.
func (s *Server) listScheduleRuns(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	s.writeError(w, r, &app.Error{Code: app.EUnavailable, Message: "not built yet"})
}
