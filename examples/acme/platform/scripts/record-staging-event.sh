#!/usr/bin/env bash
# Print one recent message from a staging Kafka topic as JSON, for contract replays.
# Usage: record-staging-event.sh <topic>
set -euo pipefail

topic="${1:?usage: record-staging-event.sh <topic>}"
brokers="${STAGING_KAFKA_BROKERS:-kafka.staging.commerce.svc.cluster.local:9092}"

kafka-console-consumer.sh \
  --bootstrap-server "$brokers" \
  --topic "$topic" \
  --group "contract-replay-$(date +%s)" \
  --from-beginning \
  --max-messages 1 \
  --timeout-ms 30000
