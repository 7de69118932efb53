// Package exposition reads the Prometheus text exposition that /metrics
// writes, for the tests of the packages that write it (scheduler and web):
// strictly enough to catch what a scraper would refuse.
package exposition

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Exposition is a Prometheus text exposition, parsed.
type Exposition struct {
	// Samples are the values by name and labels, as `name{k="v",...}`
	// with the labels sorted (just `name` without labels); histograms
	// give their _bucket, _sum and _count series.
	Samples map[string]float64
	// Types are the TYPE lines by family.
	Types map[string]string
}

// Parse reads the text format strictly enough to catch what a
// scraper refuses: a malformed line or name, a sample twice, a second
// TYPE line for a family or one after its samples, or a family whose
// lines are not together.
func Parse(text string) (Exposition, error) {
	e := Exposition{Samples: map[string]float64{}, Types: map[string]string{}}
	seen := map[string]bool{}    // families that have had a line
	sampled := map[string]bool{} // families that have had a sample
	current := ""                // the family of the line before
	for n, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		fail := func(why string) (Exposition, error) {
			return Exposition{}, fmt.Errorf("line %d %q: %s", n+1, line, why)
		}
		var family string
		if rest, ok := strings.CutPrefix(line, "#"); ok {
			f := strings.Fields(rest)
			if len(f) < 2 || (f[0] != "TYPE" && f[0] != "HELP") {
				continue // a plain comment
			}
			family = f[1]
			if !metricName.MatchString(family) {
				return fail("bad metric name")
			}
			if f[0] == "TYPE" {
				if len(f) != 3 || !slices.Contains([]string{"counter", "gauge", "histogram", "summary", "untyped"}, f[2]) {
					return fail("bad TYPE line")
				}
				if _, dup := e.Types[family]; dup {
					return fail("second TYPE line for " + family)
				}
				if sampled[family] {
					return fail("TYPE line after samples of " + family)
				}
				e.Types[family] = f[2]
			}
		} else {
			name, labels, value, err := parseSample(line)
			if err != nil {
				return fail(err.Error())
			}
			family = familyOf(name, e.Types)
			key := name
			if len(labels) > 0 {
				slices.Sort(labels)
				key += "{" + strings.Join(labels, ",") + "}"
			}
			if _, dup := e.Samples[key]; dup {
				return fail("second sample " + key)
			}
			e.Samples[key] = value
			sampled[family] = true
		}
		if family != current && seen[family] {
			return fail("lines of " + family + " are not together")
		}
		seen[family], current = true, family
	}
	return e, nil
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// familyOf is the family a sample belongs to: a histogram's or a
// summary's _bucket, _sum and _count series are the family's.
func familyOf(name string, types map[string]string) string {
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if t := types[base]; t == "histogram" || (t == "summary" && suffix != "_bucket") {
				return base
			}
		}
	}
	return name
}

// parseSample parses `name{k="v",...} value [timestamp]`; the labels come
// back as k="v" with Go quoting.
func parseSample(line string) (name string, labels []string, value float64, err error) {
	i := strings.IndexAny(line, "{ ")
	if i < 0 {
		return "", nil, 0, errors.New("no value")
	}
	name, rest := line[:i], line[i:]
	if !metricName.MatchString(name) {
		return "", nil, 0, errors.New("bad metric name")
	}
	if rest[0] == '{' {
		rest = rest[1:]
		names := map[string]bool{}
		for {
			rest = strings.TrimLeft(rest, " ")
			if r, ok := strings.CutPrefix(rest, "}"); ok {
				rest = r
				break
			}
			eq := strings.Index(rest, `="`)
			if eq < 0 {
				return "", nil, 0, errors.New("bad label")
			}
			lname := strings.TrimSpace(rest[:eq])
			if !labelName.MatchString(lname) || names[lname] {
				return "", nil, 0, fmt.Errorf("bad or repeated label name %q", lname)
			}
			names[lname] = true
			rest = rest[eq+2:]
			var v strings.Builder
			for {
				if rest == "" {
					return "", nil, 0, errors.New("unterminated label value")
				}
				c := rest[0]
				rest = rest[1:]
				if c == '"' {
					break
				}
				if c == '\\' {
					if rest == "" {
						return "", nil, 0, errors.New("unterminated label value")
					}
					switch rest[0] {
					case 'n':
						v.WriteByte('\n')
					case '\\', '"':
						v.WriteByte(rest[0])
					default:
						return "", nil, 0, errors.New("bad escape in label value")
					}
					rest = rest[1:]
					continue
				}
				v.WriteByte(c)
			}
			labels = append(labels, fmt.Sprintf("%s=%q", lname, v.String()))
			rest = strings.TrimLeft(rest, " ")
			if r, ok := strings.CutPrefix(rest, ","); ok {
				rest = r
			} else if !strings.HasPrefix(rest, "}") {
				return "", nil, 0, errors.New("no comma between labels")
			}
		}
	}
	fields := strings.Fields(rest)
	if len(fields) != 1 && len(fields) != 2 {
		return "", nil, 0, errors.New("want a value and at most a timestamp")
	}
	if value, err = strconv.ParseFloat(fields[0], 64); err != nil {
		return "", nil, 0, fmt.Errorf("bad value: %v", err)
	}
	return name, labels, value, nil
}

// WantBuckets fails unless the histogram series of family with labels
// (k="v" each) has buckets at exactly bounds and +Inf, each counting at
// least the one before, and its +Inf bucket counts as many as _count.
func WantBuckets(t testing.TB, e Exposition, family string, labels []string, bounds []float64) {
	t.Helper()
	key := func(name string, more ...string) string {
		l := append(slices.Clone(labels), more...)
		slices.Sort(l)
		return name + "{" + strings.Join(l, ",") + "}"
	}
	var les []string
	for _, b := range bounds {
		les = append(les, strconv.FormatFloat(b, 'g', -1, 64))
	}
	les = append(les, "+Inf")
	prev := 0.0
	for _, le := range les {
		k := key(family+"_bucket", `le="`+le+`"`)
		v, ok := e.Samples[k]
		if !ok {
			t.Fatalf("%s: missing from the scrape", k)
		}
		if v < prev {
			t.Fatalf("%s = %v, less than the bucket before (%v)", k, v, prev)
		}
		prev = v
	}
	if count := e.Samples[key(family+"_count")]; prev != count {
		t.Fatalf("%s: +Inf bucket %v, _count %v", family, prev, count)
	}
	// No bucket of that series at another bound.
	series := key(family + "_bucket")
	n := 0
	for k := range e.Samples {
		name, rest, ok := strings.Cut(k, "{")
		if !ok || name != family+"_bucket" {
			continue
		}
		var others []string
		for _, l := range strings.Split(strings.TrimSuffix(rest, "}"), ",") {
			if !strings.HasPrefix(l, "le=") {
				others = append(others, l)
			}
		}
		if name+"{"+strings.Join(others, ",")+"}" == series {
			n++
		}
	}
	if n != len(les) {
		t.Fatalf("%s has %d buckets, want %d (%v)", series, n, len(les), les)
	}
}
