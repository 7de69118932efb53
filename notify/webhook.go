package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gatehouse/app"
)

// Webhook headers. The signature header is "t=<unix seconds>,v1=<hex>",
// where hex is HMAC-SHA256 keyed with the group's webhook secret (its
// text, as shown when the group was created) over "<t>.<body>". A receiver
// recomputes it, compares in constant time and refuses old t values.
const (
	HeaderEvent     = "X-Gatehouse-Event"
	HeaderDelivery  = "X-Gatehouse-Delivery"
	HeaderSignature = "X-Gatehouse-Signature"
)

// maxErrorText is the longest error text kept from a failed request.
const maxErrorText = 200

// WebhookPayload is the JSON body of a webhook: the event
// (app.EventScheduleRan), the schedule and its instance, the number of
// coupons made, a signed link to the schedule's coupon list and when the
// run happened (RFC 3339, UTC).
type WebhookPayload struct {
	Event      string `json:"event"`
	InstanceID string `json:"instance_id"`
	ScheduleID string `json:"schedule_id"`
	Count      int    `json:"count"`
	SignedURL  string `json:"signed_url"`
	RanAt      string `json:"ran_at"`
}

// webhook POSTs d to its URL, signed with the group's secret. The error is
// a store failure (the group could not be read); a refused or failed
// request is the outcome.
func (p *pass) webhook(ctx context.Context, d app.Delivery) (outcome, error) {
	g, err := p.group(ctx, d.GroupID)
	switch {
	case app.ErrorCode(err) == app.ENotFound:
		return outcome{errText: "webhook: the notification group was deleted", final: true}, nil
	case err != nil:
		return outcome{}, fmt.Errorf("read notification group %s: %w", d.GroupID, err)
	}
	body, err := json.Marshal(WebhookPayload{
		Event:      app.EventScheduleRan,
		InstanceID: d.InstanceID,
		ScheduleID: d.ScheduleID,
		Count:      d.Count,
		SignedURL:  p.n.cfg.Links.CouponListURL(d.ScheduleID),
		RanAt:      d.RanAt.UTC().Format(time.RFC3339),
	})
	if err != nil {
		return outcome{}, fmt.Errorf("encode webhook: %w", err)
	}
	return outcome{errText: p.n.post(ctx, d, g.WebhookSecret, body)}, nil
}

// post sends one webhook request and returns "" on a 2xx answer, or a
// short error text without secrets: the status code and its standard
// text, or what went wrong on the way. Nothing the receiver sent (body,
// reason phrase, headers) is kept: the error is shown to operators, and
// must not turn a webhook into a way to read another service's answers.
func (n *Notifier) post(ctx context.Context, d app.Delivery, secret string, body []byte) string {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Target, bytes.NewReader(body))
	if err != nil {
		return "webhook: the URL cannot be used"
	}
	t := n.cfg.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "gatehouse")
	req.Header.Set(HeaderEvent, app.EventScheduleRan)
	req.Header.Set(HeaderDelivery, d.ID)
	req.Header.Set(HeaderSignature, "t="+strconv.FormatInt(t, 10)+",v1="+sign(secret, t, body))
	res, err := n.client.Do(req)
	if err != nil {
		return transportError(err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) //nolint:errcheck // only to reuse the connection
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return ""
	}
	return strings.TrimSpace(fmt.Sprintf("webhook answered %d %s", res.StatusCode, http.StatusText(res.StatusCode)))
}

// sign is the hex HMAC-SHA256 of "<t>.<body>" keyed with secret.
func sign(secret string, t int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(t, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// transportError describes a failed request without its URL, whose path
// or query may hold a secret, and without anything the receiver sent: a
// malformed answer's error quotes it, so only errors of connecting,
// reading and TLS, which quote nothing, are shown as they are.
func transportError(err error) string {
	if ae, ok := errors.AsType[*addressError](err); ok {
		return ae.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("webhook: no answer within %s", RequestTimeout)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "webhook: the connection was closed before an answer"
	}
	if oe, ok := errors.AsType[*net.OpError](err); ok {
		return "webhook: " + oneLine([]byte(oe.Error()))
	}
	if ve, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return "webhook: " + oneLine([]byte(ve.Error()))
	}
	if re, ok := errors.AsType[tls.RecordHeaderError](err); ok {
		return "webhook: " + oneLine([]byte(re.Msg))
	}
	if ae, ok := errors.AsType[tls.AlertError](err); ok {
		return "webhook: " + oneLine([]byte(ae.Error()))
	}
	return "webhook: no valid HTTP answer"
}

// oneLine makes b safe and short for an error text: valid UTF-8, no
// control characters, spaces collapsed, at most maxErrorText bytes.
func oneLine(b []byte) string {
	s := strings.ToValidUTF8(string(b), "?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
