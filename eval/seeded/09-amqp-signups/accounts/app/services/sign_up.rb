require "bcrypt"
require "securerandom"
require_relative "../../lib/accounts/event_publisher"

module Accounts
  User = Struct.new(:id, :email, :display_name, :locale, :plan_code, :seats, :referral_code, :created_at, keyword_init: true)

  class SignUp
    def initialize(db:, events: EventPublisher.new)
      @db = db
      @events = events
    end

    def call(email:, password:, display_name:, locale: "en", referral_code: nil)
      user = User.new(
        id: SecureRandom.uuid,
        email: email.strip.downcase,
        display_name: display_name,
        locale: locale,
        plan_code: "free",
        seats: 1,
        referral_code: referral_code,
        created_at: Time.now
      )
      @db[:users].insert(
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        locale: user.locale,
        plan_code: user.plan_code,
        password_digest: BCrypt::Password.create(password),
        created_at: user.created_at
      )
      @events.user_signed_up(user)
      user
    end
  end
end
