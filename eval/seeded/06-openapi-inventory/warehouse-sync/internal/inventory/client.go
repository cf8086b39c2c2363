package inventory

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

type Item struct {
	SKU         string    `json:"sku"`
	Name        string    `json:"name"`
	OnHand      int       `json:"onHand"`
	Reserved    int       `json:"reserved"`
	WarehouseID string    `json:"warehouse_id"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type page struct {
	Items      []Item  `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

type Client struct {
	baseURL string
	http    *http.Client
}

func NewClient(baseURL string) *Client {
	return &Client{baseURL: baseURL, http: &http.Client{Timeout: 10 * time.Second}}
}

// Warehouse returns every stock line of one warehouse, following the cursor.
func (c *Client) Warehouse(ctx context.Context, warehouseID string) ([]Item, error) {
	var all []Item
	cursor := ""
	for {
		q := url.Values{"warehouse_id": {warehouseID}, "limit": {"500"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/v2/inventory?"+q.Encode(), nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, err
		}
		var p page
		err = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("inventory: %s", resp.Status)
		}
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.NextCursor == nil {
			return all, nil
		}
		cursor = *p.NextCursor
	}
}
