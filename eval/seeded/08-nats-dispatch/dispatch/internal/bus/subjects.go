package bus

const (
	// Core NATS request/reply.
	SubjectEtaRequest = "dispatch.eta.request"

	// JetStream, stream DISPATCH.
	StreamName          = "DISPATCH"
	SubjectJobAssigned  = "dispatch.job.assigned"
	SubjectJobCompleted = "dispatch.job.completed"
)
