// Package store holds user accounts.
package store

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// ErrNotFound is returned when no user has the requested id.
var ErrNotFound = errors.New("user not found")

// User is a customer account. The JSON form is served by GET /v1/users/{id}.
type User struct {
	ID          string    `json:"user_id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	AvatarURL   string    `json:"avatar_url,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Store reads user accounts.
type Store interface {
	Get(ctx context.Context, id string) (User, error)
	List(ctx context.Context, limit int) ([]User, error)
}

// MemoryStore is an in-process Store used in tests and local development.
type MemoryStore struct {
	mu    sync.RWMutex
	users map[string]User
}

// NewMemoryStore returns a store seeded with the given users.
func NewMemoryStore(seed ...User) *MemoryStore {
	s := &MemoryStore{users: make(map[string]User, len(seed))}
	for _, u := range seed {
		s.users[u.ID] = u
	}
	return s
}

// Get returns the user with the given id.
func (s *MemoryStore) Get(_ context.Context, id string) (User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users[id]
	if !ok {
		return User{}, ErrNotFound
	}
	return u, nil
}

// List returns up to limit users, oldest first.
func (s *MemoryStore) List(_ context.Context, limit int) ([]User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
