// Package invoices reads invoices from the invoicing service.
package invoices

import (
	"encoding/json"
	"net/http"
	"time"
)

const invoicingURL = "http://invoicing:8080"

// Invoice is reconcile's view of an invoice.
type Invoice struct {
	InvoiceID   string    `json:"invoice_id"`
	AmountCents int64     `json:"amount_cents"`
	Currency    string    `json:"currency"`
	DueDate     time.Time `json:"due_date"`
	Status      int       `json:"status"`   // expect: type-drift (producer: string)
	Discount    string    `json:"discount"` // expect: consumer-field-missing
	PaidAt      time.Time `json:"paid_at,omitempty"` // decoy: optional on both sides
}

// Fetch loads one invoice.
func Fetch(id string) (*Invoice, error) {
	resp, err := http.Get(invoicingURL + "/v1/invoices/" + id)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var inv Invoice
	if err := json.NewDecoder(resp.Body).Decode(&inv); err != nil {
		return nil, err
	}
	return &inv, nil
}

// Holidays asks a public calendar; an external API, never a finding.
func Holidays() (*http.Response, error) {
	return http.Get("https://calendar.example.org/v1/invoices/holidays")
}
