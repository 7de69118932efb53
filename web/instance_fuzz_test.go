package web

import (
	"testing"

	"gatehouse/app"
)

// FuzzDecodeInstance feeds arbitrary bodies through the instance request
// decoding and validation: nothing may panic, and whatever validates must
// respect the contract's ranges.
func FuzzDecodeInstance(f *testing.F) {
	f.Add([]byte(`{"name":"Guest","strategy":"coupon","session_ttl":3600}`))
	f.Add([]byte(`{"name":"G","strategy":"oauth2","session_ttl":1200,"auth_integration_id":"x","auth_window_ttl":900}`))
	f.Add([]byte(`{"theme":{"accent_color":"#fff"},"sites":[{"id":"a","subnets":["10.0.0.0/8"]}],"terms_text":null}`))
	f.Add([]byte(`{"name":null,"sites":null,"theme":null,"locale":"pt-BR"}`))
	f.Add([]byte(`{"session_ttl":1e400}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req instanceRequest
		if err := decodeJSONBytes(body, &req); err != nil {
			if app.ErrorCode(err) != app.EInvalid {
				t.Fatalf("decode error %v has code %q, want invalid", err, app.ErrorCode(err))
			}
			return
		}
		in := app.NewInstance()
		req.applyTo(&in)
		in.Normalize()
		if err := in.Validate(); err != nil {
			if app.ErrorCode(err) != app.EInvalid {
				t.Fatalf("validate error %v has code %q, want invalid", err, app.ErrorCode(err))
			}
			return
		}
		if in.SessionTTL < app.MinSessionTTL || in.SessionTTL > app.MaxSessionTTL {
			t.Fatalf("session_ttl %d validated", in.SessionTTL)
		}
		if in.Strategy == app.StrategyCoupon && in.AuthIntegrationID != "" {
			t.Fatal("coupon instance kept an auth integration")
		}
	})
}
