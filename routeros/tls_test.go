package routeros_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros"
)

// tlsFront puts an API-SSL front with a fresh self-signed certificate
// before a fake router (which speaks plain TCP only) and returns the
// front's address and the certificate's SHA-256 in hex.
func tlsFront(tb testing.TB, backend string) (string, string) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "router"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	wg.Go(func() {
		for {
			front, err := ln.Accept()
			if err != nil {
				return
			}
			back, err := net.Dial("tcp", backend)
			if err != nil {
				front.Close()
				continue
			}
			mu.Lock()
			open = append(open, front, back)
			mu.Unlock()
			pipe := func(dst, src net.Conn) {
				io.Copy(dst, src)
				dst.Close()
				src.Close()
			}
			wg.Go(func() { pipe(front, back) })
			wg.Go(func() { pipe(back, front) })
		}
	})
	tb.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	sum := sha256.Sum256(der)
	return ln.Addr().String(), hex.EncodeToString(sum[:])
}

func TestTLS(t *testing.T) {
	r := newRouter(t)
	addr, fp := tlsFront(t, r.Addr())
	tgt := target(t, addr)
	tgt.TLS = true

	colons := make([]string, 0, len(fp)/2)
	for i := 0; i < len(fp); i += 2 {
		colons = append(colons, strings.ToUpper(fp[i:i+2]))
	}
	wrong := strings.Repeat("ab", 32)
	tests := []struct {
		name, fingerprint string
		code, reason      string
		msg               string
	}{
		{"pinned", fp, "", "", ""},
		{"pinned with colons", strings.Join(colons, ":"), "", "", ""},
		{"wrong pin", wrong, app.EUnavailable, routeros.ReasonUnavailable, "does not match the pinned fingerprint"},
		{"self-signed, no pin", "", app.EUnavailable, routeros.ReasonUnavailable, "certificate"},
		{"bad pin", "xyz", app.EInvalid, app.ReasonParameterInvalid, "not a hex SHA-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := tgt
			tg.Fingerprint = tt.fingerprint
			c := routeros.New(tg, testConfig())
			defer c.Close()
			_, err := c.Run(context.Background(), "/system/identity/print")
			if tt.code == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			ae := wantErr(t, err, tt.code, tt.reason)
			if !strings.Contains(ae.Message, tt.msg) {
				t.Errorf("got %q, want it to mention %q", ae.Message, tt.msg)
			}
		})
	}
}

func TestTargetAddr(t *testing.T) {
	tests := []struct {
		t    routeros.Target
		want string
	}{
		{routeros.Target{Host: "10.0.0.1"}, "10.0.0.1:8728"},
		{routeros.Target{Host: "10.0.0.1", TLS: true}, "10.0.0.1:8729"},
		{routeros.Target{Host: "fe80::1", Port: 1234}, "[fe80::1]:1234"},
	}
	for _, tt := range tests {
		if got := tt.t.Addr(); got != tt.want {
			t.Errorf("%+v: got %s, want %s", tt.t, got, tt.want)
		}
	}
}
