package routeros

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gatehouse/app"
)

// What the setup checklist reads and the few changes it makes on request
// (docs/routeros.md §11).

const (
	menuServer     = "/ip/hotspot"
	menuServerProf = "/ip/hotspot/profile"
	menuFile       = "/file"
)

// HotspotServers lists the router's hotspot servers with the login
// settings of their server profiles (html-directory, login-by).
func (r *Router) HotspotServers(ctx context.Context) ([]app.HotspotServer, error) {
	res := r.c.RunAll(ctx, [][]string{
		{menuServer + "/print", "=.proplist=name,interface,profile,disabled"},
		{menuServerProf + "/print", "=.proplist=name,html-directory,login-by"},
	})
	for _, x := range res {
		if x.Err != nil {
			return nil, fmt.Errorf("read hotspot servers of %s: %w", r.host, x.Err)
		}
	}
	profiles := map[string]map[string]string{}
	for _, row := range res[1].Reply.Rows {
		profiles[row["name"]] = row
	}
	out := make([]app.HotspotServer, 0, len(res[0].Reply.Rows))
	for _, row := range res[0].Reply.Rows {
		s := app.HotspotServer{Name: row["name"], Interface: row["interface"], Profile: row["profile"],
			Disabled: row["disabled"] == "true" || row["disabled"] == "yes", HTMLDirectory: "hotspot"}
		if p, ok := profiles[s.Profile]; ok {
			if d := p["html-directory"]; d != "" {
				s.HTMLDirectory = d
			}
			s.LoginBy = splitList(p["login-by"])
		}
		out = append(out, s)
	}
	return out, nil
}

// splitList splits a RouterOS comma list.
func splitList(v string) []string {
	var out []string
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// File reads one file of the router's storage (/file) by its full name;
// ENotFound when there is none.
func (r *Router) File(ctx context.Context, name string) (app.RouterFile, error) {
	rep, err := r.c.Run(ctx, menuFile+"/print", "?name="+name, "=.proplist=name,type,size,contents")
	if err != nil {
		return app.RouterFile{}, fmt.Errorf("read file %s of %s: %w", name, r.host, err)
	}
	for _, row := range rep.Rows {
		if row["name"] == name {
			size, _ := strconv.ParseInt(row["size"], 10, 64)
			return app.RouterFile{Name: name, Type: row["type"], Size: size, Contents: row["contents"]}, nil
		}
	}
	return app.RouterFile{}, app.Errorf(app.ENotFound, "the router has no file %s", name)
}

// FetchFile makes the router download url over HTTP(S) into its file
// dstPath (/tool/fetch mode=http|https, replacing a file of that name),
// then reads the file back. EInvalid with the router's reason when the
// download fails.
func (r *Router) FetchFile(ctx context.Context, url, dstPath string) (app.RouterFile, error) {
	mode := "http"
	if strings.HasPrefix(strings.ToLower(url), "https://") {
		mode = "https"
	}
	if _, err := r.c.Run(ctx, "/tool/fetch", "=url="+url, "=mode="+mode, "=dst-path="+dstPath); err != nil {
		return app.RouterFile{}, fmt.Errorf("download %s on %s: %w", dstPath, r.host, err)
	}
	return r.File(ctx, dstPath)
}

// AddLoginMethod adds method (http-pap ...) to the login-by of a hotspot
// server profile, keeping the methods it has. It changes nothing when the
// profile has it already.
func (r *Router) AddLoginMethod(ctx context.Context, profile, method string) error {
	rep, err := r.c.Run(ctx, menuServerProf+"/print", "?name="+profile, "=.proplist=.id,name,login-by")
	if err != nil {
		return fmt.Errorf("read server profile %s of %s: %w", profile, r.host, err)
	}
	for _, row := range rep.Rows {
		if row["name"] != profile {
			continue
		}
		methods := splitList(row["login-by"])
		if slices.Contains(methods, method) {
			return nil
		}
		methods = append(methods, method)
		if _, err := r.c.Run(ctx, menuServerProf+"/set", "=.id="+row[".id"], "=login-by="+strings.Join(methods, ",")); err != nil {
			return fmt.Errorf("set login-by of %s on %s: %w", profile, r.host, err)
		}
		return nil
	}
	return app.Errorf(app.ENotFound, "the router has no hotspot server profile %s", profile)
}

// TestLogin creates a one-off hotspot user on server ("all" or "" for
// every server) marked with app.TestLoginComment, checks that the router
// lists it, logs the device with address ip in with it when ip is not "",
// and removes the session and the user again. The result says how far it
// got; err is only for a router that cannot be reached.
func (r *Router) TestLogin(ctx context.Context, server, ip string) (t app.TestLogin, err error) {
	now := time.Now()
	code := "gh-test-" + strings.ToLower(rand.Text()[:8])
	t = app.TestLogin{User: code, Server: server, Device: ip, At: now}
	if server == "" {
		t.Server = "all"
	}
	add := []string{menuUser + "/add", "=name=" + code, "=password=" + code, "=limit-uptime=5m",
		"=comment=" + app.TestLoginComment(now)}
	if t.Server != "all" {
		add = append(add, "=server="+t.Server)
	}
	rep, err := r.c.Run(ctx, add...)
	if err != nil {
		if app.ErrorCode(err) == app.EUnavailable {
			return t, fmt.Errorf("test login on %s: %w", r.host, err)
		}
		t.Error = err.Error()
		return t, nil
	}
	t.Created = true
	id := rep.Ret
	defer func() {
		// Remove the user whatever happened (a pass removes it otherwise).
		_, rerr := r.c.Run(context.WithoutCancel(ctx), menuUser+"/remove", "=.id="+id)
		t.Removed = rerr == nil
		if rerr != nil && t.Error == "" {
			t.Error = rerr.Error()
		}
	}()
	got, err := r.c.Run(ctx, menuUser+"/print", "?name="+code, "=.proplist=.id,name,comment")
	if err != nil {
		t.Error = err.Error()
		return t, nil
	}
	for _, row := range got.Rows {
		if row["name"] == code && row[".id"] == id {
			t.Found = true
		}
	}
	if !t.Found || ip == "" {
		return t, nil
	}
	if err := r.LoginGuest(ctx, code, code, ip, ""); err != nil {
		t.Error = err.Error()
		return t, nil
	}
	t.LoggedIn = true
	if err := r.Disconnect(ctx, code, ""); err != nil {
		t.Error = err.Error()
	}
	return t, nil
}
