package invoice

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
)

// MemoryStore backs local development and the handler tests.
type MemoryStore struct {
	mu       sync.RWMutex
	byID     map[string]Invoice
	sequence int
}

func NewMemoryStore() *MemoryStore {
	return &MemoryStore{byID: make(map[string]Invoice)}
}

func (s *MemoryStore) Create(_ context.Context, n NewInvoice) (Invoice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	var due int64
	for _, li := range n.LineItems {
		due += int64(li.Quantity) * li.UnitAmount
	}
	s.sequence++
	inv := Invoice{
		ID:         uuid.NewString(),
		CustomerID: n.CustomerID,
		Number:     fmt.Sprintf("INV-%d-%06d", time.Now().Year(), s.sequence),
		Status:     StatusDraft,
		Currency:   n.Currency,
		AmountDue:  due,
		DueDate:    n.DueDate,
		IssuedAt:   time.Now().UTC(),
		LineItems:  n.LineItems,
	}
	s.byID[inv.ID] = inv
	return inv, nil
}

func (s *MemoryStore) Get(_ context.Context, id string) (Invoice, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	inv, ok := s.byID[id]
	if !ok {
		return Invoice{}, ErrNotFound
	}
	return inv, nil
}

func (s *MemoryStore) List(_ context.Context, f Filter) (Page, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	items := make([]Invoice, 0, len(s.byID))
	for _, inv := range s.byID {
		if f.CustomerID != "" && inv.CustomerID != f.CustomerID {
			continue
		}
		if f.Status != "" && inv.Status != f.Status {
			continue
		}
		items = append(items, inv)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].IssuedAt.After(items[j].IssuedAt) })
	if f.Limit > 0 && len(items) > f.Limit {
		items = items[:f.Limit]
	}
	return Page{Items: items}, nil
}

func (s *MemoryStore) Void(_ context.Context, id string) (Invoice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.byID[id]
	if !ok {
		return Invoice{}, ErrNotFound
	}
	if inv.Status == StatusPaid {
		return Invoice{}, ErrAlreadyPaid
	}
	inv.Status = StatusVoid
	s.byID[id] = inv
	return inv, nil
}
