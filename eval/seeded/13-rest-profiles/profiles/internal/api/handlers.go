package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/acme/profiles/internal/profile"
)

type Server struct {
	repo profile.Repository
	log  *slog.Logger
}

func NewServer(repo profile.Repository, log *slog.Logger) *Server {
	return &Server{repo: repo, log: log}
}

func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/profiles/{id}", s.getProfile)
	mux.HandleFunc("GET /v1/profiles/{id}/preferences", s.getPreferences)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return mux
}

func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) {
	p, err := s.repo.Profile(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, err)
		return
	}
	respond(w, p)
}

func (s *Server) getPreferences(w http.ResponseWriter, r *http.Request) {
	prefs, err := s.repo.Preferences(r.Context(), r.PathValue("id"))
	if err != nil {
		s.error(w, err)
		return
	}
	respond(w, prefs)
}

func (s *Server) error(w http.ResponseWriter, err error) {
	if errors.Is(err, profile.ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	s.log.Error("profiles request failed", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func respond(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Default().Warn("encode response", "err", err)
	}
}
