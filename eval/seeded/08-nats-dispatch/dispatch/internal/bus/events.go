package bus

import (
	"context"
	"encoding/json"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

type Events struct {
	js jetstream.JetStream
}

func NewEvents(ctx context.Context, js jetstream.JetStream) (*Events, error) {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      StreamName,
		Subjects:  []string{"dispatch.job.>"},
		Retention: jetstream.LimitsPolicy,
		MaxAge:    72 * time.Hour,
		Replicas:  3,
	})
	if err != nil {
		return nil, err
	}
	return &Events{js: js}, nil
}

func (e *Events) JobAssigned(ctx context.Context, evt JobAssigned) error {
	return e.publish(ctx, SubjectJobAssigned, evt.JobID+":assigned", evt)
}

func (e *Events) JobCompleted(ctx context.Context, evt JobCompleted) error {
	return e.publish(ctx, SubjectJobCompleted, evt.JobID+":completed", evt)
}

func (e *Events) publish(ctx context.Context, subject, msgID string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = e.js.Publish(ctx, subject, data, jetstream.WithMsgID(msgID))
	return err
}
