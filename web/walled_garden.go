package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// walledGardenJSON is the contract's WalledGardenEntry.
type walledGardenJSON struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Type      *string `json:"type"`
	IPAddress string  `json:"ip_address"`
	CreatedAt string  `json:"created_at"`
	Host      *string `json:"host"`
	// Note (extension) says how the router applies the entry when that is
	// not what one would guess, e.g. a wildcard host opens plain HTTP only.
	Note string `json:"note,omitempty"`
}

// walledGardenRequest is WalledGardenEntryCreateRequest; on update absent
// fields keep their value.
type walledGardenRequest struct {
	Name      optional[string] `json:"name"`
	IPAddress optional[string] `json:"ip_address"`
	Type      optional[string] `json:"type"`
	Host      optional[string] `json:"host"`
}

func (req *walledGardenRequest) applyTo(e *app.WalledGardenEntry) {
	req.Name.apply(&e.Name)
	req.IPAddress.apply(&e.IPAddress)
	req.Type.apply(&e.Type)
	req.Host.apply(&e.Host)
}

func walledGardenToJSON(e app.WalledGardenEntry) walledGardenJSON {
	return walledGardenJSON{
		ID:        e.ID,
		Name:      e.Name,
		Type:      stringPtr(e.Type),
		IPAddress: e.IPAddress,
		CreatedAt: timeString(e.CreatedAt),
		Host:      stringPtr(e.Host),
		Note:      e.Note(),
	}
}

// listWalledGarden serves GET /captive/walled-garden/:siteId: the site's
// walled-garden entries (what guests reach before they log in).
func (s *Server) listWalledGarden(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	list, err := s.store.ListWalledGarden(r.Context(), p.ByName("siteId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]walledGardenJSON, 0, len(list))
	for _, e := range list {
		out = append(out, walledGardenToJSON(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// createWalledGardenEntry serves POST /captive/walled-garden/:siteId: a new
// entry (by ip_address or host), which the routers are told of; 201.
func (s *Server) createWalledGardenEntry(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req walledGardenRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	// ip_address is required unless the host extension is used instead.
	if err := requireFields(field{"name", req.Name.given()}, field{"ip_address", req.IPAddress.given() || req.Host.given()}); err != nil {
		s.writeError(w, r, err)
		return
	}
	e := app.WalledGardenEntry{SiteID: p.ByName("siteId")}
	req.applyTo(&e)
	e, err := s.store.CreateWalledGardenEntry(r.Context(), e)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	writeCreated(w, resourcePath("/captive/walled-garden", e.SiteID, e.ID), walledGardenToJSON(e))
}

// getWalledGardenEntry serves GET /captive/walled-garden/:siteId/:walledGardenEntryId:
// one entry of the site.
func (s *Server) getWalledGardenEntry(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	e, err := s.store.WalledGardenEntry(r.Context(), p.ByName("siteId"), p.ByName("walledGardenEntryId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, walledGardenToJSON(e))
}

// updateWalledGardenEntry serves PUT /captive/walled-garden/:siteId/:walledGardenEntryId:
// a partial update of the fields sent, which the routers are told of.
func (s *Server) updateWalledGardenEntry(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req walledGardenRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	e, err := s.store.UpdateWalledGardenEntry(r.Context(), p.ByName("siteId"), p.ByName("walledGardenEntryId"),
		func(e *app.WalledGardenEntry) error {
			req.applyTo(e)
			return nil
		})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	writeJSON(w, http.StatusOK, walledGardenToJSON(e))
}

// deleteWalledGardenEntry serves DELETE /captive/walled-garden/:siteId/:walledGardenEntryId:
// the entry is removed and the routers are told; 204.
func (s *Server) deleteWalledGardenEntry(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := s.store.DeleteWalledGardenEntry(r.Context(), p.ByName("siteId"), p.ByName("walledGardenEntryId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	w.WriteHeader(http.StatusNoContent)
}
