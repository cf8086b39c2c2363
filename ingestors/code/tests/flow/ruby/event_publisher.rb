require "bunny"
require "json"

module Accounts
  # Publishes account events through a private wrapper that takes the routing key.
  class EventPublisher
    def initialize
      @exchange = Bunny.new.tap(&:start).create_channel.topic("accounts.events", durable: true)
    end

    def user_signed_up(user)
      publish("user.signed_up", { user_id: user.id }) # expect: publishes sym:@#Accounts::EventPublisher::user_signed_up -> topic:user.signed_up
    end

    private

    def publish(routing_key, payload)
      @exchange.publish(JSON.generate(payload), routing_key: routing_key) # expect-not: publishes
    end
  end
end

module Accounts
  # A key added after the literal is part of what is published.
  class LaterKeys
    def signed_up(user)
      payload = { user_id: user.id } # expect: field:@#payload@L27.referral_code [L27] {required=false
      payload[:referral_code] = user.referral_code if user.referral_code
      publish("user.signed_up", payload)
    end

    private

    def publish(routing_key, payload)
      @exchange.publish(JSON.generate(payload), routing_key: routing_key)
    end
  end
end
