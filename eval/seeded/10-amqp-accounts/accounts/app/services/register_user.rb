# frozen_string_literal: true

require "securerandom"
require_relative "../../lib/accounts/event_publisher"

class RegisterUser
  User = Struct.new(:id, :email, :display_name, :plan, :locale, :created_at, keyword_init: true)

  def initialize(db:, publisher: Accounts::EventPublisher.instance)
    @db = db
    @publisher = publisher
  end

  def call(email:, display_name:, plan: "free", locale: "en")
    user = User.new(
      id: SecureRandom.uuid,
      email: email.strip.downcase,
      display_name: display_name,
      plan: plan,
      locale: locale,
      created_at: Time.now
    )
    @db[:users].insert(user.to_h)
    @publisher.user_registered(user)
    user
  end
end
