package app

import (
	"context"
	"strings"
	"time"
)

// Identity provider types of an auth integration.
const (
	ProviderAzure  = "azure"
	ProviderGitHub = "github"
	ProviderGoogle = "google"
)

// AuthIntegration holds the OAuth2 client settings of one identity
// provider. ClientSecret is write-only: stored encrypted, never returned.
type AuthIntegration struct {
	ID           string
	Name         string
	Type         string
	ClientID     string
	ClientSecret string
	Tenant       string // azure only
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Normalize trims the fields a person types.
func (a *AuthIntegration) Normalize() {
	a.Name = strings.TrimSpace(a.Name)
	a.ClientID = strings.TrimSpace(a.ClientID)
	a.Tenant = strings.TrimSpace(a.Tenant)
	if a.Type != ProviderAzure {
		a.Tenant = ""
	}
}

// Validate checks a normalized integration and returns EInvalid errors.
func (a *AuthIntegration) Validate() error {
	if err := checkName("name", a.Name); err != nil {
		return err
	}
	switch a.Type {
	case ProviderAzure, ProviderGitHub, ProviderGoogle:
	case "":
		return Missing("type")
	default:
		return Invalid("type", ReasonParameterInvalid, "type must be one of azure, github, google")
	}
	if a.ClientID == "" {
		return Missing("config.client_id")
	}
	if len(a.ClientID) > 500 || strings.ContainsAny(a.ClientID, "\x00\r\n") {
		return Invalid("config.client_id", ReasonParameterInvalid, "config.client_id must be one line of at most 500 characters")
	}
	if a.ClientSecret == "" {
		return Missing("config.client_secret")
	}
	if len(a.ClientSecret) > 2000 {
		return Invalid("config.client_secret", ReasonParameterInvalid, "config.client_secret must be at most 2000 characters")
	}
	if a.Type == ProviderAzure {
		if a.Tenant == "" {
			return Invalid("config.tenant", ReasonParameterMissing, "config.tenant is required for azure (common, organizations, consumers or a tenant id)")
		}
		if !IsDNSName(a.Tenant, false) {
			return Invalid("config.tenant", ReasonParameterInvalid, "config.tenant must be common, organizations, consumers, a tenant id or a domain")
		}
	}
	return nil
}

// AuthIntegrationStore keeps auth integrations. Create and update normalize
// and validate (EInvalid); unknown ids give ENotFound; deleting one that an
// instance uses gives EConflict.
type AuthIntegrationStore interface {
	ListAuthIntegrations(ctx context.Context) ([]AuthIntegration, error)
	AuthIntegration(ctx context.Context, id string) (AuthIntegration, error)
	CreateAuthIntegration(ctx context.Context, a AuthIntegration) (AuthIntegration, error)
	UpdateAuthIntegration(ctx context.Context, id string, change func(*AuthIntegration) error) (AuthIntegration, error)
	DeleteAuthIntegration(ctx context.Context, id string) error
}
