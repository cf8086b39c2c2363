package profile

import (
	"context"
	"errors"
	"time"
)

var ErrNotFound = errors.New("profile not found")

type Profile struct {
	ID          string    `json:"id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	AvatarURL   string    `json:"avatar_url,omitempty"`
	Locale      string    `json:"locale"`
	CreatedAt   time.Time `json:"created_at"`
}

type Preferences struct {
	UserID     string   `json:"user_id"`
	Newsletter bool     `json:"newsletter"`
	Theme      string   `json:"theme"`
	Categories []string `json:"categories"`
}

type Repository interface {
	Profile(ctx context.Context, id string) (Profile, error)
	Preferences(ctx context.Context, id string) (Preferences, error)
}
