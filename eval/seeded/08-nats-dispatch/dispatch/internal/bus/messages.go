package bus

import "time"

type LatLon struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type EtaRequest struct {
	JobID  string `json:"job_id"`
	Pickup LatLon `json:"pickup"`
}

type EtaReply struct {
	DriverID   string `json:"driver_id"`
	EtaSeconds int    `json:"eta_seconds"`
	DistanceM  int    `json:"distance_m"`
}

type Vehicle struct {
	Plate string `json:"plate"`
	Kind  string `json:"kind"` // "sedan", "van", "bike"
}

type JobAssigned struct {
	JobID      string    `json:"job_id"`
	DriverID   string    `json:"driver_id"`
	AssignedAt time.Time `json:"assigned_at"`
	Vehicle    Vehicle   `json:"vehicle"`
}

type JobCompleted struct {
	JobID       string    `json:"job_id"`
	DriverID    string    `json:"driver_id"`
	CompletedAt time.Time `json:"completed_at"`
	DistanceM   int       `json:"distance_m"`
	DurationS   int       `json:"duration_s"`
}
