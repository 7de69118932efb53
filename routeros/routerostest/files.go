package routerostest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// The router's storage (/file) and /tool/fetch, which downloads into it
// (docs/routeros.md §11).
//
// Sources: manual "Fetch" (help.mikrotik.com/docs/display/ROS/Fetch):
// url, mode (http, https, ftp, tftp, sftp), dst-path ("Destination
// filename and path"), keep-result, output (none, file, user, ...),
// http-method, check-certificate; and the wiki's Manual:Tools/Fetch
// example, where /tool fetch url=... mode=http prints "status: finished"
// and the download shows up in /file print. Manual "Files"
// (help.mikrotik.com/docs/display/ROS/Files): rows name, type (".json
// file", "directory", "package"), size, last-modified; contents can be
// read for files up to 60 KB.
//
// Guessed (docs/routeros.md §10): the API reply of fetch (one !re with
// status=finished, downloaded and total in KiB, duration, then !done; a
// real router may send progress rows first), the trap texts of a failed
// download, that a download replaces a file of the same name in place,
// that dst-path defaults to the last segment of the URL's path, that
// creation-time and last-modified both print the download time, and the
// placeholder text of RouterOS' own hotspot/login.html. The fake only
// fetches http:// URLs of loopback addresses (it is a test double, it
// never reaches out); anything else traps. Other documented fetch
// arguments (address, src-path, upload, user, password, http-data ...)
// trap "unknown parameter" in the fake.

// maxContents is the largest file whose contents /file print shows
// (manual "Files": up to 60 KB).
const maxContents = 60 << 10

// fetchArgs are the fetch arguments the fake implements.
var fetchArgs = map[string]bool{
	"url": true, "mode": true, "dst-path": true, "keep-result": true, "output": true,
	"http-method": true, "check-certificate": true,
}

// builtinFiles are the files of a fresh router after /ip hotspot setup: the
// hotspot directory with RouterOS' own login page (placeholder text).
func builtinFiles() []map[string]string {
	stamp := "2024-12-04 12:00:00"
	own := `<html><body><!-- RouterOS hotspot login page (the fake's placeholder) -->` +
		`<form name="login" action="$(link-login-only)" method="post"></form></body></html>`
	return []map[string]string{
		{"name": "hotspot", "type": "directory", "creation-time": stamp, "last-modified": stamp},
		{"name": "hotspot/login.html", "type": ".html file", "size": strconv.Itoa(len(own)),
			"contents": own, "creation-time": stamp, "last-modified": stamp},
	}
}

// fileType is what /file prints as type for a file name: ".<ext> file",
// or "file" without an extension (manual "Files").
func fileType(name string) string {
	if ext := path.Ext(name); ext != "" {
		return ext + " file"
	}
	return "file"
}

// toolFetch runs /tool/fetch. It is called without r.mu held: the download
// may take a while and may reach a server that talks to this router.
func (r *Router) toolFetch(req *request) *response {
	if req.bad {
		return trapMsg(msgUnknownParam)
	}
	for k := range req.attrs {
		if !fetchArgs[k] {
			return trapMsg(msgUnknownParam)
		}
	}
	raw, ok := req.attrs["url"]
	if !ok {
		return missingArg("url")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return trapped(invalidValue("url"))
	}
	mode := req.attrs["mode"]
	if mode == "" {
		mode = u.Scheme
	}
	if u.Scheme != "http" || mode != "http" {
		return trapMsg("failure: the fake router fetches only http:// URLs with mode=http")
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return trapMsg("failure: the fake router fetches only from loopback addresses, not " + u.Hostname())
	}
	if m := req.attrs["http-method"]; m != "" && m != "get" {
		return trapMsg("failure: the fake router fetches with http-method=get only")
	}
	output := req.attrs["output"]
	if output == "" {
		output = "file"
	}
	switch output {
	case "file", "none", "user":
	default:
		return trapped(invalidValue("output"))
	}
	started := time.Now()
	body, status, err := httpGet(raw)
	if err != nil {
		return trapMsg("failure: connection failed: " + err.Error())
	}
	if status/100 != 2 {
		return trapMsg(fmt.Sprintf("failure: closing connection: <%d %s> %s (4)", status, http.StatusText(status), u.Host))
	}
	words := []string{"=status=finished", "=downloaded=" + strconv.Itoa((len(body)+1023)/1024),
		"=total=" + strconv.Itoa((len(body)+1023)/1024), "=duration=" + formatDuration(time.Since(started).Truncate(time.Second))}
	if output == "user" {
		words = append(words, "=data="+string(body))
	}
	if output == "file" && req.attrs["keep-result"] != "no" {
		dst := strings.TrimPrefix(req.attrs["dst-path"], "/")
		if dst == "" {
			dst = path.Base(u.Path)
		}
		if dst == "" || dst == "." || dst == "/" {
			return missingArg("dst-path")
		}
		r.storeFile(dst, body)
	}
	resp := new(response)
	resp.re(words)
	return resp.done("")
}

// storeFile writes a downloaded file into /file, replacing one of the same
// name in place.
func (r *Router) storeFile(name string, body []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	stamp := time.Now().UTC().Format("2006-01-02 15:04:05")
	row := map[string]string{"name": name, "type": fileType(name), "size": strconv.Itoa(len(body)),
		"creation-time": stamp, "last-modified": stamp}
	if len(body) <= maxContents {
		row["contents"] = string(body)
	}
	t := r.tables[menuFile]
	if old := findRow(t, "name", name); old != nil {
		for k := range old {
			if k != ".id" {
				delete(old, k)
			}
		}
		for k, v := range row {
			old[k] = v
		}
		return
	}
	t.insert(row, -1)
}

// httpGet downloads a URL with a short timeout and a size limit.
func httpGet(raw string) ([]byte, int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", "routerostest-fetch")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return body, resp.StatusCode, err
}
