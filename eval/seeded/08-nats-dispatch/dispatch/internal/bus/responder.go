package bus

import (
	"encoding/json"
	"log/slog"

	"github.com/nats-io/nats.go"
)

type Planner interface {
	Nearest(p LatLon) (driverID string, etaSeconds, distanceM int, ok bool)
}

type EtaResponder struct {
	nc      *nats.Conn
	planner Planner
}

func NewEtaResponder(nc *nats.Conn, p Planner) *EtaResponder {
	return &EtaResponder{nc: nc, planner: p}
}

func (r *EtaResponder) Start() (*nats.Subscription, error) {
	return r.nc.QueueSubscribe(SubjectEtaRequest, "dispatch-eta", r.handle)
}

func (r *EtaResponder) handle(msg *nats.Msg) {
	var req EtaRequest
	if err := json.Unmarshal(msg.Data, &req); err != nil {
		slog.Warn("bad eta request", "err", err)
		return
	}
	driverID, eta, dist, ok := r.planner.Nearest(req.Pickup)
	if !ok {
		_ = msg.Respond([]byte(`{"driver_id":"","eta_seconds":-1,"distance_m":0}`))
		return
	}
	body, _ := json.Marshal(EtaReply{DriverID: driverID, EtaSeconds: eta, DistanceM: dist})
	if err := msg.Respond(body); err != nil {
		slog.Error("respond", "err", err)
	}
}
