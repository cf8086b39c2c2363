package bus

import (
	"encoding/json"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
)

// Reserver holds stock for an order; it returns the SKUs it could not hold.
type Reserver interface {
	Reserve(orderID string, lines []ReserveLine, ttl time.Duration) (reservationID string, shortages []string, err error)
}

const reservationTTL = 15 * time.Minute

// ServeReservations answers inventory.reserve requests. Instances share the
// "inventory" queue group so each request is handled once.
func ServeReservations(nc *nats.Conn, r Reserver, log *slog.Logger) (*nats.Subscription, error) {
	return nc.QueueSubscribe(SubjectReserve, "inventory", func(msg *nats.Msg) {
		var req ReserveRequest
		if err := json.Unmarshal(msg.Data, &req); err != nil {
			log.Warn("bad reserve request", "err", err)
			return
		}

		reply := ReserveReply{ExpiresAt: time.Now().Add(reservationTTL).UTC()}
		id, shortages, err := r.Reserve(req.OrderID, req.Lines, reservationTTL)
		switch {
		case err != nil:
			log.Error("reserve failed", "order", req.OrderID, "err", err)
		case len(shortages) > 0:
			reply.Shortages = shortages
		default:
			reply.ReservationID = id
			reply.Reserved = true
		}

		data, _ := json.Marshal(reply)
		if err := msg.Respond(data); err != nil {
			log.Warn("respond failed", "err", err)
		}
	})
}
