// Package square pushes our stock levels to the Square POS catalogue of the retail stores.
package square

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

const (
	baseURL       = "https://connect.squareup.com"
	squareVersion = "2024-06-04"
)

type InventoryCount struct {
	CatalogObjectID string `json:"catalog_object_id"`
	LocationID      string `json:"location_id"`
	State           string `json:"state"`
	Quantity        string `json:"quantity"`
	CalculatedAt    string `json:"calculated_at"`
}

type physicalCount struct {
	CatalogObjectID string `json:"catalog_object_id"`
	LocationID      string `json:"location_id"`
	State           string `json:"state"`
	Quantity        string `json:"quantity"`
	OccurredAt      string `json:"occurred_at"`
}

type Client struct {
	token string
	http  *http.Client
}

func NewClient(accessToken string) *Client {
	return &Client{token: accessToken, http: &http.Client{Timeout: 15 * time.Second}}
}

func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, baseURL+path, &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Square-Version", squareVersion)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("square %s %s: %s", method, path, resp.Status)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *Client) Count(ctx context.Context, catalogObjectID string) ([]InventoryCount, error) {
	var out struct {
		Counts []InventoryCount `json:"counts"`
	}
	err := c.do(ctx, http.MethodGet, "/v2/inventory/"+catalogObjectID, nil, &out)
	return out.Counts, err
}

func (c *Client) SetOnHand(ctx context.Context, idempotencyKey, locationID string, counts map[string]int) error {
	now := time.Now().UTC().Format(time.RFC3339)
	changes := make([]map[string]any, 0, len(counts))
	for objectID, qty := range counts {
		changes = append(changes, map[string]any{
			"type": "PHYSICAL_COUNT",
			"physical_count": physicalCount{
				CatalogObjectID: objectID,
				LocationID:      locationID,
				State:           "IN_STOCK",
				Quantity:        fmt.Sprint(qty),
				OccurredAt:      now,
			},
		})
	}
	body := map[string]any{"idempotency_key": idempotencyKey, "changes": changes}
	return c.do(ctx, http.MethodPost, "/v2/inventory/changes/batch-create", body, nil)
}
