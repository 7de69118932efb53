package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// siteJSON is the contract's Site (a gatehouse extension). The router
// password is write-only and never appears here.
type siteJSON struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	Host           string         `json:"host"`
	Port           int            `json:"port"`
	Username       string         `json:"username"`
	TLS            bool           `json:"tls"`
	TLSFingerprint *string        `json:"tls_fingerprint"`
	HotspotServer  string         `json:"hotspot_server"`
	Status         siteStatusJSON `json:"status"`
	CreatedAt      string         `json:"created_at"`
}

// siteStatusJSON is the contract's SiteStatus.
type siteStatusJSON struct {
	State           string  `json:"state"`
	LastSeenAt      *string `json:"last_seen_at"`
	LastSyncAt      *string `json:"last_sync_at"`
	LastError       *string `json:"last_error"`
	Identity        *string `json:"identity"`
	RouterOSVersion *string `json:"routeros_version"`
	// CPULoad (percent) and Uptime (seconds): what the router last said.
	CPULoad *int   `json:"cpu_load"`
	Uptime  *int64 `json:"uptime"`
	// DriftCount counts items of gatehouse's someone else changed on the
	// router (an extension).
	DriftCount int64 `json:"drift_count"`
	// LastErrorText is last_error as a catalogue key and params when
	// gatehouse wrote it (an extension), null otherwise.
	LastErrorText *app.Text `json:"last_error_text"`
}

// siteRequest is the contract's SiteRequest; on update absent fields keep
// their stored value.
type siteRequest struct {
	Name           optional[string] `json:"name"`
	Host           optional[string] `json:"host"`
	Port           optional[int]    `json:"port"`
	Username       optional[string] `json:"username"`
	Password       optional[string] `json:"password"`
	TLS            optional[bool]   `json:"tls"`
	TLSFingerprint optional[string] `json:"tls_fingerprint"`
	HotspotServer  optional[string] `json:"hotspot_server"`
}

// check refuses what applyTo cannot express: an explicit port 0 would
// otherwise read as "use the default".
func (req *siteRequest) check() error {
	if req.Port.given() && req.Port.value == 0 {
		return app.Invalid("port", app.ReasonParameterInvalid, "port must be between 1 and 65535")
	}
	return nil
}

// checkAddress refuses a change of where the router is reached (host,
// port or tls; the port may follow tls, see applyTo) from before to after
// unless the request sends the password too: the next push would
// otherwise log in to the new address with the stored password, handing
// it to whoever is there. Sending the current values is not a change.
func (req *siteRequest) checkAddress(before, after app.Site) error {
	after.Normalize()
	if after.Validate() != nil {
		return nil // the store refuses it with the field's own error
	}
	moved := !strings.EqualFold(before.Host, after.Host) || before.Port != after.Port || before.TLS != after.TLS
	if moved && !req.Password.given() {
		return app.Invalid("password", app.ReasonParameterMissing,
			"password is required when host, port or tls changes: the stored router password is only sent to the address it was given for")
	}
	return nil
}

// applyTo copies the sent fields onto site. When tls changes and the port
// was the old transport's default and is not sent, the port follows.
func (req *siteRequest) applyTo(site *app.Site) {
	wasDefaultPort := site.Port == app.DefaultPort(site.TLS)
	req.Name.apply(&site.Name)
	req.Host.apply(&site.Host)
	req.Username.apply(&site.Username)
	req.Password.apply(&site.Password)
	req.TLS.apply(&site.TLS)
	req.TLSFingerprint.apply(&site.TLSFingerprint)
	req.HotspotServer.apply(&site.HotspotServer)
	if req.Port.set {
		req.Port.apply(&site.Port)
		if req.Port.null {
			site.Port = app.DefaultPort(site.TLS)
		}
	} else if wasDefaultPort {
		site.Port = app.DefaultPort(site.TLS)
	}
}

func siteToJSON(site app.Site) siteJSON {
	st := site.Status
	return siteJSON{
		ID:             site.ID,
		Name:           site.Name,
		Host:           site.Host,
		Port:           site.Port,
		Username:       site.Username,
		TLS:            site.TLS,
		TLSFingerprint: stringPtr(site.TLSFingerprint),
		HotspotServer:  site.HotspotServer,
		Status: siteStatusJSON{
			State:           st.State,
			LastSeenAt:      timePtr(st.LastSeenAt),
			LastSyncAt:      timePtr(st.LastSyncAt),
			LastError:       stringPtr(st.LastError),
			Identity:        stringPtr(st.Identity),
			RouterOSVersion: stringPtr(st.RouterOSVersion),
			CPULoad:         st.CPULoad,
			Uptime:          secondsPtr(st.Uptime),
			DriftCount:      st.DriftCount,
			LastErrorText:   st.LastErrorText,
		},
		CreatedAt: timeString(site.CreatedAt),
	}
}

// listSites serves GET /captive/sites: every site with its router's status.
func (s *Server) listSites(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	list, err := s.store.ListSites(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]siteJSON, 0, len(list))
	for _, site := range list {
		out = append(out, siteToJSON(site))
	}
	writeJSON(w, http.StatusOK, out)
}

// createSite serves POST /captive/sites: a new site (a router), which the
// reconciler starts to follow; 201 with its Location.
func (s *Server) createSite(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	var req siteRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := requireFields(field{"name", req.Name.given()}, field{"host", req.Host.given()}, field{"username", req.Username.given()})
	if err == nil {
		err = req.check()
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var site app.Site
	req.applyTo(&site)
	site, err = s.store.CreateSite(r.Context(), site)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.sitesChanged()
	writeCreated(w, resourcePath("/captive/sites", site.ID), siteToJSON(site))
}

// getSite serves GET /captive/sites/:siteId: one site with its router's status.
func (s *Server) getSite(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	site, err := s.store.Site(r.Context(), p.ByName("siteId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, siteToJSON(site))
}

// updateSite answers PUT /captive/sites/:siteId: a partial update, which
// must send the password when it moves the router (see checkAddress).
func (s *Server) updateSite(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req siteRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	site, err := s.store.UpdateSite(r.Context(), p.ByName("siteId"), func(site *app.Site) error {
		before := *site
		req.applyTo(site)
		if err := req.check(); err != nil {
			return err
		}
		return req.checkAddress(before, *site)
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.sitesChanged()
	writeJSON(w, http.StatusOK, siteToJSON(site))
}

// deleteSite serves DELETE /captive/sites/:siteId: the site is removed and
// the reconciler stops following its router; 204.
func (s *Server) deleteSite(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := s.store.DeleteSite(r.Context(), p.ByName("siteId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.sitesChanged()
	w.WriteHeader(http.StatusNoContent)
}

// secondsPtr is an optional duration in whole seconds.
func secondsPtr(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	n := int64(*d / time.Second)
	return &n
}
