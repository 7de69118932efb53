package routerostest

import (
	"fmt"
	"strings"
)

// Trap is a RouterOS error reply: a !trap sentence with =message= (and
// =category= when Category is not empty), followed by !done.
type Trap struct {
	Message  string
	Category string // "0".."7", see docs/routeros.md §1, §4; "" leaves it out
}

// request is one parsed command sentence.
type request struct {
	word    string            // "/ip/hotspot/user/add"
	attrs   map[string]string // =name=value words; the last one wins
	order   []string          // attribute names in the order received
	queries []query
	tag     string
	hasTag  bool
	bad     bool // a word that is neither attribute, query nor .tag
}

func parseRequest(words []string) *request {
	req := &request{word: words[0], attrs: make(map[string]string)}
	for _, w := range words[1:] {
		switch {
		case strings.HasPrefix(w, "="):
			k, v, _ := strings.Cut(w[1:], "=")
			if _, seen := req.attrs[k]; !seen {
				req.order = append(req.order, k)
			}
			req.attrs[k] = v
		case strings.HasPrefix(w, "?"):
			req.queries = append(req.queries, parseQuery(w[1:]))
		case strings.HasPrefix(w, ".tag="):
			req.tag, req.hasTag = w[5:], true
		default:
			req.bad = true
		}
	}
	return req
}

// path splits the command word into menu path and command name.
func (req *request) path() (menuPath, cmd string) {
	i := strings.LastIndexByte(req.word, '/')
	if i < 0 {
		return "", req.word
	}
	return req.word[:i], req.word[i+1:]
}

// response collects the reply sentences of one command.
type response struct {
	sentences [][]string
}

func (rs *response) re(words []string) {
	rs.sentences = append(rs.sentences, append([]string{"!re"}, words...))
}

func (rs *response) empty() { rs.sentences = append(rs.sentences, []string{"!empty"}) }

// done ends the reply, with =ret= when ret is not empty.
func (rs *response) done(ret string) *response {
	s := []string{"!done"}
	if ret != "" {
		s = append(s, "=ret="+ret)
	}
	rs.sentences = append(rs.sentences, s)
	return rs
}

// trap adds a !trap sentence; the caller still has to add !done.
func (rs *response) trap(t *Trap) *response {
	s := []string{"!trap"}
	if t.Category != "" {
		s = append(s, "=category="+t.Category)
	}
	rs.sentences = append(rs.sentences, append(s, "=message="+t.Message))
	return rs
}

// done and trap replies as one-liners.
func doneWith(ret string) *response { return new(response).done(ret) }
func trapped(t *Trap) *response     { return new(response).trap(t).done("") }
func trapMsg(msg string) *response  { return trapped(&Trap{Message: msg}) }

// Trap messages used in several places (docs/routeros.md §4).
const (
	msgNoSuchItem   = "no such item (4)"
	msgUnknownParam = "unknown parameter"
	msgNoSuchCmd    = "no such command"
)

func missingArg(name string) *response {
	return trapMsg("missing value(s) of argument(s) " + name)
}

// encode renders the reply; with a tag every sentence carries .tag= right
// after its reply word.
func (rs *response) encode(req *request) []byte {
	var b []byte
	for _, s := range rs.sentences {
		b = appendWord(b, s[0])
		if req.hasTag {
			b = appendWord(b, ".tag="+req.tag)
		}
		for _, w := range s[1:] {
			b = appendWord(b, w)
		}
		b = append(b, 0)
	}
	return b
}

// summary is a short text of the reply for the trace log.
func (rs *response) summary() string {
	var parts []string
	n := 0
	for _, s := range rs.sentences {
		if s[0] == "!re" {
			n++
			continue
		}
		parts = append(parts, strings.Join(s, " "))
	}
	if n > 0 {
		parts = append([]string{fmt.Sprintf("%d !re", n)}, parts...)
	}
	return strings.Join(parts, " | ")
}

// masked returns the words for logging with passwords hidden.
func masked(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		if strings.HasPrefix(w, "=password=") {
			w = "=password=***"
		}
		out[i] = w
	}
	return strings.Join(out, " ")
}
