package stock

import (
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/acme/inventory/internal/bus"
)

type level struct {
	onHand, reserved int
}

// Store is the in-process stock ledger for a single warehouse.
type Store struct {
	mu        sync.Mutex
	warehouse string
	levels    map[string]*level
	pub       *bus.Publisher
}

func NewStore(warehouse string, pub *bus.Publisher) *Store {
	return &Store{warehouse: warehouse, levels: make(map[string]*level), pub: pub}
}

func (s *Store) Receive(sku string, qty int) error {
	s.mu.Lock()
	l := s.get(sku)
	l.onHand += qty
	onHand, reserved := l.onHand, l.reserved
	s.mu.Unlock()
	return s.pub.StockChanged(sku, s.warehouse, onHand, reserved, 10, "")
}

func (s *Store) Reserve(orderID string, lines []bus.ReserveLine, _ time.Duration) (string, []string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var short []string
	for _, line := range lines {
		if l := s.get(line.SKU); l.onHand-l.reserved < line.Quantity {
			short = append(short, line.SKU)
		}
	}
	if len(short) > 0 {
		return "", short, nil
	}
	for _, line := range lines {
		s.get(line.SKU).reserved += line.Quantity
	}
	return "res_" + uuid.NewString(), nil, nil
}

func (s *Store) get(sku string) *level {
	l, ok := s.levels[sku]
	if !ok {
		l = &level{}
		s.levels[sku] = l
	}
	return l
}
