package com.acme.risk.ledger;

import com.acme.risk.VelocityChecker;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
public class EntryPostedListener {

    private static final Logger log = LoggerFactory.getLogger(EntryPostedListener.class);

    private final ObjectMapper mapper;
    private final VelocityChecker velocity;

    public EntryPostedListener(ObjectMapper mapper, VelocityChecker velocity) {
        this.mapper = mapper;
        this.velocity = velocity;
    }

    @KafkaListener(topics = "${ledger.topics.entry-posted}")
    public void onEntryPosted(String payload) throws JsonProcessingException {
        EntryPostedEvent event = mapper.readValue(payload, EntryPostedEvent.class);
        if (!event.isDebit()) {
            return;
        }
        if (velocity.record(event.accountId(), event.postedAt(), event.amountMinor())) {
            log.warn("debit velocity exceeded for account {}", event.accountId());
        }
    }
}
