package com.acme.risk.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonIgnoreProperties(ignoreUnknown = true)
public record EntryPostedEvent(
        @JsonProperty("entry_id") String entryId,
        @JsonProperty("account_id") String accountId,
        @JsonProperty("amount_minor") long amountMinor,
        @JsonProperty("currency") String currency,
        @JsonProperty("direction") String direction,
        @JsonProperty("posted_at") long postedAt) {

    public boolean isDebit() {
        return "debit".equals(direction);
    }
}
