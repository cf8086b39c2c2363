require "bunny"
require "json"
require "securerandom"
require "time"

module Accounts
  # Publishes account lifecycle events to the accounts.events topic exchange.
  class EventPublisher
    EXCHANGE = "accounts.events".freeze

    def initialize(url: ENV.fetch("AMQP_URL", "amqp://guest:guest@rabbitmq:5672"))
      @connection = Bunny.new(url, connection_name: "accounts")
      @connection.start
      @channel = @connection.create_channel
      @exchange = @channel.topic(EXCHANGE, durable: true)
    end

    def user_signed_up(user)
      payload = {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        locale: user.locale,
        plan: { code: user.plan_code, seats: user.seats },
        signed_up_at: user.created_at.utc.iso8601
      }
      payload[:referral_code] = user.referral_code if user.referral_code
      publish("user.signed_up", payload)
    end

    def email_changed(user, previous_email)
      publish("user.email_changed", {
        user_id: user.id,
        email: user.email,
        previous_email: previous_email,
        changed_at: Time.now.utc.iso8601
      })
    end

    def close
      @connection.close
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
