package invoice

import (
	"errors"
	"time"
)

type Status string

const (
	StatusDraft Status = "draft"
	StatusOpen  Status = "open"
	StatusPaid  Status = "paid"
	StatusVoid  Status = "void"
)

var (
	ErrNotFound    = errors.New("invoice not found")
	ErrAlreadyPaid = errors.New("invoice already paid")
)

type LineItem struct {
	Description string `json:"description"`
	Quantity    int    `json:"quantity"`
	UnitAmount  int64  `json:"unit_amount"`
}

type Invoice struct {
	ID         string     `json:"id"`
	CustomerID string     `json:"customer_id"`
	Number     string     `json:"number"`
	Status     Status     `json:"status"`
	Currency   string     `json:"currency"`
	AmountDue  int64      `json:"amount_due"`
	AmountPaid int64      `json:"amount_paid"`
	DueDate    string     `json:"due_date"`
	IssuedAt   time.Time  `json:"issued_at"`
	PaidAt     *time.Time `json:"paid_at"`
	LineItems  []LineItem `json:"line_items"`
}

type Page struct {
	Items      []Invoice `json:"items"`
	NextCursor *string   `json:"next_cursor"`
}

type NewInvoice struct {
	CustomerID string     `json:"customer_id"`
	Currency   string     `json:"currency"`
	DueDate    string     `json:"due_date"`
	LineItems  []LineItem `json:"line_items"`
}

type Filter struct {
	CustomerID string
	Status     Status
	Cursor     string
	Limit      int
}
