package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestExampleConfigIsTheDefault parses config.example.toml, checks it
// validates, and that it documents exactly the built-in defaults.
func TestExampleConfigIsTheDefault(t *testing.T) {
	cfg, err := loadConfig("config.example.toml", env(nil))
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	if err := cfg.finish(); err != nil {
		t.Fatalf("config.example.toml does not validate: %v", err)
	}
	def := defaultConfig()
	if err := def.finish(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, def) {
		t.Fatalf("example differs from the defaults:\n got %+v\nwant %+v", cfg, def)
	}
	// Every key of Config appears in the example.
	data, err := os.ReadFile("config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	err = eachKey(&cfg, func(section, key string, _ reflect.Value, _ reflect.StructField) error {
		if !strings.Contains(string(data), "\n"+key+" = ") {
			t.Errorf("config.example.toml does not document %s.%s", section, key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConfigLayers(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.toml")
	if err := os.WriteFile(file, []byte("[server]\nlisten = \"0.0.0.0:9000\"\n[log]\nformat = \"json\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(file, env(map[string]string{"GATEHOUSE_LOG_FORMAT": "text", "GATEHOUSE_STORAGE_DATA_DIR": "/var/lib/gh"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.finish(); err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Listen != "0.0.0.0:9000" || cfg.Log.Format != "text" || cfg.Storage.DataDir != "/var/lib/gh" {
		t.Fatalf("layers: %+v", cfg)
	}
	if cfg.Server.BaseURL != "http://127.0.0.1:9000" {
		t.Errorf("derived base_url = %q, want http://127.0.0.1:9000", cfg.Server.BaseURL)
	}
}

// TestNotifyAllowPrivateWebhooks checks the webhook switch's layers: off
// by default, set by the file, overridden by the environment.
func TestNotifyAllowPrivateWebhooks(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(file, []byte("[notify]\nallow_private_webhooks = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		env        map[string]string
		want       bool
	}{
		{"default", "", nil, false},
		{"file", file, nil, true},
		{"environment", "", map[string]string{"GATEHOUSE_NOTIFY_ALLOW_PRIVATE_WEBHOOKS": "true"}, true},
		{"environment over file", file, map[string]string{"GATEHOUSE_NOTIFY_ALLOW_PRIVATE_WEBHOOKS": "false"}, false},
	} {
		cfg, err := loadConfig(tc.path, env(tc.env))
		if err == nil {
			err = cfg.finish()
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := cfg.Notify.AllowPrivateWebhooks; got != tc.want {
			t.Errorf("%s: allow_private_webhooks = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "c.toml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		file string
		env  map[string]string
		want string
	}{
		{"bad listen", "[server]\nlisten = \"nonsense\"\n", nil, "server.listen"},
		{"bad base_url", "[server]\nbase_url = \"ftp://x\"\n", nil, "server.base_url"},
		{"bad level", "[log]\nlevel = \"loud\"\n", nil, "log.level"},
		{"bad format", "[log]\nformat = \"xml\"\n", nil, "log.format"},
		{"unknown key", "[server]\nlisen = \"x\"\n", nil, "server.lisen"},
		{"env bad level", "", map[string]string{"GATEHOUSE_LOG_LEVEL": "verbose"}, "log.level"},
		{"empty data dir", "[storage]\ndata_dir = \" \"\n", nil, "storage.data_dir"},
		{"short audit retention", "[audit]\nretention = \"24h\"\n", nil, "audit.retention"},
		{"not toml", "[server\n", nil, "c.toml"},
		{"bad notify switch", "[notify]\nallow_private_webhooks = \"yes\"\n", nil, "c.toml"},
		{"env bad notify switch", "", map[string]string{"GATEHOUSE_NOTIFY_ALLOW_PRIVATE_WEBHOOKS": "maybe"}, "notify.allow_private_webhooks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.file != "" {
				path = write(tc.file)
			}
			cfg, err := loadConfig(path, env(tc.env))
			if err == nil {
				err = cfg.finish()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func TestRedactedHidesSecrets(t *testing.T) {
	type section struct {
		User     string `toml:"user"`
		Password string `toml:"password" redact:"true"`
	}
	v := reflect.ValueOf(&section{User: "u", Password: "hunter2"}).Elem()
	redactValue(v)
	if got := v.Interface().(section); got.Password != "<redacted>" || got.User != "u" {
		t.Fatalf("redacted = %+v", got)
	}
}
