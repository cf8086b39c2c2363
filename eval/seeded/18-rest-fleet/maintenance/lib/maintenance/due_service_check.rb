# frozen_string_literal: true

require "time"
require "slack-ruby-client"
require_relative "vehicles_client"

module Maintenance
  class DueServiceCheck
    SERVICE_INTERVAL_DAYS = 180
    SERVICE_INTERVAL_KM = 25_000

    def initialize(vehicles: VehiclesClient.new, slack: Slack::Web::Client.new(token: ENV["SLACK_BOT_TOKEN"]))
      @vehicles = vehicles
      @slack = slack
    end

    def call(depot)
      @vehicles.depot(depot).each do |summary|
        vehicle = @vehicles.vehicle(summary["id"])
        last_service = Time.iso8601(vehicle.fetch("last_service_at"))
        history = @vehicles.service_history(vehicle["id"])
        km_since = vehicle["odometer_km"] - history.last.to_h.fetch("odometer_km", 0)
        days_since = ((Time.now - last_service) / 86_400).floor
        next unless days_since >= SERVICE_INTERVAL_DAYS || km_since >= SERVICE_INTERVAL_KM

        notify(vehicle, days_since, km_since)
      end
    end

    private

    def notify(vehicle, days_since, km_since)
      @slack.chat_postMessage(
        channel: "#workshop-#{vehicle['depot']}",
        text: "#{vehicle['model']} #{vehicle['vin']} is due a service (#{days_since} days, #{km_since} km)",
        unfurl_links: false
      )
    end
  end
end
