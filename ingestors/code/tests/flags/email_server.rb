require "openfeature/sdk"

def send_email(client)
  leak = client.fetch_number_value(flag_key: "emailMemoryLeak", default_value: 0) # flag: emailMemoryLeak
  plain = client.fetch_boolean_value(flag_key: "plainText", default_value: false) # flag: plainText
  leak + (plain ? 1 : 0)
end
