package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/acme/users/gen/acme/users/v1"
	"github.com/acme/users/internal/store"
)

func seeded() *store.MemoryStore {
	return store.NewMemoryStore(store.User{
		ID:          "u_1",
		Email:       "ada@example.com",
		DisplayName: "Ada",
		CreatedAt:   time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC),
	})
}

func TestGetUser(t *testing.T) {
	srv := NewUserServer(seeded())

	got, err := srv.GetUser(context.Background(), &pb.GetUserRequest{UserId: "u_1"})
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	if got.GetEmail() != "ada@example.com" || got.GetDisplayName() != "Ada" {
		t.Errorf("unexpected user: %+v", got)
	}
}

func TestGetUserNotFound(t *testing.T) {
	srv := NewUserServer(seeded())

	_, err := srv.GetUser(context.Background(), &pb.GetUserRequest{UserId: "nope"})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("want NotFound, got %v", err)
	}
}

func TestHTTPGetUser(t *testing.T) {
	h := NewHTTPHandler(seeded())
	rec := httptest.NewRecorder()

	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/users/u_1", nil))

	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if body["display_name"] != "Ada" {
		t.Errorf("display_name = %v", body["display_name"])
	}
	if _, ok := body["avatar_url"]; ok {
		t.Errorf("empty avatar_url must be omitted")
	}
}
