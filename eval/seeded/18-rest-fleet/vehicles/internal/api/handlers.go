package api

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

type Vehicle struct {
	ID            string     `json:"id"`
	VIN           string     `json:"vin"`
	Model         string     `json:"model"`
	Year          int        `json:"year"`
	Depot         string     `json:"depot"`
	OdometerKm    int        `json:"odometer_km"`
	LastServiceAt *time.Time `json:"last_service_at,omitempty"`
}

type vehicleList struct {
	Vehicles []Vehicle `json:"vehicles"`
	Total    int       `json:"total"`
}

type odometerReading struct {
	Km int `json:"km"`
}

type Handler struct {
	mu       sync.RWMutex
	vehicles map[string]*Vehicle
}

func NewHandler() *Handler {
	return &Handler{vehicles: map[string]*Vehicle{}}
}

func (h *Handler) Routes() http.Handler {
	r := chi.NewRouter()
	r.Get("/vehicles", h.list)
	r.Get("/vehicles/{id}", h.get)
	r.Post("/vehicles/{id}/odometer", h.recordOdometer)
	return r
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	depot := r.URL.Query().Get("depot")
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := vehicleList{Vehicles: []Vehicle{}}
	for _, v := range h.vehicles {
		if depot == "" || v.Depot == depot {
			out.Vehicles = append(out.Vehicles, *v)
		}
	}
	out.Total = len(out.Vehicles)
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	h.mu.RLock()
	v, ok := h.vehicles[chi.URLParam(r, "id")]
	h.mu.RUnlock()
	if !ok {
		http.Error(w, "vehicle not found", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (h *Handler) recordOdometer(w http.ResponseWriter, r *http.Request) {
	var in odometerReading
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.vehicles[chi.URLParam(r, "id")]
	if !ok {
		http.Error(w, "vehicle not found", http.StatusNotFound)
		return
	}
	if in.Km > v.OdometerKm {
		v.OdometerKm = in.Km
	}
	writeJSON(w, http.StatusOK, v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
