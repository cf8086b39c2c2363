# frozen_string_literal: true

require "json"
require "time"
require "rdkafka"
require "tzinfo"
require_relative "site_registry"

module Reports
  class ReadingsConsumer
    TOPIC = "telemetry.readings.v1"

    def initialize(db:, sites: SiteRegistry.new)
      @db = db
      @sites = sites
      @consumer = Rdkafka::Config.new(
        "bootstrap.servers" => ENV.fetch("KAFKA_BROKERS", "kafka:9092"),
        "group.id" => "reports-daily-rollup",
        "auto.offset.reset" => "earliest",
        "enable.auto.commit" => true
      ).consumer
    end

    def run
      @consumer.subscribe(TOPIC)
      @consumer.each do |message|
        record(JSON.parse(message.payload))
      end
    ensure
      @consumer.close
    end

    private

    def record(reading)
      site = @sites.site(reading.fetch("siteId"))
      return if site["decommissioned_at"]

      recorded_at = Time.iso8601(reading.fetch("recordedAt"))
      local_day = TZInfo::Timezone.get(site.fetch("timezone")).to_local(recorded_at).to_date

      @db[:daily_readings].insert_conflict(
        target: %i[sensor_id metric day],
        update: {
          min_value: Sequel.function(:least, Sequel[:daily_readings][:min_value], Sequel[:excluded][:min_value]),
          max_value: Sequel.function(:greatest, Sequel[:daily_readings][:max_value], Sequel[:excluded][:max_value]),
          last_battery_pct: Sequel.function(:coalesce, Sequel[:excluded][:last_battery_pct], Sequel[:daily_readings][:last_battery_pct])
        }
      ).insert(
        sensor_id: reading.fetch("sensorId"),
        site_id: reading.fetch("siteId"),
        metric: reading.fetch("metric"),
        day: local_day,
        min_value: reading.fetch("value"),
        max_value: reading.fetch("value"),
        last_battery_pct: reading["batteryPct"]
      )
    end
  end
end
