# frozen_string_literal: true

require "faraday"

module Reports
  class SiteRegistry
    def initialize(base_url: ENV.fetch("SITE_REGISTRY_URL", "http://site-registry.internal:8000"))
      @http = Faraday.new(url: base_url) do |f|
        f.response :json
        f.response :raise_error
        f.options.timeout = 5
      end
      @cache = {}
    end

    def site(site_id)
      @cache[site_id] ||= @http.get("/sites/#{site_id}").body
    end
  end
end
