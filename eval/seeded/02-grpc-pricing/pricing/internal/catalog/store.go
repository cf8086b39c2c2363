package catalog

import (
	"context"
	"errors"
	"sync"
)

var ErrNotFound = errors.New("price not found")

// Price is a catalogue price in minor units (cents).
type Price struct {
	SKU       string
	Currency  string
	ListMinor int64
	SaleMinor int64 // 0 when not on promotion
}

type Store interface {
	Lookup(ctx context.Context, sku, region string) (Price, error)
}

type MemoryStore struct {
	mu     sync.RWMutex
	prices map[string]Price
}

func NewMemoryStore() *MemoryStore {
	return &MemoryStore{prices: map[string]Price{}}
}

func (m *MemoryStore) Put(region string, p Price) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prices[region+"/"+p.SKU] = p
}

func (m *MemoryStore) Lookup(_ context.Context, sku, region string) (Price, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, ok := m.prices[region+"/"+sku]
	if !ok {
		return Price{}, ErrNotFound
	}
	return p, nil
}
