# frozen_string_literal: true

require "bunny"
require "json"
require "securerandom"
require "time"

module Accounts
  # Publishes account lifecycle events to the accounts.events topic exchange.
  class EventPublisher
    EXCHANGE = "accounts.events"

    def self.instance
      @instance ||= begin
        conn = Bunny.new(ENV.fetch("AMQP_URL", "amqp://guest:guest@rabbitmq:5672"), connection_name: "accounts")
        conn.start
        new(conn)
      end
    end

    def initialize(connection)
      @channel = connection.create_channel
      @exchange = @channel.topic(EXCHANGE, durable: true)
    end

    def user_registered(user)
      publish("user.registered", {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        plan: user.plan || "free",
        locale: user.locale || "en",
        registered_at: user.created_at.utc.iso8601
      })
    end

    def user_deleted(user_id, reason:)
      publish("user.deleted", {
        user_id: user_id,
        deleted_at: Time.now.utc.iso8601,
        reason: reason
      })
    end

    private

    def publish(routing_key, payload)
      @exchange.publish(
        JSON.generate(payload),
        routing_key: routing_key,
        persistent: true,
        content_type: "application/json",
        message_id: SecureRandom.uuid
      )
    end
  end
end
