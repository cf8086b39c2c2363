# frozen_string_literal: true

require "faraday"
require "faraday/retry"

module Maintenance
  class VehiclesClient
    def initialize(base_url: ENV.fetch("VEHICLES_URL", "http://vehicles.internal"))
      @conn = Faraday.new(url: base_url) do |f|
        f.request :json
        f.request :retry, max: 2, interval: 0.2
        f.response :json
        f.response :raise_error
      end
    end

    def vehicle(id)
      @conn.get("/vehicles/#{id}").body
    end

    def depot(depot)
      @conn.get("/vehicles", depot: depot).body.fetch("vehicles")
    end

    def service_history(id)
      @conn.get("/vehicles/#{id}/service-history").body
    end
  end
end
