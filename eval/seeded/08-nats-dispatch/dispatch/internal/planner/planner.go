package planner

import (
	"math"
	"sync"

	"github.com/swiftcab/dispatch/internal/bus"
)

type driver struct {
	id  string
	pos bus.LatLon
}

// Greedy nearest-idle-driver planner; the real one calls the routing engine.
type Greedy struct {
	mu      sync.RWMutex
	idle    map[string]driver
	speedMS float64
}

func NewGreedy() *Greedy { return &Greedy{idle: map[string]driver{}, speedMS: 8.3} }

func (g *Greedy) SetIdle(id string, pos bus.LatLon) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.idle[id] = driver{id: id, pos: pos}
}

func (g *Greedy) Nearest(p bus.LatLon) (string, int, int, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	best, bestDist := "", math.MaxFloat64
	for _, d := range g.idle {
		if dist := haversine(p, d.pos); dist < bestDist {
			best, bestDist = d.id, dist
		}
	}
	if best == "" {
		return "", 0, 0, false
	}
	return best, int(bestDist / g.speedMS), int(bestDist), true
}

func haversine(a, b bus.LatLon) float64 {
	const r = 6371000.0
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dLat, dLon := la2-la1, (b.Lon-a.Lon)*math.Pi/180
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}
