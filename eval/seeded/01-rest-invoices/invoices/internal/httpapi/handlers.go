package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/acme/invoices/internal/invoice"
)

type Store interface {
	List(ctx context.Context, f invoice.Filter) (invoice.Page, error)
	Get(ctx context.Context, id string) (invoice.Invoice, error)
	Create(ctx context.Context, n invoice.NewInvoice) (invoice.Invoice, error)
	Void(ctx context.Context, id string) (invoice.Invoice, error)
}

type handler struct {
	store Store
	log   *slog.Logger
}

func NewRouter(store Store, log *slog.Logger) http.Handler {
	h := &handler{store: store, log: log}

	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.RealIP, middleware.Recoverer)

	r.Get("/invoices", h.list)
	r.Post("/invoices", h.create)
	r.Get("/invoices/{invoice_id}", h.get)
	r.Post("/invoices/{invoice_id}/void", h.void)
	return r
}

func (h *handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := h.store.List(r.Context(), invoice.Filter{
		CustomerID: q.Get("customer_id"),
		Status:     invoice.Status(q.Get("status")),
		Cursor:     q.Get("cursor"),
		Limit:      50,
	})
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *handler) create(w http.ResponseWriter, r *http.Request) {
	var body invoice.NewInvoice
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body.LineItems) == 0 {
		http.Error(w, "invalid invoice", http.StatusUnprocessableEntity)
		return
	}
	inv, err := h.store.Create(r.Context(), body)
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, inv)
}

func (h *handler) get(w http.ResponseWriter, r *http.Request) {
	inv, err := h.store.Get(r.Context(), chi.URLParam(r, "invoice_id"))
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, inv)
}

func (h *handler) void(w http.ResponseWriter, r *http.Request) {
	inv, err := h.store.Void(r.Context(), chi.URLParam(r, "invoice_id"))
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, inv)
}

func (h *handler) fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, invoice.ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
	case errors.Is(err, invoice.ErrAlreadyPaid):
		http.Error(w, err.Error(), http.StatusConflict)
	default:
		h.log.Error("request failed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
